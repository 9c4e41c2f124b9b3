package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/handlers"
)

// Config is every setting, read from RAPPORT_* variables and then flags.
type Config struct {
	DatabaseURL   string
	DataDir       string
	Addr          string
	SecureCookies bool
	SessionIdle   time.Duration
	SessionMax    time.Duration
	LogFormat     string
	// ListCacheTTL bounds how long a server trusts its cached contact list
	// pages, filter choices and stages when it sees no change (writes of
	// other servers reach it sooner through the search index's change feed).
	ListCacheTTL time.Duration
	// MetricsAddr, when set, serves /metrics on a listen address of its own;
	// MetricsToken, when set, serves it on the main address to that bearer token.
	MetricsAddr, MetricsToken string
	APIRate                   int // requests per minute per API token
	// OIDC* configure single sign-on; OIDCIssuer empty turns it off.
	OIDCIssuer, OIDCClientID, OIDCClientSecret, OIDCRedirectURL, OIDCName string
	OIDCCreateRole                                                        string // create unknown users with this role; "" creates none
	PasswordLogin                                                         bool
	// FetchPrivate lets the coverage reader request pages on loopback and
	// private network addresses (off: only public addresses).
	FetchPrivate bool
	// WebhooksPrivate lets webhook deliveries go to loopback and private
	// addresses (RAPPORT_WEBHOOKS_ALLOW_PRIVATE).
	WebhooksPrivate bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client.
	TrustedProxies []netip.Prefix
	Mail           MailConfig // e-mail notifications (RAPPORT_SMTP_*, RAPPORT_BASE_URL)
}

// defaultConfig reads the environment.
func defaultConfig(ctx context.Context) (Config, error) {
	var err error
	c := Config{
		DatabaseURL:  os.Getenv("RAPPORT_DATABASE_URL"),
		DataDir:      envOr("RAPPORT_DATA_DIR", "./data"),
		Addr:         envOr("RAPPORT_ADDR", "127.0.0.1:8080"),
		LogFormat:    envOr("RAPPORT_LOG_FORMAT", "text"),
		SessionIdle:  handlers.DefaultConfig.SessionIdle,
		SessionMax:   handlers.DefaultConfig.SessionMax,
		ListCacheTTL: handlers.DefaultConfig.LookupTTL,
		MetricsAddr:  os.Getenv("RAPPORT_METRICS_ADDR"),
		MetricsToken: os.Getenv("RAPPORT_METRICS_TOKEN"),
		APIRate:      handlers.DefaultAPIRate,
		OIDCIssuer:   os.Getenv("RAPPORT_OIDC_ISSUER"), OIDCClientID: os.Getenv("RAPPORT_OIDC_CLIENT_ID"),
		OIDCClientSecret: os.Getenv("RAPPORT_OIDC_CLIENT_SECRET"), OIDCRedirectURL: os.Getenv("RAPPORT_OIDC_REDIRECT_URL"),
		OIDCName: os.Getenv("RAPPORT_OIDC_NAME"), OIDCCreateRole: os.Getenv("RAPPORT_OIDC_CREATE_ROLE"), PasswordLogin: true,
	}
	if v := os.Getenv("RAPPORT_PASSWORD_LOGIN"); v != "" {
		if c.PasswordLogin, err = strconv.ParseBool(v); err != nil {
			return c, notBool(ctx, "RAPPORT_PASSWORD_LOGIN", v)
		}
	}
	if v := os.Getenv("RAPPORT_SECURE_COOKIES"); v != "" {
		if c.SecureCookies, err = strconv.ParseBool(v); err != nil {
			return c, notBool(ctx, "RAPPORT_SECURE_COOKIES", v)
		}
	}
	if v := os.Getenv("RAPPORT_API_RATE"); v != "" {
		if c.APIRate, err = strconv.Atoi(v); err != nil || c.APIRate < 1 {
			return c, errors.New(tr(ctx, "{{.Name}} must be a positive number of requests per minute, not “{{.Value}}”.", "Name", "RAPPORT_API_RATE", "Value", v))
		}
	}
	if v := os.Getenv("RAPPORT_FETCH_PRIVATE"); v != "" {
		if c.FetchPrivate, err = strconv.ParseBool(v); err != nil {
			return c, notBool(ctx, "RAPPORT_FETCH_PRIVATE", v)
		}
	}
	if v := os.Getenv("RAPPORT_WEBHOOKS_ALLOW_PRIVATE"); v != "" {
		if c.WebhooksPrivate, err = strconv.ParseBool(v); err != nil {
			return c, notBool(ctx, "RAPPORT_WEBHOOKS_ALLOW_PRIVATE", v)
		}
	}
	if c.TrustedProxies, err = proxies(ctx, os.Getenv("RAPPORT_TRUSTED_PROXIES")); err != nil {
		return c, err
	}
	if c.Mail, err = readMailConfig(ctx); err != nil {
		return c, err
	}
	for name, dst := range map[string]*time.Duration{"RAPPORT_SESSION_IDLE": &c.SessionIdle, "RAPPORT_SESSION_MAX": &c.SessionMax,
		"RAPPORT_LIST_CACHE_TTL": &c.ListCacheTTL} {
		if v := os.Getenv(name); v != "" {
			if *dst, err = time.ParseDuration(v); err != nil {
				return c, errors.New(tr(ctx, "{{.Name}} must be a duration like 30m or 12h, not “{{.Value}}”.", "Name", name, "Value", v))
			}
		}
	}
	return c, nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// dbFlags registers the database flags on fs.
func (c *Config) dbFlags(ctx context.Context, fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, tr(ctx, "PostgreSQL URL (postgres://…); empty means embedded SQLite in the data directory [RAPPORT_DATABASE_URL]"))
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, tr(ctx, "directory for the SQLite database and the search index [RAPPORT_DATA_DIR]"))
}

// validate checks the settings a command uses; the error is one line.
func (c *Config) validate(ctx context.Context) error {
	if c.DatabaseURL != "" && !db.IsPostgresURL(c.DatabaseURL) {
		return errors.New(tr(ctx, "RAPPORT_DATABASE_URL must start with postgres:// (or be empty for the embedded SQLite database)."))
	}
	if c.DataDir == "" {
		return errors.New(tr(ctx, "RAPPORT_DATA_DIR must not be empty."))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return errors.New(tr(ctx, "{{.Name}} must be HOST:PORT such as {{.Example}}, not “{{.Value}}”.", "Name", "RAPPORT_ADDR", "Example", "127.0.0.1:8080", "Value", c.Addr))
	}
	if c.SessionIdle <= 0 || c.SessionMax <= 0 || c.SessionIdle > c.SessionMax {
		return errors.New(tr(ctx, "Session lifetimes must be positive, and the idle timeout no longer than the maximum."))
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return errors.New(tr(ctx, "{{.Name}} must be HOST:PORT such as {{.Example}}, not “{{.Value}}”.", "Name", "RAPPORT_METRICS_ADDR", "Example", "127.0.0.1:9090", "Value", c.MetricsAddr))
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return errors.New(tr(ctx, "RAPPORT_METRICS_TOKEN must have at least 16 characters."))
	}
	if c.OIDCIssuer != "" && (c.OIDCClientID == "" || c.OIDCClientSecret == "" || c.OIDCRedirectURL == "") {
		return errors.New(tr(ctx, "Single sign-on needs RAPPORT_OIDC_CLIENT_ID, RAPPORT_OIDC_CLIENT_SECRET and RAPPORT_OIDC_REDIRECT_URL with RAPPORT_OIDC_ISSUER."))
	}
	if c.OIDCCreateRole != "" && c.OIDCCreateRole != "staff" && c.OIDCCreateRole != "manager" && c.OIDCCreateRole != "admin" {
		return errors.New(tr(ctx, "RAPPORT_OIDC_CREATE_ROLE must be staff, manager or admin (or empty: create nobody)."))
	}
	if !c.PasswordLogin && c.OIDCIssuer == "" {
		return errors.New(tr(ctx, "RAPPORT_PASSWORD_LOGIN=0 needs single sign-on (RAPPORT_OIDC_ISSUER), or nobody could sign in."))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return errors.New(tr(ctx, "RAPPORT_LOG_FORMAT must be text or json."))
	}
	return nil
}

// proxies reads a comma-separated list of addresses and networks.
func proxies(ctx context.Context, v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, errors.New(tr(ctx, "{{.Name}} must list addresses or networks such as {{.Example}}, not “{{.Value}}”.",
					"Name", "RAPPORT_TRUSTED_PROXIES", "Example", "127.0.0.1,10.0.0.0/8", "Value", s))
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// notBool is the error for a switch that is neither 1 nor 0.
func notBool(ctx context.Context, name, v string) error {
	return errors.New(tr(ctx, "{{.Name}} must be 1 or 0, not “{{.Value}}”.", "Name", name, "Value", v))
}

// newFlagSet makes a flag set that prints its usage to stderr and returns errors.
func newFlagSet(ctx context.Context, name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\n%s\n", tr(ctx, "Usage: rapport {{.Synopsis}}", "Synopsis", synopsis), tr(ctx, "Flags:"))
		fs.PrintDefaults()
	}
	return fs
}
