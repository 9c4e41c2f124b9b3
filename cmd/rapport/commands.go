package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"golang.org/x/term"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/notify"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/handlers"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/search"
)

// parse builds the config, lets register add flags, parses and validates.
func parse(ctx context.Context, name, synopsis string, args []string, stderr io.Writer, register func(*flag.FlagSet, *Config)) (Config, error) {
	cfg, err := defaultConfig(ctx)
	if err != nil {
		return cfg, err
	}
	fs := newFlagSet(ctx, name, synopsis, stderr)
	cfg.dbFlags(ctx, fs)
	if register != nil {
		register(fs, &cfg)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, unexpected(ctx, fs.Arg(0))
	}
	return cfg, cfg.validate(ctx)
}

// open connects a batch command (migrate, demo, import, export, reindex,
// health, user add): its statements may run for minutes, so PostgreSQL sets
// them no timeout.
func open(ctx context.Context, cfg Config) (*db.DB, error) {
	return db.Open(ctx, db.Unbounded(cfg.DatabaseURL), cfg.DataDir, search.Outbox(), nil)
}

// openServing connects the server: every statement has the URL's
// statement_timeout (default db.DefaultStatementTimeout) and a silent
// database is given up shortly after it.
func openServing(ctx context.Context, cfg Config) (*db.DB, error) {
	return db.Open(ctx, cfg.DatabaseURL, cfg.DataDir, search.Outbox(), nil)
}

func migrateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parse(ctx, "migrate", "migrate [flags]", args, stderr, nil)
	if err != nil {
		return err
	}
	d, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	names, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		fmt.Fprintln(stdout, tr(ctx, "The database is up to date."))
	}
	for _, n := range names {
		fmt.Fprintln(stdout, tr(ctx, "Applied {{.Migration}}.", "Migration", n))
	}
	return normalizeAfterMigration(ctx, d, names, stdout)
}

// firstAdmin is the command that creates the first admin, but for the name.
const firstAdmin = "go run ./cmd/rapport user add --role admin --email you@example.com --name"

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var migrate bool
	cfg, err := parse(ctx, "serve", "serve [flags]", args, stderr, func(fs *flag.FlagSet, c *Config) {
		fs.StringVar(&c.Addr, "addr", c.Addr, tr(ctx, "address to listen on, HOST:PORT [RAPPORT_ADDR]"))
		fs.BoolVar(&migrate, "migrate", false, tr(ctx, "apply pending migrations first (always done on the embedded SQLite database)"))
	})
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	d, err := openServing(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if migrate || d.Dialect == dialect.SQLite {
		names, err := d.Migrate(ctx)
		if err != nil {
			return err
		}
		if err := normalizeAfterMigration(ctx, d, names, stdout); err != nil {
			return err
		}
	} else if err := d.CheckMigrated(ctx); err != nil {
		return err // report says to migrate
	}
	if n, err := d.Client.User.Query().Count(ctx); err == nil && n == 0 {
		fmt.Fprintf(stdout, "%s\n  %s %q\n%s\n",
			tr(ctx, "No users yet. Create the first admin in another terminal:"), firstAdmin, tr(ctx, "Your Name"),
			tr(ctx, "(or: make admin EMAIL=you@example.com NAME=\"Your Name\"; `rapport demo` loads demo users and data)"))
	}
	idx, closeIdx, err := openSearch(ctx, cfg, d, log)
	if err != nil {
		return err
	}
	defer closeIdx()
	settleMemory(log)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("%s: %w", tr(ctx, "Cannot listen on {{.Addr}}", "Addr", cfg.Addr), err)
	}
	runCtx, stopIndexer := context.WithCancel(ctx)
	indexer := make(chan struct{})
	go func() { defer close(indexer); _ = idx.Run(runCtx) }()
	defer func() { stopIndexer(); <-indexer }() // before the index closes
	return serve(ctx, ln, d, cfg, idx, log, stdout)
}

// serve runs the HTTP server on ln until ctx ends, then shuts down gracefully:
// in-flight requests get ten seconds, then the database closes (by the caller).
func serve(ctx context.Context, ln net.Listener, d *db.DB, cfg Config, idx handlers.Searcher, log *slog.Logger, stdout io.Writer) error {
	hc := handlers.Config{SecureCookies: cfg.SecureCookies, SessionIdle: cfg.SessionIdle, SessionMax: cfg.SessionMax,
		MaxBodyBytes: handlers.DefaultConfig.MaxBodyBytes, Search: idx, LookupTTL: cfg.ListCacheTTL,
		APIRate: cfg.APIRate, MetricsToken: cfg.MetricsToken, FetchPrivate: cfg.FetchPrivate, TrustedProxies: cfg.TrustedProxies, Mail: notify.Settings{SMTP: cfg.Mail.SMTP, BaseURL: cfg.Mail.BaseURL}}
	if cfg.OIDCIssuer != "" {
		hc.SSO = &handlers.SSOConfig{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
			RedirectURL: cfg.OIDCRedirectURL, Name: cfg.OIDCName, CreateUsers: cfg.OIDCCreateRole != "", DefaultRole: cfg.OIDCCreateRole,
			PasswordLogin: cfg.PasswordLogin}
	}
	if cfg.MetricsAddr != "" || cfg.MetricsToken != "" {
		hc.Metrics = handlers.NewMetrics(d.SQL, idx)
	}
	e := handlers.New(d, hc, log)
	// Revocations by the other servers on the database (PostgreSQL): their
	// sign-outs and deactivations reach this server's session cache at once.
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	if err := d.WatchSessions(watchCtx, log); err != nil {
		log.Warn("session revocations of other servers arrive within two seconds only", "err", err)
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	if cfg.MetricsAddr != "" {
		stop, err := serveMetrics(ctx, cfg.MetricsAddr, hc.Metrics, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	stopHooks := startWebhooks(ctx, d, cfg.WebhooksPrivate, log)
	defer stopHooks()
	stopImports := startImportWorker(ctx, d, log) // queued imports run in the background
	defer stopImports()
	stopBulk := startBulkWorker(ctx, d, log) // large bulk changes and their undos
	defer stopBulk()
	stopHealth := startHealthTicker(ctx, d, log) // relationship health, nightly
	defer stopHealth()
	stopSweep := startRetentionSweep(ctx, d, log) // retention review list, daily
	defer stopSweep()
	stopCampaigns := startCampaignTicker(ctx, d, log) // pitches without a reply turn no_reply, hourly
	defer stopCampaigns()
	stopNotifier := startNotifier(ctx, d, cfg.Mail, log) // e-mail notifications, when a mail server is set
	defer stopNotifier()
	stopFeeds := startFeedPoller(ctx, d, cfg.FetchPrivate, log) // channel feeds, each on its own interval
	defer stopFeeds()
	fmt.Fprintln(stdout, tr(ctx, "Rapport is serving on http://{{.Addr}} ({{.Dialect}} database)", "Addr", ln.Addr().String(), "Dialect", d.Dialect))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("%s: %w", tr(ctx, "Shutting down"), err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func userAddCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var in crm.UserInput
	cfg, err := parse(ctx, "user add", "user add --email E --name N --role admin|manager|staff [--password P]", args, stderr, func(fs *flag.FlagSet, _ *Config) {
		fs.StringVar(&in.Email, "email", "", tr(ctx, "e-mail address, used to sign in"))
		fs.StringVar(&in.Name, "name", "", tr(ctx, "full name"))
		fs.StringVar(&in.Role, "role", "staff", tr(ctx, "admin, manager or staff"))
		fs.StringVar(&in.Password, "password", os.Getenv("RAPPORT_PASSWORD"), tr(ctx, "password (or RAPPORT_PASSWORD; asked for when neither is set)"))
	})
	if err != nil {
		return err
	}
	if in.Password == "" {
		if in.Password, err = askPassword(ctx, stdin, stderr); err != nil {
			return err
		}
	}
	d, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.CheckMigrated(ctx); err != nil {
		return err
	}
	u, err := crm.CreateUser(ctx, d.Client, in)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tr(ctx, "Created {{.Name}} <{{.Email}}> ({{.Role}}).", "Role", locale.Label(ctx, string(u.Role)), "Name", u.Name, "Email", u.Email))
	return nil
}

// askPassword reads a password without echo from a terminal, or a line from a pipe.
func askPassword(ctx context.Context, stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, tr(ctx, "Password:")+" ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("%s: %w", tr(ctx, "Cannot read the password"), err)
		}
		fmt.Fprint(stderr, tr(ctx, "Again:")+" ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("%s: %w", tr(ctx, "Cannot read the password"), err)
		}
		if string(again) != string(b) {
			return "", errors.New(tr(ctx, "The passwords differ."))
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("%s: %w", tr(ctx, "Cannot read the password"), err)
	}
	if line = strings.TrimRight(line, "\r\n"); line == "" {
		return "", errors.New(tr(ctx, "No password given: use --password, RAPPORT_PASSWORD or type it at the prompt."))
	}
	return line, nil
}

// serveMetrics serves /metrics alone on addr (for a scraper on a private
// network); stop closes it.
func serveMetrics(ctx context.Context, addr string, m *handlers.Metrics, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tr(ctx, "Cannot listen on {{.Addr}} for metrics", "Addr", addr), err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", "err", err)
		}
	}()
	return func() { _ = srv.Close() }, nil
}

// unexpected is the error for an argument a command does not take.
func unexpected(ctx context.Context, arg string) error {
	return errors.New(tr(ctx, "Unexpected argument “{{.Arg}}”.", "Arg", arg))
}
