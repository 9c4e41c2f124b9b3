package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/coverageauthor"
	"github.com/rapport-crm/rapport/ent/coverageitem"
	"github.com/rapport-crm/rapport/ent/participation"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/search"
)

// Campaign figures of the issue at 100,000 contacts, scaled with the size:
// 200 campaigns and 50,000 coverage items.
const (
	campaignsAt100k = 200
	coverageAt100k  = 50_000
)

// campaignSet is a database of its own (never rapport_bench_*): the demo at
// campaignSize() contacts plus campaigns with targets in every state and coverage.
type campaignSet struct {
	d       *db.DB
	url     string
	svc     *crm.Campaigns
	ctx     context.Context
	ids     []int // campaign ids
	brandID int
}

// campaignSize is RAPPORT_CAMPAIGN_BENCH_SIZE contacts, by default the
// benchmark size (then the set starts as a copy of the prepared dataset).
func campaignSize() int {
	if n, err := strconv.Atoi(os.Getenv("RAPPORT_CAMPAIGN_BENCH_SIZE")); err == nil && n > 0 {
		return n
	}
	return Size()
}

// campaignDataset builds the set for one benchmark (its database is
// dropped when the benchmark ends).
func campaignDataset(b *testing.B) *campaignSet {
	b.Helper()
	s, err := buildCampaignSet(b)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.d.Close() })
	return s
}

func buildCampaignSet(b *testing.B) (*campaignSet, error) {
	ctx := context.Background()
	n := campaignSize()
	start := time.Now()
	u, copied := copyOfDataset(b, n)
	d, err := db.Open(ctx, u, "", search.Outbox(), nil)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		return nil, err
	}
	if !copied {
		if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: n, Seed: Seed}); err != nil {
			return nil, err
		}
	}
	mgr := d.Client.User.Query().Where(user.RoleEQ(user.RoleManager)).FirstX(ctx)
	actx := crm.WithActor(ctx, crm.Actor{UserID: mgr.ID, Name: mgr.Name, Role: "manager"})
	svc := crm.NewCampaigns(d.Client, d.Dialect, crm.NewSelections(d.Client, d.Dialect, nil, nil, nil), nil)
	s := &campaignSet{d: d, url: u, svc: svc, ctx: actx}
	b2, err := svc.SaveBrand(actx, crm.BrandInput{Name: "Benchmark-Kunde"})
	if err != nil {
		return nil, err
	}
	s.brandID = b2.ID
	contacts, err := d.Client.Contact.Query().Order(contact.ByID()).IDs(ctx)
	if err != nil {
		return nil, err
	}
	camps := max(4, campaignsAt100k*n/100_000)
	pieces := coverageAt100k * n / 100_000
	r := rand.New(rand.NewPCG(1, 2))
	for k := range camps {
		c, err := svc.CreateCampaign(actx, crm.CampaignInput{BrandID: b2.ID, Name: fmt.Sprint("Kampagne ", k),
			KeyMessages: []string{"Botschaft A", "Botschaft B", "Botschaft C"}, StartsAt: time.Now().AddDate(0, 0, -60), Status: "running"})
		if err != nil {
			return nil, err
		}
		s.ids = append(s.ids, c.ID)
		if err := fillCampaign(ctx, d, c.ID, contacts, r, pieces/camps); err != nil {
			return nil, err
		}
	}
	if _, err := d.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
		return nil, err
	}
	b.Logf("campaign dataset: %d contacts, %d campaigns, %d coverage items in %s", n, camps, pieces, time.Since(start).Round(time.Second))
	return s, nil
}

// fillCampaign writes 250 targets in every state and pieces coverage items
// with one or two authors each, set-wise (the data, not the measurement).
func fillCampaign(ctx context.Context, d *db.DB, id int, contacts []int, r *rand.Rand, pieces int) error {
	states := crm.PitchStatuses()
	now := time.Now().UTC()
	var vals []string
	var args []any
	seen := map[int]bool{}
	var targets []int
	for len(targets) < min(250, len(contacts)) {
		cid := contacts[r.IntN(len(contacts))]
		if seen[cid] {
			continue
		}
		seen[cid] = true
		targets = append(targets, cid)
		st := states[r.IntN(len(states))]
		var pitched, replied any
		if st != crm.PitchPlanned {
			pitched = now.AddDate(0, 0, -r.IntN(50))
		}
		if st == crm.PitchReplied || st == crm.PitchInterested || st == crm.PitchDeclined || st == crm.PitchCovered {
			replied = now.AddDate(0, 0, -r.IntN(30))
		}
		args = append(args, id, cid, st, now, pitched, replied)
		k := len(args)
		vals = append(vals, fmt.Sprintf("($%d, $%d, $%d, 'list', $%d, $%d, $%d, $%d, 1)", k-5, k-4, k-3, k-2, k-1, k, k-2))
	}
	if _, err := d.SQL.ExecContext(ctx, `INSERT INTO campaign_targets (campaign_id, contact_id, status, source, added_at, pitched_at, replied_at, status_at, pitch_count) VALUES `+
		strings.Join(vals, ", "), args...); err != nil {
		return err
	}
	kinds := []string{"article", "blog_post", "social_post", "broadcast", "podcast"}
	types := []string{"newspaper", "magazine", "blog", "tv", "radio", "online"}
	sent := []string{"positive", "neutral", "negative"}
	for lo := 0; lo < pieces; lo += 500 {
		vals, args = vals[:0], args[:0]
		for j := lo; j < min(pieces, lo+500); j++ {
			args = append(args, id, fmt.Sprintf("https://example.de/%d/%d", id, j), fmt.Sprintf("example.de/%d/%d", id, j),
				fmt.Sprintf("Artikel %d zu Kampagne %d", j, id), "Outlet "+strconv.Itoa(r.IntN(40)), types[r.IntN(len(types))],
				now.AddDate(0, 0, -r.IntN(60)), kinds[r.IntN(len(kinds))], int64(r.IntN(200000)), sent[r.IntN(3)], `["Botschaft A"]`, now)
			k := len(args)
			vals = append(vals, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d::jsonb, $%d, $%d)", k-11, k-10, k-9, k-8, k-7, k-6, k-5, k-4, k-3, k-2, k-1, k, k))
		}
		rows, err := d.SQL.QueryContext(ctx, `INSERT INTO coverage_items (campaign_id, url, url_key, title, outlet_name, outlet_type, published_at, kind, reach, sentiment, key_messages, created_at, updated_at) VALUES `+
			strings.Join(vals, ", ")+" RETURNING id", args...)
		if err != nil {
			return err
		}
		var auth []string
		var aargs []any
		for rows.Next() {
			var item int
			if err := rows.Scan(&item); err != nil {
				rows.Close()
				return err
			}
			aargs = append(aargs, item, targets[r.IntN(len(targets))])
			auth = append(auth, fmt.Sprintf("($%d, $%d)", len(aargs)-1, len(aargs)))
		}
		rows.Close()
		if len(auth) > 0 {
			if _, err := d.SQL.ExecContext(ctx, "INSERT INTO coverage_authors (coverage_item_id, contact_id) VALUES "+strings.Join(auth, ", "), aargs...); err != nil {
				return err
			}
		}
	}
	return nil
}

// BenchmarkCampaignReport computes the report of random campaigns
// (crm.Campaigns.Report: a grouped funnel count and three reads), next to
// the naive peer: the ORM loop per target and per piece.
func BenchmarkCampaignReport(b *testing.B) {
	s := campaignDataset(b)
	r := rand.New(rand.NewPCG(3, 4))
	b.Run("service", func(b *testing.B) {
		var lat latencies
		for b.Loop() {
			id := s.ids[r.IntN(len(s.ids))]
			lat.time(func() {
				if _, err := s.svc.Report(s.ctx, id); err != nil {
					b.Fatal(err)
				}
			})
		}
		lat.report(b)
	})
	b.Run("naive", func(b *testing.B) {
		var lat latencies
		for b.Loop() {
			id := s.ids[r.IntN(len(s.ids))]
			lat.time(func() { naiveReport(b, s.ctx, s.d.Client, id) })
		}
		lat.report(b)
	})
}

// naiveReport is the report as a per-contact ORM loop would compute it:
// each target, its contact and its participations, then each piece with its
// authors and their topics.
func naiveReport(b *testing.B, ctx context.Context, c *ent.Client, id int) crm.Funnel {
	var f crm.Funnel
	ts := c.CampaignTarget.Query().Where(campaigntarget.CampaignID(id)).AllX(ctx)
	for _, t := range ts {
		f.Targets++
		ct := c.Contact.GetX(ctx, t.ContactID)
		_ = c.Participation.Query().Where(participation.ContactID(ct.ID)).CountX(ctx)
		if t.PitchedAt != nil {
			f.Pitched++
		}
		if t.RepliedAt != nil {
			f.Replied++
		}
		if t.Status == campaigntarget.StatusCovered {
			f.Covered++
		}
	}
	for _, it := range c.CoverageItem.Query().Where(coverageitem.CampaignID(id)).AllX(ctx) {
		f.Pieces++
		for _, a := range c.CoverageAuthor.Query().Where(coverageauthor.CoverageItemID(it.ID)).AllX(ctx) {
			_ = c.Contact.Query().Where(contact.ID(a.ContactID)).QueryTopics().AllX(ctx)
		}
	}
	return f
}

// BenchmarkCampaignList lists the first page of campaigns (50, what
// /campaigns shows) with their progress, as a manager.
func BenchmarkCampaignList(b *testing.B) {
	s := campaignDataset(b)
	var lat latencies
	for b.Loop() {
		lat.time(func() {
			page, err := s.svc.Page(s.ctx, crm.CampaignFilter{Limit: 50})
			if err != nil || len(page.Rows) == 0 {
				b.Fatal(page, err)
			}
		})
	}
	lat.report(b)
}

// BenchmarkPitch freezes a 5,000-person list (or the whole dataset when
// smaller) into a new campaign and pitches it in one request: committed-ms
// is until the pitch has committed, searchable-ms until the pitch's subject
// finds every pitched person in the search index (which follows the outbox).
func BenchmarkPitch(b *testing.B) {
	s := campaignDataset(b)
	dir := b.TempDir()
	idx, err := search.Open(context.Background(), search.Options{Dir: dir, Querier: s.d.Querier(), DB: s.d.SQL, Dialect: s.d.Dialect, ListenURL: s.url})
	if err != nil {
		b.Fatal(err)
	}
	ictx, stop := context.WithCancel(context.Background())
	defer func() { stop(); idx.Close() }()
	go idx.Run(ictx)
	contacts := s.d.Client.Contact.Query().Order(contact.ByID()).Limit(5000).IDsX(s.ctx)
	var committed, searchable latencies
	n := 0
	for b.Loop() {
		n++
		c, err := s.svc.CreateCampaign(s.ctx, crm.CampaignInput{BrandID: s.brandID, Name: fmt.Sprint("Pitch-Benchmark ", n), StartsAt: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.svc.AddTargets(s.ctx, c.ID, contacts); err != nil {
			b.Fatal(err)
		}
		if err := idx.Sync(s.ctx); err != nil { // start from an index that has caught up
			b.Fatal(err)
		}
		word := fmt.Sprintf("Pitchwort%dx%d", time.Now().UnixNano()%1e9, n)
		start := time.Now()
		res, err := s.svc.Pitch(s.ctx, c.ID, crm.PitchInput{Subject: word + " Neuheit", FollowUpDays: 7})
		if err != nil {
			b.Fatal(err)
		}
		committed = append(committed, time.Since(start))
		for {
			out, err := idx.Search(s.ctx, search.Request{Q: word, Size: 1})
			if err != nil {
				b.Fatal(err)
			}
			if int(out.Total) >= res.Pitched {
				break
			}
			if time.Since(start) > 5*time.Minute {
				b.Fatalf("pitch not searchable after 5 min: %d of %d", out.Total, res.Pitched)
			}
			time.Sleep(5 * time.Millisecond)
		}
		searchable = append(searchable, time.Since(start))
		b.ReportMetric(float64(res.Pitched), "pitched")
		if err := s.d.Client.Campaign.Update().Where(campaign.ID(c.ID)).SetStatus(campaign.StatusDone).Exec(s.ctx); err != nil {
			b.Fatal(err)
		}
	}
	report := func(l latencies, name string) {
		if len(l) > 0 {
			var worst time.Duration
			for _, d := range l {
				worst = max(worst, d)
			}
			b.ReportMetric(float64(worst.Milliseconds()), name)
		}
	}
	report(committed, "committed-max-ms")
	report(searchable, "searchable-max-ms")
}
