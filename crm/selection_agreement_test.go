package crm_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/search"
)

// agreementSelections is how many generated selections each database compares.
const agreementSelections = 300

// The vocabulary of the generated contacts and of the generated texts.
var (
	agFirst   = []string{"Anna", "Jürgen", "Lena", "Heike", "Tom", "Zoë", "Mehmet", "Sören", "Eva", "Paul", "Björn", "Ida"}
	agLast    = []string{"Müller", "Bäumer", "Bianchi", "Köhler", "Krämer", "Weber", "Groß", "Çelik", "Schmidt", "Strauß", "de Boer", "Nguyễn"}
	agCities  = []string{"München", "Berlin", "Hamburg", "Köln", "Düsseldorf", "Leipzig"}
	agTopics  = []string{"Gesundheit", "IT", "Politik", "Reisen", "Mode", "Auto"}
	agTags    = []string{"presse", "vip", "blog", "messe"}
	agOutlets = []string{"Süddeutsche Zeitung", "Berliner Morgenpost", "Techblog", "Hamburger Abendblatt", "Reise Magazin"}
	agKinds   = []string{"journalist", "blogger", "creator", "advocate", "analyst", "customer", "other"}
	agStages  = []string{"unknown", "aware", "engaged", "supporter", "advocate"}
	agConsent = []string{"none", "given", "withdrawn", "objected"}
	agBasis   = []string{"none", "legitimate_interest", "consent", "contract"}
	agPlats   = []string{"x", "youtube", "instagram", "linkedin", "bluesky", "podcast"}
	agSorts   = []string{"", crm.SortName, crm.SortLastInteraction, crm.SortReach}
)

// TestSelectionsAgree generates selections (text from the vocabulary, every
// filter in random combinations, every sort) and checks that the contact
// list (every page), the search page (when its facets can say the whole
// selection), a saved segment's count and its page, and an export with
// its left-out list hold the same contacts, and the list, the segment page
// (name order) and the export the same order. RAPPORT_AGREEMENT_SEED
// replays a failure.
func TestSelectionsAgree(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("RAPPORT_AGREEMENT_SEED"), 10, 64); err == nil {
		seed = s
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		t.Logf("seed %d (RAPPORT_AGREEMENT_SEED=%d replays it)", seed, seed)
		failed := false
		t.Cleanup(func() {
			if failed || t.Failed() {
				t.Logf("failing seed: RAPPORT_AGREEMENT_SEED=%d", seed)
			}
		})
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(seed, 12))
		users := agreementData(t, ctx, d, rng)
		idx, err := search.Open(ctx, search.Options{Dir: t.TempDir(), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
		if err != nil {
			t.Fatal(err)
		}
		defer idx.Close()
		if err := idx.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		sels := crm.NewSelections(d.Client, d.Dialect, nil, idx, crm.NewLookups(d.Client, time.Hour))
		mctx := crm.WithActor(ctx, crm.Actor{UserID: users[0], Name: "Manager", Role: crm.RoleManager})
		// Issue 12's bug 1 (the search document lacks the stage; fixed in the
		// search loader on another branch): until the index holds stages, the
		// search page cannot filter by stage and is not compared then.
		stages := stageIndexed(t, ctx, idx)
		if !stages {
			t.Log("the search index holds no stages (bug 1): the search page is not compared for stage filters")
		}
		compared, counts := 0, map[int]int{}
		for i := range agreementSelections {
			sel := randomSelection(rng, users)
			if !agree(t, mctx, d.Client, sels, idx, stages, i, sel, counts) {
				failed = true
				t.Fatalf("selection %d of seed %d disagrees: %+v", i, seed, sel)
			}
			compared++
		}
		// The advocate list is the selection of its filters, in its order.
		for range agreementSelections / 6 {
			p := crm.AdvocateParams{Sort: pick(rng, []string{"", crm.SortReach, crm.SortHealth, crm.SortLastInteraction}), Limit: 5}
			if rng.IntN(3) == 0 {
				p.Region = pick(rng, agCities)
			}
			if rng.IntN(3) == 0 {
				p.Topic = pick(rng, agTopics)
			}
			if rng.IntN(4) == 0 {
				p.Platform = pick(rng, agPlats)
			}
			if rng.IntN(4) == 0 {
				p.OwnerID = pick(rng, users)
			}
			p.HealthMin, p.HealthMax, p.Stale = rng.IntN(3)*20, 100-rng.IntN(3)*20, rng.IntN(3) == 0
			if !advocatesAgree(t, mctx, sels, p) {
				failed = true
				t.Fatalf("advocate list of seed %d disagrees: %+v", seed, p)
			}
			compared++
		}
		// The segments page counts every saved segment as its list shows it.
		var segs []crm.SegmentSummary
		for page := 1; ; page++ {
			p, err := sels.ListSegments(mctx, page)
			if err != nil {
				t.Fatal(err)
			}
			segs = append(segs, p.Rows...)
			if !p.More {
				break
			}
		}
		for _, s := range segs {
			if s.Count != counts[s.ID] {
				failed = true
				t.Errorf("segment %s (%+v): count %d, its list %d", s.Name, crm.SegmentSelection(s.Segment), s.Count, counts[s.ID])
			}
		}
		if len(segs) != len(counts) {
			t.Errorf("%d segments listed, %d saved", len(segs), len(counts))
		}
		t.Logf("%d selections and advocate lists agree", compared)
	})
}

// agree compares every consumer's answer to sel; it reports what differs.
func agree(t *testing.T, ctx context.Context, client *ent.Client, sels *crm.Selections, idx *search.Service, stages bool,
	i int, sel crm.Selection, counts map[int]int) bool {
	t.Helper()
	ok := true
	list := walkList(t, ctx, sels, sel)
	seg, err := crm.SaveSegment(ctx, client, 0, crm.SegmentInput{Name: fmt.Sprintf("s%d", i), Selection: sel})
	if err != nil {
		t.Fatal(err)
	}
	counts[seg.ID] = len(list) // compared with the segments page's counts at the end
	segPage := walkList(t, ctx, sels, crm.SegmentSelection(seg))
	nameOrder := list
	if sel.Sort != "" && sel.Sort != crm.SortName {
		named := sel
		named.Sort = ""
		nameOrder = walkList(t, ctx, sels, named)
		if !sameSet(nameOrder, list) {
			t.Errorf("name order holds %v, %s order %v", nameOrder, sel.Sort, list)
			ok = false
		}
	}
	if !slices.Equal(segPage, nameOrder) {
		t.Errorf("segment page %v, list %v", segPage, nameOrder)
		ok = false
	}
	log, res, err := crm.StartExport(ctx, sels, crm.ExportRequest{Selection: sel, Format: "csv", Purpose: "agreement test"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.All, list) {
		t.Errorf("export members %v, list %v", res.All, list)
		ok = false
	}
	if !slices.Equal(log.MemberIds, res.IDs) || len(res.IDs)+len(res.ExcludedIDs) != len(list) ||
		!sameSet(append(slices.Clone(res.IDs), res.ExcludedIDs...), list) {
		t.Errorf("export %v and left out %v do not split the list %v", res.IDs, res.ExcludedIDs, list)
		ok = false
	}
	if !checkExclusions(t, ctx, client, res) {
		ok = false
	}
	if facets, fits := searchFilters(sel.Filter); fits && (stages || len(sel.Filter.Stages) == 0) {
		hits := walkSearch(t, ctx, idx, sel.Query, facets)
		if !sameSet(hits, list) {
			t.Errorf("search page %v, list %v", hits, list)
			ok = false
		}
	}
	return ok
}

// advocatesAgree walks the advocate list of p and compares it with the
// export's resolution of the same selection (which sorts by health too).
func advocatesAgree(t *testing.T, ctx context.Context, sels *crm.Selections, p crm.AdvocateParams) bool {
	t.Helper()
	var ids []int
	total := -1
	for {
		page, err := sels.ListAdvocates(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Contacts {
			ids = append(ids, c.ID)
		}
		total = page.Total
		if page.Next == "" {
			break
		}
		p.After = page.Next
	}
	res, err := sels.Resolve(ctx, p.Selection(), false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, res.All) || total != len(ids) {
		t.Errorf("advocate list %v (total %d), selection %v", ids, total, res.All)
		return false
	}
	return true
}

// checkExclusions: whoever the export leaves out has a reason, and nobody
// it keeps has one.
func checkExclusions(t *testing.T, ctx context.Context, client *ent.Client, res *crm.Resolved) bool {
	t.Helper()
	out := map[int]bool{}
	for _, id := range res.ExcludedIDs {
		out[id] = true
	}
	cs, err := client.Contact.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ok := true
	for _, c := range cs {
		in := slices.Contains(res.All, c.ID)
		reason := c.DoNotContact || c.ConsentState == "withdrawn" || c.ConsentState == "objected" || c.LawfulBasis == "none"
		if in && reason != out[c.ID] {
			t.Errorf("contact %d (dnc %v, consent %s, basis %s): left out %v", c.ID, c.DoNotContact, c.ConsentState, c.LawfulBasis, out[c.ID])
			ok = false
		}
	}
	return ok
}

// walkList reads every page of the list of sel.
func walkList(t *testing.T, ctx context.Context, sels *crm.Selections, sel crm.Selection) []int {
	t.Helper()
	var ids []int
	p := crm.ListParams{Selection: sel, Limit: 7}
	for {
		page, err := sels.List(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Rows {
			ids = append(ids, r.ID)
		}
		if page.Next == "" {
			if page.Total != len(ids) {
				t.Errorf("list total %d, rows %d", page.Total, len(ids))
			}
			return ids
		}
		p.After = page.Next
	}
}

// searchFilters are the search page's facet filters for f, if its facets
// can say all of f (the search page has no health, reach, staleness,
// consent or e-mail conditions).
func searchFilters(f schema.SegmentFilter) (map[string][]string, bool) {
	if f.MinHealth != nil || f.MaxHealth != nil || f.MinFollowers != nil || f.MaxFollowers != nil ||
		f.Stale != nil || f.HasEmail != nil || len(f.Consent) > 0 || len(f.Custom) > 0 {
		return nil, false
	}
	m := map[string][]string{search.FacetKind: f.Kinds, search.FacetStage: f.Stages, search.FacetRegion: f.Regions,
		search.FacetTopic: f.Topics, search.FacetTag: f.Tags, search.FacetPlatform: f.Platforms, search.FacetOutlet: f.Outlets}
	for _, o := range f.Owners {
		m[search.FacetOwner] = append(m[search.FacetOwner], strconv.Itoa(o))
	}
	return m, true
}

// stageIndexed says whether the index's documents carry their stage.
func stageIndexed(t *testing.T, ctx context.Context, idx *search.Service) bool {
	t.Helper()
	res, err := idx.Search(ctx, search.Request{Facets: true, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Facets {
		for _, v := range f.Values {
			if f.Field == search.FacetStage && v.Value != "" {
				return true
			}
		}
	}
	return false
}

// walkSearch reads every page of the search page's results.
func walkSearch(t *testing.T, ctx context.Context, idx *search.Service, q string, filters map[string][]string) []int {
	t.Helper()
	var ids []int
	r := search.Request{Q: q, Filters: filters, Sort: search.SortName, Size: 100}
	for {
		res, err := idx.Search(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if res.Next == "" {
			return ids
		}
		r.After = res.Next
	}
}

func sameSet(a, b []int) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// some is a random non-empty subset of xs, or nil (no filter) with
// probability 1-p.
func some[T any](rng *rand.Rand, xs []T, p float64) []T {
	if rng.Float64() >= p {
		return nil
	}
	var out []T
	for _, x := range xs {
		if rng.IntN(3) == 0 {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		out = append(out, pick(rng, xs))
	}
	return out
}

// randomSelection draws text from the vocabulary (or none) and a random
// combination of every filter and a sort.
func randomSelection(rng *rand.Rand, users []int) crm.Selection {
	var sel crm.Selection
	words := [][]string{agFirst, agLast, agCities, agTopics, agOutlets, agTags}
	switch n := rng.IntN(10); {
	case n < 3: // no text
	case n < 8:
		sel.Query = pick(rng, pick(rng, words))
	default:
		sel.Query = pick(rng, pick(rng, words)) + " " + pick(rng, pick(rng, words))
	}
	if sel.Query != "" && rng.IntN(5) == 0 {
		sel.Query = search.Fold(sel.Query) // typed without umlauts
	}
	f := &sel.Filter
	f.Kinds, f.Stages, f.Consent = some(rng, agKinds, 0.2), some(rng, agStages, 0.2), some(rng, agConsent, 0.15)
	f.Regions, f.Topics, f.Tags = some(rng, agCities, 0.2), some(rng, agTopics, 0.2), some(rng, agTags, 0.15)
	f.Platforms, f.Owners = some(rng, agPlats, 0.15), some(rng, users, 0.15)
	f.Outlets = some(rng, agOutlets, 0.2)
	intP := func(p float64, lo, hi int) *int {
		if rng.Float64() >= p {
			return nil
		}
		v := lo + rng.IntN(hi-lo+1)
		return &v
	}
	int64P := func(p float64, hi int64) *int64 {
		if rng.Float64() >= p {
			return nil
		}
		v := rng.Int64N(hi)
		return &v
	}
	boolP := func(p float64) *bool {
		if rng.Float64() >= p {
			return nil
		}
		v := rng.IntN(2) == 0
		return &v
	}
	f.MinHealth, f.MaxHealth = intP(0.15, 0, 80), intP(0.1, 20, 100)
	f.MinFollowers, f.MaxFollowers = int64P(0.1, 50_000), int64P(0.1, 200_000)
	f.Stale, f.HasEmail = boolP(0.15), boolP(0.15)
	sel.Sort = pick(rng, agSorts)
	return sel
}

// agreementData writes three users and 240 contacts with varied fields,
// health, cadence and last touch, and returns the users' ids.
func agreementData(t *testing.T, ctx context.Context, d *db.DB, rng *rand.Rand) []int {
	t.Helper()
	var users []int
	for i, role := range []string{crm.RoleManager, crm.RoleStaff, crm.RoleStaff} {
		u, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: fmt.Sprintf("u%d@example.com", i), Name: fmt.Sprintf("User %d", i),
			Role: role, Password: "correct horse battery staple"})
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, u.ID)
	}
	ins := make([]crm.ContactInput, 240)
	for i := range ins {
		city := pick(rng, agCities)
		in := crm.ContactInput{Kind: pick(rng, agKinds), FirstName: pick(rng, agFirst), LastName: pick(rng, agLast),
			City: city, Region: city, Stage: pick(rng, agStages), ConsentState: pick(rng, agConsent),
			LawfulBasis: pick(rng, agBasis), DoNotContact: rng.IntN(8) == 0, Topics: some(rng, agTopics, 0.7), Tags: some(rng, agTags, 0.5)}
		if rng.IntN(4) > 0 {
			in.Emails = []crm.EmailInput{{Address: fmt.Sprintf("c%d@example.de", i)}}
		}
		if rng.IntN(4) > 0 {
			o := users[rng.IntN(len(users))]
			in.OwnerID = &o
		}
		for _, p := range some(rng, agPlats, 0.7) {
			in.Channels = append(in.Channels, crm.ChannelInput{Platform: p, Handle: fmt.Sprintf("h%d", i), Followers: rng.Int64N(100_000)})
		}
		if rng.IntN(3) > 0 {
			in.Outlets = []crm.OutletRole{{Outlet: pick(rng, agOutlets), Role: "Redaktion"}}
		}
		ins[i] = in
	}
	ws := make([]crm.ContactWrite, len(ins))
	for i, in := range ins {
		if err := in.Check(); err != nil {
			t.Fatal(err)
		}
		ws[i] = crm.ContactWrite{In: in}
	}
	writer := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
	err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
		_, err := writer.Write(ctx, tx, ws, crm.WriteOptions{Trusted: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := d.Client.Contact.Query().IDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
		for _, id := range ids {
			if err := randomState(ctx, tx, rng, id, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return users
}

// randomState gives contact id a health, a cadence and a last touch.
func randomState(ctx context.Context, tx *ent.Tx, rng *rand.Rand, id int, now time.Time) error {
	{
		u := tx.Contact.UpdateOneID(id).SetHealth(rng.IntN(101))
		if rng.IntN(4) > 0 {
			// Half a day off whole days: the test takes minutes, and "stale"
			// must not change while it runs.
			u.SetTouchDueAt(now.Add(time.Duration(rng.IntN(60)-30)*24*time.Hour + 12*time.Hour))
		}
		if rng.IntN(3) > 0 {
			u.SetLastInteractionAt(now.Add(-time.Duration(rng.IntN(400)) * 24 * time.Hour).Truncate(time.Second))
		}
		return u.Exec(ctx)
	}
}
