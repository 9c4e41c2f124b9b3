package crm

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/ent/socialprofile"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/topic"
	"github.com/rapport-crm/rapport/ent/user"
)

// DemoPassword is the password of the users LoadDemo creates.
const DemoPassword = "demo-password-123"

// DemoOptions sizes the demo dataset. LoadDemo also creates five users,
// admin@rapport.test (admin), two managers and two staff, who all log in with
// the password "demo-password-123" (DemoPassword); a user that exists already
// is reused and keeps its password.
type DemoOptions struct {
	Contacts     int                   // default 1000
	Interactions int                   // default 10 * Contacts
	Seed         int64                 // default 1; the same seed gives the same data
	Progress     func(done, total int) // optional; counts contacts plus interactions written
}

// DemoStats says what LoadDemo wrote.
type DemoStats struct {
	Users, Outlets, Topics, Tags, Contacts, Channels, Emails, Interactions int
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

// LoadDemo writes a deterministic, realistic dataset — users, outlets, topics,
// tags, contacts with e-mails, channels and jobs, and their interactions —
// into a database without contacts; it refuses (EConflict) when contacts
// exist. It generates in memory and writes with multi-row INSERTs in
// transactions of thousands of rows, so 100,000 contacts with a million
// interactions take about a minute; when it fails half-way, the transactions
// committed so far stay.
func LoadDemo(ctx context.Context, client *ent.Client, opt DemoOptions) (DemoStats, error) {
	var st DemoStats
	if opt.Contacts < 0 || opt.Interactions < 0 {
		return st, Errorf(EInvalid, "The numbers of contacts and interactions must not be negative.")
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
	if opt.Progress == nil {
		opt.Progress = func(int, int) {}
	}
	exists, err := client.Contact.Query().Exist(ctx)
	if err != nil {
		return st, fmt.Errorf("demo: check for contacts: %w", err)
	}
	if exists {
		return st, Errorf(EConflict, "The database has contacts already; demo data can only be loaded into an empty database.")
	}
	g := &demoGen{opt: opt, n: opt.Contacts, emails: map[string]bool{}, handles: map[string]bool{}}
	for _, step := range []func(context.Context, *ent.Client, *DemoStats) error{
		g.writeNamed, g.writeOutlets, g.writeContacts, g.writeInteractions, g.writeAdvocacy,
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
	opt                      DemoOptions
	n                        int
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
}

// demoPlanned is one interaction before it gets its text.
type demoPlanned struct {
	at   int64
	a, b int32 // contact indexes; b < 0 when only one contact takes part
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

// demoNamed returns the ids of the rows named names, in order, creating those
// that query does not find, and how many it created.
func demoNamed[T any](names []string, query func(...string) ([]T, error), key func(T) (string, int),
	create func(string) (T, error)) ([]int, int, error) {
	have, err := query(names...)
	if err != nil {
		return nil, 0, err
	}
	ids := map[string]int{}
	for _, t := range have {
		name, id := key(t)
		ids[name] = id
	}
	out, made := make([]int, len(names)), 0
	for i, name := range names {
		id, ok := ids[name]
		if !ok {
			t, err := create(name)
			if err != nil {
				return nil, 0, err
			}
			_, id = key(t)
			made++
		}
		out[i] = id
	}
	return out, made, nil
}

// writeNamed finds or creates the demo users, topics and tags. The users share
// one password hash: argon2id is slow on purpose.
func (g *demoGen) writeNamed(ctx context.Context, client *ent.Client, st *DemoStats) error {
	var hash string
	emails := make([]string, len(demoUserList))
	for i, u := range demoUserList {
		emails[i] = u.email
	}
	var err error
	g.users, st.Users, err = demoNamed(emails,
		func(ns ...string) ([]*ent.User, error) {
			return client.User.Query().Where(user.EmailIn(ns...)).All(ctx)
		},
		func(u *ent.User) (string, int) { return u.Email, u.ID },
		func(email string) (*ent.User, error) {
			if hash == "" {
				if hash, err = HashPassword(DemoPassword); err != nil {
					return nil, err
				}
			}
			u := demoUserList[slices.Index(emails, email)]
			return client.User.Create().SetEmail(email).SetName(u.name).SetRole(user.Role(u.role)).SetPasswordHash(hash).Save(ctx)
		})
	if err != nil {
		return fmt.Errorf("demo: users: %w", err)
	}
	g.topicIDs, st.Topics, err = demoNamed(demoTopics,
		func(ns ...string) ([]*ent.Topic, error) {
			return client.Topic.Query().Where(topic.NameIn(ns...)).All(ctx)
		},
		func(t *ent.Topic) (string, int) { return t.Name, t.ID },
		func(name string) (*ent.Topic, error) { return client.Topic.Create().SetName(name).Save(ctx) })
	if err != nil {
		return fmt.Errorf("demo: topics: %w", err)
	}
	g.tagIDs, st.Tags, err = demoNamed(demoTags,
		func(ns ...string) ([]*ent.Tag, error) { return client.Tag.Query().Where(tag.NameIn(ns...)).All(ctx) },
		func(t *ent.Tag) (string, int) { return t.Name, t.ID },
		func(name string) (*ent.Tag, error) { return client.Tag.Create().SetName(name).Save(ctx) })
	if err != nil {
		return fmt.Errorf("demo: tags: %w", err)
	}
	return nil
}

// demoOutletCount grows sublinearly: 150 for 1,000 contacts, at least 30, at most 3,000.
func demoOutletCount(contacts int) int {
	return min(3000, max(30, int(math.Round(150*math.Pow(float64(contacts)/1000, 0.7)))))
}

// writeOutlets generates and writes the outlets and indexes them by type.
func (g *demoGen) writeOutlets(ctx context.Context, client *ent.Client, st *DemoStats) error {
	r := g.rng(1)
	g.outlets = demoMakeOutlets(r, demoOutletCount(g.n))
	g.byType = map[string][]int{}
	for i, o := range g.outlets {
		g.byType[o.typ] = append(g.byType[o.typ], i)
	}
	for _, k := range demoKinds {
		w := make([]int, len(k.outletTypes))
		for i, t := range k.outletTypes {
			if len(g.byType[t]) > 0 {
				w[i] = k.outletWeights[i]
			}
		}
		g.kindOutletWeights = append(g.kindOutletWeights, w)
		g.kindWeights = append(g.kindWeights, k.weight)
	}
	g.cityIndex = map[string]int{}
	for i, c := range demoCities {
		g.cityIndex[c.name] = i
		g.cityWeights = append(g.cityWeights, c.weight)
	}
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		bulk := make([]*ent.OutletCreate, len(g.outlets))
		for i, o := range g.outlets {
			var audience int64
			if m, ok := demoAudience[o.typ]; ok {
				audience = int64(m * math.Exp(r.NormFloat64()))
			}
			desc := demoOutletLabel[o.typ]
			if o.region != "" {
				desc += " aus " + o.region
			}
			if o.topic >= 0 {
				desc += " mit Schwerpunkt " + demoTopics[o.topic]
			}
			created := demoAgo(r, 730, 8*365)
			bulk[i] = tx.Outlet.Create().SetName(o.name).SetType(outlet.Type(o.typ)).SetWebsite("https://www." + o.domain).
				SetRegion(o.region).SetAudience(audience).SetDescription(desc + ".").SetCreatedAt(created).SetUpdatedAt(created)
		}
		return demoBulk(bulk, 9, func(b []*ent.OutletCreate) error {
			made, err := tx.Outlet.CreateBulk(b...).Save(ctx)
			for _, o := range made {
				g.outletIDs = append(g.outletIDs, o.ID)
			}
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("demo: outlets: %w", err)
	}
	st.Outlets = len(g.outlets)
	return nil
}

// writeContacts plans the interactions (which the contacts' stage and last
// interaction depend on), then writes the contacts and their relations.
func (g *demoGen) writeContacts(ctx context.Context, client *ent.Client, st *DemoStats) error {
	g.makePlan()
	r := g.rng(3)
	compliance := r.Perm(g.n) // a rank per contact, so the lawful-basis shares are exact
	g.ids, g.owner, g.topic, g.outlet = make([]int, g.n), make([]uint8, g.n), make([]uint8, g.n), make([]int32, g.n)
	for lo := 0; lo < g.n; lo += demoTxContacts {
		recs := make([]demoContact, min(demoTxContacts, g.n-lo))
		for k := range recs {
			i := lo + k
			recs[k] = g.contact(r, i, compliance[i])
			g.owner[i], g.topic[i], g.outlet[i] = uint8(recs[k].owner), uint8(recs[k].topics[0]), int32(recs[k].jobs[0].outlet)
		}
		if err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error { return g.saveContacts(ctx, tx, lo, recs, st) }); err != nil {
			return fmt.Errorf("demo: contacts: %w", err)
		}
		g.opt.Progress(lo+len(recs), g.n+len(g.plan))
	}
	return nil
}

// saveContacts writes the contacts recs, numbers lo and up, and their relations.
func (g *demoGen) saveContacts(ctx context.Context, tx *ent.Tx, lo int, recs []demoContact, st *DemoStats) error {
	bulk := make([]*ent.ContactCreate, len(recs))
	for k, c := range recs {
		bulk[k] = tx.Contact.Create().SetKind(contact.Kind(c.kind)).SetFirstName(c.first).SetLastName(c.last).SetTitle(c.title).
			SetBio(c.bio).SetLanguages(c.langs).SetCity(c.city.name).SetRegion(c.city.name).SetCountry(c.city.country).
			SetOwnerID(g.users[c.owner]).SetStage(contact.Stage(c.stage)).SetLawfulBasis(contact.LawfulBasis(c.basis)).
			SetConsentState(contact.ConsentState(c.consent)).SetNillableConsentAt(c.consentAt).SetConsentSource(c.source).
			SetDoNotContact(c.dnc).SetNillableLastInteractionAt(c.lastAt).SetReach(c.reach).SetVersion(1).SetTouchDueAt(*demoDue(c)).
			SetCreatedAt(c.created).SetUpdatedAt(c.updated)
		SetSortKeys(bulk[k].Mutation(), c.first, c.last)
		if len(c.phones) > 0 {
			bulk[k].SetPhones(c.phones)
		}
	}
	ids := g.ids[lo:lo]                                            // appending fills g.ids[lo:]
	err := demoBulk(bulk, 24, func(b []*ent.ContactCreate) error { // columns incl. health and touch_due_at
		made, err := tx.Contact.CreateBulk(b...).Save(ctx)
		for _, c := range made {
			ids = append(ids, c.ID)
		}
		return err
	})
	if err != nil {
		return err
	}
	var (
		emails []*ent.ContactEmailCreate
		chans  []*ent.SocialProfileCreate
		jobs   []*ent.EmploymentCreate
		topics []*ent.ContactTopicCreate
		tags   []*ent.ContactTagCreate
	)
	for k, c := range recs {
		id := ids[k]
		for j, e := range c.emails {
			emails = append(emails, tx.ContactEmail.Create().SetContactID(id).SetAddress(e[0]).SetType(contactemail.Type(e[1])).SetPrimary(j == 0))
		}
		for _, ch := range c.channels {
			chans = append(chans, tx.SocialProfile.Create().SetContactID(id).SetPlatform(socialprofile.Platform(ch.platform)).
				SetHandle(ch.handle).SetURL(ProfileURL(ch.platform, ch.handle)).SetFollowers(ch.followers).
				SetNillableEngagementRate(ch.rate).SetCheckedAt(ch.checked).SetCreatedAt(c.created).SetUpdatedAt(ch.checked))
		}
		for _, j := range c.jobs {
			jobs = append(jobs, tx.Employment.Create().SetContactID(id).SetOutletID(g.outletIDs[j.outlet]).SetRole(j.role).
				SetStartedAt(j.start).SetNillableEndedAt(j.end))
		}
		for _, t := range c.topics {
			topics = append(topics, tx.ContactTopic.Create().SetContactID(id).SetTopicID(g.topicIDs[t]))
		}
		for _, t := range c.tags {
			tags = append(tags, tx.ContactTag.Create().SetContactID(id).SetTagID(g.tagIDs[t]))
		}
	}
	st.Contacts, st.Emails, st.Channels = st.Contacts+len(recs), st.Emails+len(emails), st.Channels+len(chans)
	if err := demoBulk(emails, 4, func(b []*ent.ContactEmailCreate) error { return tx.ContactEmail.CreateBulk(b...).Exec(ctx) }); err != nil {
		return err
	}
	if err := demoBulk(chans, 10, func(b []*ent.SocialProfileCreate) error { return tx.SocialProfile.CreateBulk(b...).Exec(ctx) }); err != nil {
		return err
	}
	if err := demoBulk(jobs, 5, func(b []*ent.EmploymentCreate) error { return tx.Employment.CreateBulk(b...).Exec(ctx) }); err != nil {
		return err
	}
	if err := demoBulk(topics, 2, func(b []*ent.ContactTopicCreate) error { return tx.ContactTopic.CreateBulk(b...).Exec(ctx) }); err != nil {
		return err
	}
	return demoBulk(tags, 2, func(b []*ent.ContactTagCreate) error { return tx.ContactTag.CreateBulk(b...).Exec(ctx) })
}

// makePlan draws who the interactions are with and when, sorted by time, and
// derives each contact's count, first and last interaction and stage.
func (g *demoGen) makePlan() {
	r := g.rng(2)
	cum, total, lastActive := make([]float64, g.n), 0.0, 0
	for i := range cum {
		if r.IntN(100) >= 15 { // 15 % of contacts are never in touch
			total += math.Exp(1.2 * r.NormFloat64())
			lastActive = i
		}
		cum[i] = total
	}
	if total == 0 { // nobody drew a weight: all interactions go to the first contact
		total = 1
		for i := range cum {
			cum[i] = 1
		}
	}
	pick := func() int32 {
		x := r.Float64() * total
		return int32(min(lastActive, sort.Search(g.n, func(i int) bool { return cum[i] > x })))
	}
	g.plan = make([]demoPlanned, g.opt.Interactions)
	for j := range g.plan {
		p := demoPlanned{a: pick(), b: -1}
		if r.IntN(10) == 0 {
			if b := pick(); b != p.a {
				p.b = b
			}
		}
		day := demoBase.AddDate(0, 0, -1-int(1095*math.Pow(r.Float64(), 1.4)))
		if wd := day.Weekday(); (wd == time.Saturday || wd == time.Sunday) && r.IntN(10) < 8 {
			day = day.AddDate(0, 0, -1-int(wd+1)%7)
		}
		p.at = day.Unix() + int64(7*3600+r.IntN(11*3600))
		g.plan[j] = p
	}
	slices.SortStableFunc(g.plan, func(x, y demoPlanned) int { return cmp.Compare(x.at, y.at) })
	g.count, g.first, g.last = make([]int32, g.n), make([]int64, g.n), make([]int64, g.n)
	for _, p := range g.plan {
		for _, c := range [2]int32{p.a, p.b} {
			if c >= 0 {
				if g.count[c] == 0 {
					g.first[c] = p.at
				}
				g.count[c]++
				g.last[c] = p.at
			}
		}
	}
	// The more interactions, the further along the stage, with noise.
	score, order := make([]float64, g.n), make([]int, g.n)
	for i := range score {
		score[i], order[i] = math.Log1p(float64(g.count[i]))+0.7*r.NormFloat64(), i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(score[x], score[y]) })
	g.stage = make([]string, g.n)
	for rank, i := range order {
		q := (float64(rank) + 0.5) / float64(g.n)
		g.stage[i] = demoStages[sort.SearchFloat64s(demoStageShare, q)]
	}
}

// writeInteractions writes the planned interactions with their participations.
func (g *demoGen) writeInteractions(ctx context.Context, client *ent.Client, st *DemoStats) error {
	r := g.rng(4)
	vals := map[byte]string{}
	total := g.n + len(g.plan)
	for lo := 0; lo < len(g.plan); lo += demoTxInteractions {
		hi := min(lo+demoTxInteractions, len(g.plan))
		err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
			for k := lo; k < hi; k += demoMaxRows {
				bulk := make([]*ent.InteractionCreate, min(demoMaxRows, hi-k))
				for j := range bulk {
					bulk[j] = g.interaction(r, tx, g.plan[k+j], vals)
				}
				its, err := tx.Interaction.CreateBulk(bulk...).Save(ctx)
				if err != nil {
					return err
				}
				parts := make([]*ent.ParticipationCreate, 0, 2*len(its))
				for j, it := range its {
					p := g.plan[k+j]
					parts = append(parts, Participations(tx.Participation, it, g.ids[p.a])...)
					if p.b >= 0 {
						parts = append(parts, Participations(tx.Participation, it, g.ids[p.b])...)
					}
				}
				if err := tx.Participation.CreateBulk(parts...).Exec(ctx); err != nil {
					return err
				}
				g.opt.Progress(g.n+k+len(bulk), total)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("demo: interactions: %w", err)
		}
		st.Interactions = hi
	}
	return nil
}

var demoSentiments = []interaction.Sentiment{interaction.SentimentPositive, interaction.SentimentNeutral, interaction.SentimentNegative}

// interaction gives a planned interaction its type, direction, sentiment,
// author and text; writeInteractions adds its participations.
func (g *demoGen) interaction(r *rand.Rand, tx *ent.Tx, p demoPlanned, vals map[byte]string) *ent.InteractionCreate {
	typ := schema.InteractionTypes[demoWeighted(r, demoTypeWeights)]
	dir := interaction.DirectionOutbound
	if r.IntN(100) < demoInbound[typ] {
		dir = interaction.DirectionInbound
	}
	sentiment := []int{20, 72, 8}
	if typ == "coverage" || typ == "mention" {
		sentiment = []int{45, 45, 10}
	}
	author := g.users[g.owner[p.a]]
	if r.IntN(100) < 35 {
		author = g.users[demoWeighted(r, demoOwnerWeights)]
	}
	vals['p'], vals['t'], vals['o'], vals['e'] = demoOf(r, demoProducts), demoTopics[g.topic[p.a]], g.outlets[g.outlet[p.a]].name, demoOf(r, demoEvents)
	body := make([]string, 1+r.IntN(3))
	start := r.IntN(len(demoBodies))
	for j := range body {
		body[j] = demoFill(demoBodies[(start+5*j)%len(demoBodies)], vals)
	}
	at := time.Unix(p.at, 0).UTC()
	return tx.Interaction.Create().SetType(interaction.Type(typ)).SetDirection(dir).SetOccurredAt(at).
		SetSubject(demoFill(demoOf(r, demoSubjects[typ]), vals)).SetBody(strings.Join(body, " ")).
		SetSentiment(demoSentiments[demoWeighted(r, sentiment)]).SetAuthorID(author).SetCreatedAt(at).SetUpdatedAt(at)
}
