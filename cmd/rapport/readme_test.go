package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/crm/webhook"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/handlers"
	"github.com/rapport-crm/rapport/internal/docfacts"
	"github.com/rapport-crm/rapport/search"
)

const readme = "../../README.md"

// TestReadmeFigures: every figure README.md states is the code's. A change
// to one of these constants fails here until the README says the same.
// (The upload limit is checked in package handlers, the typo rule in search.)
func TestReadmeFigures(t *testing.T) {
	for _, k := range []string{"RAPPORT_DATABASE_URL", "RAPPORT_DATA_DIR", "RAPPORT_ADDR", "RAPPORT_LOG_FORMAT",
		"RAPPORT_SECURE_COOKIES", "RAPPORT_SESSION_IDLE", "RAPPORT_SESSION_MAX", "RAPPORT_LIST_CACHE_TTL"} {
		t.Setenv(k, "")
	}
	cfg, err := defaultConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	hash, err := crm.HashPassword("x")
	if err != nil {
		t.Fatal(err)
	}
	var memKiB, passes int
	if _, err := fmt.Sscanf(strings.Split(hash, "$")[3], "m=%d,t=%d", &memKiB, &passes); err != nil {
		t.Fatalf("hash %q: %v", hash, err)
	}
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)[1]
	setting := func(name string) string { return "\\| `" + name + "` \\|[^|]*\\| `([^`]*)` \\|" }
	itoa := docfacts.Itoa
	docfacts.Check(t, readme, []docfacts.Fact{
		docfacts.F(`You need Go (\d+\.\d+)\.`, string(goVersion)),
		docfacts.F(`asks for a password \((\d+)\+ characters\)`, itoa(crm.MinPasswordLen)),
		docfacts.F(setting("RAPPORT_DATA_DIR"), cfg.DataDir),
		docfacts.F(setting("RAPPORT_ADDR"), cfg.Addr),
		docfacts.F(`serves Rapport on http://([0-9.:]+) `, cfg.Addr),
		docfacts.F(setting("RAPPORT_SECURE_COOKIES"), map[bool]string{false: "0", true: "1"}[cfg.SecureCookies]),
		docfacts.F(setting("RAPPORT_SESSION_IDLE"), short(handlers.DefaultConfig.SessionIdle)),
		docfacts.F(setting("RAPPORT_SESSION_MAX"), short(handlers.DefaultConfig.SessionMax)),
		docfacts.F(setting("RAPPORT_LIST_CACHE_TTL"), short(crm.DefaultLookupTTL)),
		docfacts.F(setting("GOMEMLIMIT"), itoa(defaultMemoryLimit>>20)+"MiB"),
		docfacts.F(setting("RAPPORT_LOG_FORMAT"), cfg.LogFormat),
		docfacts.F(setting("RAPPORT_FETCH_PRIVATE"), map[bool]string{false: "0", true: "1"}[cfg.FetchPrivate]),
		docfacts.F(`batch of ([\d,]+)\)`, docfacts.Thousands(crm.InteractionBatch)),
		docfacts.F(`(\d+) s and \d+ MiB at most`, itoa(int(crm.FetchTimeout.Seconds()))),
		docfacts.F(`\d+ s and (\d+) MiB at most`, itoa(crm.FetchMaxBytes>>20)),
		docfacts.F(`the text of their (\d+) newest interactions`, itoa(search.MaxNotes)),
		docfacts.F(`Rows are committed in transactions of ([\d,]+) `, docfacts.Thousands(importing.DefaultBatchSize)),
		docfacts.F(`Passwords are argon2id \((\d+) MiB, t=(\d+)\)`, itoa(memKiB/1024), itoa(passes)),
		docfacts.F(`end after (\d+) idle minutes or (\d+) hours`, itoa(int(handlers.DefaultConfig.SessionIdle.Minutes())), itoa(int(handlers.DefaultConfig.SessionMax.Hours()))),
		docfacts.F(`(\w+) failed sign-ins for one address from one place within (\d+) minutes`, docfacts.Word(crm.ThrottlePair), itoa(int(crm.ThrottleWindow.Minutes()))),
		docfacts.F(`staff exports above ([\d,]+) rows a day`, docfacts.Thousands(crm.DefaultDailyExportRows)),
		docfacts.F(`\((\d+) from one place on\s+any accounts\)`, itoa(crm.ThrottleAddress)),
		docfacts.F(`\((\d+) failed\s+sign-ins per address in (\d+) minutes\)`, itoa(crm.ThrottleAddress), itoa(int(crm.ThrottleWindow.Minutes()))),
		docfacts.F(`at most (\d+) passwords are hashed at once`, itoa(crm.MaxConcurrentHashes)),
		docfacts.F(`Every statement .rapport serve. sends has a (\d+) s timeout`, itoa(int(db.DefaultStatementTimeout.Seconds()))),
		docfacts.F(`every request but a download a (\d+) s deadline`, itoa(int(handlers.DefaultRequestTimeout.Seconds()))),
		docfacts.F(`.segments. lists (\d+) at a time`, itoa(crm.SegmentsPerPage)),
		docfacts.F(setting("RAPPORT_API_RATE"), itoa(handlers.DefaultAPIRate)),
		docfacts.F(`Each token may make (\d+) requests a minute`, itoa(handlers.DefaultAPIRate)),
		docfacts.F(`does not get a 2xx within (\d+) s is tried again after (\d+) s`, itoa(int(webhook.SendTimeout.Seconds())), itoa(int(webhook.FirstRetry.Seconds()))),
		docfacts.F(`\(at most (\d+) h\), (\d+) times in all; (\d+) deliveries`, itoa(int(webhook.MaxRetry.Hours())), itoa(webhook.MaxAttempts), itoa(webhook.DisableAfter)),
		docfacts.F(`.limit. is 1 to (\d+) \(default (\d+)\)`, itoa(handlers.APIMaxLimit), itoa(handlers.APIDefaultLimit)),
		docfacts.F(`up to ([\d,]+) and then "[\d,]+\+"; one person keeps up to (\d+)\)`, docfacts.Thousands(crm.TotalCap), itoa(crm.MaxSegmentsPerUser)),
	})
	docfacts.Check(t, "../../docs/SEARCH.md", []docfacts.Fact{
		docfacts.F(`Change records older than (\d+) days`, itoa(int(changeRetention/(24*time.Hour)))),
	})
	if cfg.LogFormat != "text" || handlers.DefaultConfig.LookupTTL != 0 {
		t.Errorf("defaults moved: log format %q, lookup TTL %v (0 means crm.DefaultLookupTTL)", cfg.LogFormat, handlers.DefaultConfig.LookupTTL)
	}
}

// short writes a duration as the README does: 30m, 12h, 2s.
func short(d time.Duration) string {
	s := d.String()
	for _, z := range []string{"m0s", "h0m"} {
		if strings.HasSuffix(s, z) {
			s = strings.TrimSuffix(s, z[1:])
		}
	}
	return s
}

// TestReadmeDemo loads the demo with the defaults `rapport demo` has and
// compares it with what the README says of it: its size, and its users
// (e-mail, role), who sign in with the password it names.
func TestReadmeDemo(t *testing.T) {
	t.Setenv("RAPPORT_DATABASE_URL", "")
	t.Setenv("RAPPORT_DATA_DIR", t.TempDir())
	ctx := t.Context()
	if err := run(ctx, []string{"demo"}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	cfg, err := defaultConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	d, err := open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	contacts := d.Client.Contact.Query().CountX(ctx)
	interactions := d.Client.Interaction.Query().Where(interaction.CampaignIDIsNil()).CountX(ctx) // campaigns add theirs
	cs := d.Client.Campaign.Query().AllX(ctx)
	byClient := map[int]bool{}
	for _, c := range cs {
		byClient[c.BrandID] = true
	}
	campaigns, clients := len(cs), len(byClient)
	owned, views, rules := d.Client.OwnedChannel.Query().CountX(ctx), d.Client.SavedView.Query().CountX(ctx), d.Client.KeywordRule.Query().CountX(ctx)
	users := d.Client.User.Query().AllX(ctx)
	docfacts.Check(t, readme, []docfacts.Fact{
		docfacts.F(`load the demo set \(([\d,]+) contacts, ([\d,]+) interactions and (\w+) users, plus (\w+) campaigns of (\w+) clients[,)]`,
			docfacts.Thousands(contacts), docfacts.Thousands(interactions), docfacts.Word(len(users)), docfacts.Word(campaigns), docfacts.Word(clients)),
		docfacts.F(`clients, (\w+) own channels of a health\s+client and an IT client with half a year of weekly figures \(Hamburg × IT has none, so the channel\s+matrix shows a gap\), (\w+) keyword rules and (\w+) saved views`,
			docfacts.Word(owned), docfacts.Word(rules), docfacts.Word(views)),
	})
	password := regexp.MustCompile("Each demo user signs in with the password `([^`]+)`").FindStringSubmatch(docfacts.Read(t, readme))
	if password == nil {
		t.Fatal("the README no longer names the demo password")
	}
	var stated, loaded []string
	raw, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+@rapport\\.test)` \\| (\\w+) \\|$").FindAllStringSubmatch(string(raw), -1) {
		stated = append(stated, m[1]+" "+m[2])
	}
	for _, u := range users {
		loaded = append(loaded, u.Email+" "+string(u.Role))
		if _, err := crm.Authenticate(ctx, d.Client, u.Email, password[1]); err != nil {
			t.Errorf("%s does not sign in with the README's password %q: %v", u.Email, password[1], err)
		}
	}
	slices.Sort(stated)
	slices.Sort(loaded)
	if !slices.Equal(stated, loaded) {
		t.Errorf("the README's demo users\n  %q\nthe demo's\n  %q", stated, loaded)
	}
}
