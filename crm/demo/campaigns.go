package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/ent/task"
)

// demoCampaign is a campaign of the demo with the moments of its steps,
// in days relative to the load.
type demoCampaign struct {
	client, name, goal string
	messages           []string
	start, end         int // days from now; end 0: open
	embargo            int // days from now (0: none)
	status             string
	filter             schema.SegmentFilter
	limit              int // targets at most
	pitch              int // days from now the pitch went out (0: not pitched)
	replyShare         float64
	pieces             []demoPiece
}

type demoPiece struct {
	title, outlet, outletType, kind, sentiment, path string
	day                                              int // days from now
	reach                                            int64
	messages                                         []int
}

var demoCampaigns = []demoCampaign{
	{client: "Bergwerk Outdoor GmbH (München)", name: "Herbstkollektion: Wanderschuhe aus recyceltem Material",
		goal:     "Die neue Herbstkollektion in Outdoor-, Lifestyle- und Nachhaltigkeitsmedien platzieren.",
		messages: []string{"Sohle zu 70 % aus recyceltem Gummi", "Gefertigt in Bayern", "Reparaturservice ab Werk"},
		start:    -35, status: "running", filter: schema.SegmentFilter{Regions: []string{"Bayern"}}, limit: 80, pitch: -28, replyShare: 0.3,
		pieces: []demoPiece{
			{"Bergwerk bringt Wanderschuh mit Recycling-Sohle", "Süddeutsche Zeitung", "newspaper", "article", "positive", "wirtschaft/bergwerk-recycling-sohle", -21, 180000, []int{0, 1}},
			{"Getestet: Die Herbst-Wanderschuhe von Bergwerk", "outdoor-blog.de", "blog", "blog_post", "positive", "test-bergwerk-herbst", -14, 24000, []int{0, 2}},
			{"Bayerische Schuhe, zweites Leben", "BR24", "broadcast", "broadcast", "neutral", "bergwerk-reparatur", -9, 350000, []int{1, 2}},
			{"Meine liebsten Herbstschuhe", "Instagram", "social", "social_post", "positive", "p/bergwerk-herbst", -4, 41000, []int{0}},
		}},
	{client: "Bergwerk Outdoor GmbH (München)", name: "Trailrunning-Frühjahr", goal: "Die Trailrunning-Linie bei Laufmedien bekannt machen.",
		messages: []string{"Leichtester Trailschuh der Marke", "Testläufe im Wetterstein"},
		start:    -240, end: -150, status: "done", filter: schema.SegmentFilter{Regions: []string{"Bayern"}, Kinds: []string{"blogger", "creator"}}, limit: 30,
		pitch: -230, replyShare: 0.4,
		pieces: []demoPiece{
			{"Trailschuh im Wetterstein getestet", "laufen-muenchen.de", "blog", "blog_post", "positive", "trailschuh-wetterstein", -210, 12000, []int{0, 1}},
			{"Leicht, leichter, Bergwerk", "Runner's World", "magazine", "article", "neutral", "bergwerk-trail", -190, 95000, []int{0}},
		}},
	{client: "Hanse Gesundheitskasse (Hamburg)", name: "Vorsorge-App: digitale Früherkennung",
		goal:     "Die neue Vorsorge-App in Gesundheits- und Verbrauchermedien vorstellen.",
		messages: []string{"Erinnert an alle Vorsorgetermine", "Daten bleiben in Deutschland", "Kostenlos für Versicherte"},
		start:    -12, embargo: -5, status: "running", filter: schema.SegmentFilter{Regions: []string{"Hamburg"}}, limit: 60, pitch: -6, replyShare: 0.25,
		pieces: []demoPiece{
			{"Neue App erinnert an Vorsorge", "Hamburger Abendblatt", "newspaper", "article", "positive", "gesundheit/vorsorge-app", -1, 120000, []int{0, 2}},
		}},
	{client: "Hanse Gesundheitskasse (Hamburg)", name: "Pflege-Report 2027", goal: "Den Pflege-Report mit regionalen Zahlen für Norddeutschland vorbereiten.",
		messages: []string{"Zahlen für jedes Bundesland im Norden"}, start: 14, status: "planned",
		filter: schema.SegmentFilter{Regions: []string{"Hamburg", "Niedersachsen"}, Kinds: []string{"journalist"}}, limit: 40},
}

// writeCampaigns adds the demo's clients and campaigns through the same
// paths the pages use (crm.Campaigns): frozen target lists, one pitch
// interaction per campaign, replies, bounces, pitches without reply and
// coverage, each at its moment relative to the load.
func (g *demoGen) writeCampaigns(ctx context.Context, client *ent.Client, st *Stats) error {
	sels := crm.NewSelections(client, g.dialect, func() time.Time { return g.now }, nil, nil)
	at := func(days int) *crm.Campaigns {
		t := g.base.AddDate(0, 0, days).Add(9 * time.Hour) // a working morning, the same whenever loaded that day
		if days >= 0 {
			t = g.base.Add(-time.Hour)
		}
		return crm.NewCampaigns(client, g.dialect, sels, func() time.Time { return t })
	}
	manager, staff := g.users[1], g.users[3]
	actx := crm.WithActor(ctx, crm.Actor{UserID: manager, Name: "demo", Role: "manager"})
	r, fr := g.rng(7), g.rng(12) // replies; follow-ups worked
	brands := map[string]int{}
	for i, dc := range demoCampaigns {
		if _, ok := brands[dc.client]; !ok {
			b, err := at(0).SaveBrand(actx, crm.BrandInput{Name: dc.client})
			if err != nil {
				return fmt.Errorf("demo client: %w", err)
			}
			brands[dc.client] = b.ID
		}
		in := crm.CampaignInput{BrandID: brands[dc.client], Name: dc.name, Goal: dc.goal, KeyMessages: dc.messages,
			StartsAt: g.base.AddDate(0, 0, dc.start), Status: dc.status, TeamIDs: []int{staff}}
		if dc.end != 0 {
			e := g.base.AddDate(0, 0, dc.end)
			in.EndsAt = &e
		}
		if dc.embargo != 0 {
			e := g.base.AddDate(0, 0, dc.embargo).Add(10 * time.Hour)
			in.EmbargoUntil = &e
		}
		c, err := at(dc.start).CreateCampaign(actx, in)
		if err != nil {
			return fmt.Errorf("demo campaign %d: %w", i, err)
		}
		if err := g.runCampaign(actx, client, at, sels, r, fr, c, dc); err != nil {
			return fmt.Errorf("demo campaign %q: %w", dc.name, err)
		}
	}
	if _, err := crm.SweepNoReply(ctx, client, g.now); err != nil {
		return err
	}
	if _, err := crm.RecomputeHealth(ctx, client, g.now); err != nil { // the steps scored at their own moments
		return err
	}
	n, err := client.Interaction.Query().Where(interaction.CampaignIDNotNil()).Count(ctx)
	st.Interactions += n // pitches, replies and coverage
	st.CampaignInteractions, st.Campaigns = n, len(demoCampaigns)
	return err
}

func (g *demoGen) runCampaign(ctx context.Context, client *ent.Client, at func(int) *crm.Campaigns, sels *crm.Selections, r, fr *rand.Rand,
	c *ent.Campaign, dc demoCampaign) error {
	res, err := sels.Resolve(ctx, crm.Selection{Filter: dc.filter}, false)
	if err != nil {
		return err
	}
	ids := res.All
	if len(ids) > dc.limit {
		ids = ids[:dc.limit]
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := at(min(dc.start, -1)).AddTargets(ctx, c.ID, ids); err != nil {
		return err
	}
	if dc.pitch == 0 {
		return nil
	}
	pr, err := at(dc.pitch).Pitch(ctx, c.ID, crm.PitchInput{Subject: "Exklusiv vorab: " + dc.name,
		Body: dc.goal + "\n\nGern schicken wir Ihnen Muster und Bildmaterial.", FollowUpDays: 5})
	if err != nil || pr.Interaction == nil {
		return err
	}
	var answered []int
	for _, id := range ids {
		if r.Float64() < dc.replyShare {
			answered = append(answered, id)
		}
	}
	if quiet := ids[max(0, len(ids)-2):]; len(answered) < len(ids)-2 && !containsAny(answered, quiet) {
		if _, err := at(dc.pitch+1).SetStatus(ctx, c.ID, quiet, crm.PitchBounced); err != nil { // the mail came back
			return err
		}
	}
	third := len(answered) / 3
	for k, part := range [][]int{answered[:third], answered[third : 2*third], answered[2*third:]} {
		if len(part) == 0 {
			continue
		}
		status := []string{crm.PitchInterested, crm.PitchReplied, crm.PitchDeclined}[k]
		if _, err := at(dc.pitch+2+k).SetStatus(ctx, c.ID, part, status); err != nil {
			return err
		}
	}
	if err := g.workFollowUps(ctx, client, fr, ids, pr.Interaction.OccurredAt); err != nil {
		return err
	}
	for k, p := range dc.pieces {
		var authors []int
		if k < len(answered) && p.kind != "social_post" {
			authors = []int{answered[k]}
		}
		var kms []string
		for _, m := range p.messages {
			kms = append(kms, dc.messages[m])
		}
		reach := p.reach
		if _, _, err := at(p.day).AddCoverage(ctx, crm.CoverageInput{CampaignID: c.ID, URL: "https://" + demoHost(p.outlet) + "/" + p.path,
			Title: p.title, OutletName: p.outlet, OutletType: p.outletType, PublishedAt: g.base.AddDate(0, 0, p.day).Add(9 * time.Hour),
			Kind: p.kind, Reach: &reach, Sentiment: p.sentiment, KeyMessages: kms, AuthorIDs: authors}); err != nil {
			return err
		}
	}
	return nil
}

// demoOpenFollowUps is how many of a pitch's follow-ups due more than a
// week ago the team has not got round to: a handful overdue, not a pile.
const demoOpenFollowUps = 3

// workFollowUps closes the follow-ups pitched at scheduled for targets ids
// that fell due more than a week before the load, as a team works through
// them, a few days after each fell due, and leaves demoOpenFollowUps of them
// open; the newer ones are the week's work. (A reply already closed those of
// the people who answered.)
func (g *demoGen) workFollowUps(ctx context.Context, c *ent.Client, r *rand.Rand, ids []int, pitched time.Time) error {
	ts, err := c.Task.Query().Where(task.ContactIDIn(ids...), task.CreatedAt(pitched), task.DoneAtIsNil(),
		task.DueAtLT(g.base.AddDate(0, 0, -7))).Order(ent.Asc(task.FieldID)).All(ctx)
	if err != nil || len(ts) <= demoOpenFollowUps {
		return err
	}
	for _, t := range ts[:len(ts)-demoOpenFollowUps] {
		done := t.DueAt.AddDate(0, 0, r.IntN(4)).Add(-time.Duration(r.IntN(7)) * time.Hour) // within the working days after
		if err := c.Task.UpdateOneID(t.ID).SetDoneAt(done).Exec(ctx); err != nil {
			return fmt.Errorf("demo follow-ups: %w", err)
		}
	}
	return nil
}

// demoHost is a plausible host for an outlet's name.
func demoHost(outlet string) string {
	out := make([]rune, 0, len(outlet))
	for _, r := range outlet {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-':
			out = append(out, r)
		case r >= 'A' && r <= 'Z':
			out = append(out, r+'a'-'A')
		case r == 'ü':
			out = append(out, 'u', 'e')
		}
	}
	s := string(out)
	if len(s) < 4 || s[len(s)-3] != '.' && s[len(s)-4] != '.' {
		s = "www." + s + ".de"
	}
	return s
}

func containsAny(xs, ys []int) bool {
	for _, x := range xs {
		for _, y := range ys {
			if x == y {
				return true
			}
		}
	}
	return false
}
