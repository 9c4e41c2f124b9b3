// Package demo generates Rapport's demo dataset: a PR team's users, outlets,
// contacts with their channels, jobs and interactions, follow-ups, nominations
// and follower histories, deterministic for a seed and dated relative to the
// day it is loaded, so that the dashboard looks alive whenever it is loaded.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/locale"
)

// Password is the password of the users Load creates.
const Password = "demo-password-123"

// Options sizes the demo dataset. Load also creates five users,
// admin@rapport.test (admin), two managers and two staff, who all log in with
// the password "demo-password-123" (Password); a user that exists already
// is reused and keeps its password.
type Options struct {
	Contacts     int                   // default 1000
	Interactions int                   // default 10 * Contacts
	Seed         int64                 // default 1; the same seed gives the same data
	Progress     func(done, total int) // optional; counts contacts plus interactions written
	// Now is the moment of loading (zero: time.Now()). Every date is
	// relative to it: interactions up to the day before, follow-ups around
	// it, contacts past their cadence in a realistic share.
	Now time.Time
}

// Stats says what Load wrote.
type Stats struct {
	Users, Outlets, Topics, Tags, Contacts, Channels, Emails, Interactions int
	// Campaigns and their pitches, replies and coverage (counted in
	// Interactions too).
	Campaigns, CampaignInteractions int
}

// Batch sizes: bind parameters per INSERT stay below SQLite's limit of 32766
// (PostgreSQL allows 65535), rows per INSERT at most demoMaxRows (interactions:
// 9 columns, 2,000 rows). Transactions are larger: SQLite checkpoints its WAL
// after a commit, and fewer, larger transactions make that much cheaper.
const (
	demoMaxParams      = 30000
	demoMaxRows        = 2000
	demoTxContacts     = 5000  // contacts, with their e-mails, channels, jobs, topics and tags
	demoTxInteractions = 50000 // interactions, with their participations
)

// Load writes a deterministic, realistic dataset — users, outlets, topics,
// tags, contacts with e-mails, channels and jobs, and their interactions —
// into a database without contacts; it refuses (crm.EConflict) when contacts
// exist. It generates in memory and writes with multi-row INSERTs in
// transactions of thousands of rows, so 100,000 contacts with a million
// interactions take about a minute; when it fails half-way, the transactions
// committed so far stay.
func Load(ctx context.Context, client *ent.Client, opt Options) (Stats, error) {
	var st Stats
	ctx = locale.With(ctx, locale.Get(locale.German)) // the team is German: what crm stores in the actor's words is German
	if opt.Contacts < 0 || opt.Interactions < 0 {
		return st, crm.Errorf(crm.EInvalid, "The numbers of contacts and interactions must not be negative.")
	}
	if opt.Contacts == 0 {
		opt.Contacts = 1000
	}
	if opt.Interactions == 0 {
		opt.Interactions = 10 * opt.Contacts
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Progress == nil {
		opt.Progress = func(int, int) {}
	}
	var dia string // found out by the check for contacts, no extra query
	exists, err := client.Contact.Query().Where(func(s *sql.Selector) { dia = s.Dialect() }).Exist(ctx)
	if err != nil {
		return st, fmt.Errorf("demo: check for contacts: %w", err)
	}
	if exists {
		return st, crm.Errorf(crm.EConflict, "The database has contacts already; demo data can only be loaded into an empty database.")
	}
	now := opt.Now.UTC()
	g := &demoGen{opt: opt, n: opt.Contacts, now: now, base: now.Truncate(24 * time.Hour),
		emails: map[string]bool{}, handles: map[string]bool{}, dialect: dia,
		writer: crm.NewContactWriter(client, dia, func() time.Time { return now }, nil)}
	for _, step := range []func(context.Context, *ent.Client, *Stats) error{
		g.writeNamed, g.writeOutlets, g.writeContacts, g.writeInteractions, g.writeAdvocacy, g.writePrivacy, g.writeIntegrations, g.writeBulk, g.writeCampaigns,
		g.writeOwned, g.writeSettings, g.writeSignIns,
	} {
		if err := step(ctx, client, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// demoGen generates the dataset. Each part draws from its own random stream,
// so it does not depend on database ids.
type demoGen struct {
	opt                      Options
	n                        int
	now                      time.Time // the moment of loading, UTC
	base                     time.Time // the start of its day: interactions lie before it
	users, topicIDs, tagIDs  []int
	outlets                  []demoOutlet
	outletIDs                []int
	kindOutletWeights        [][]int
	byType                   map[string][]int
	plan                     []demoPlanned
	count                    []int32 // interactions per contact
	first, last              []int64 // their first and last time, Unix seconds
	stage                    []string
	ids                      []int   // contact ids
	owner, topic             []uint8 // per contact: index in users and demoTopics
	outlet                   []int32 // per contact: index of the first job's outlet
	emails, handles          map[string]bool
	kindWeights, cityWeights []int
	cityIndex                map[string]int
	dialect                  string             // of the database written to
	writer                   *crm.ContactWriter // crm's one contact write path, its clock at now
}

// rng returns the random stream with the given number.
func (g *demoGen) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.opt.Seed), stream))
}

// demoBulk calls exec on slices of bs small enough for one INSERT of cols columns.
func demoBulk[B any](bs []B, cols int, exec func([]B) error) error {
	size := min(demoMaxRows, demoMaxParams/cols)
	for len(bs) > 0 {
		k := min(size, len(bs))
		if err := exec(bs[:k]); err != nil {
			return err
		}
		bs = bs[k:]
	}
	return nil
}
