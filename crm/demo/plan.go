package demo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/rapport-crm/rapport/crm"
)

// demoPlanned is one interaction before it gets its text.
type demoPlanned struct {
	at   int64
	a, b int32 // contact indexes; b < 0 when only one contact takes part
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
		p.at = g.workday(r, 1+int(1095*math.Pow(r.Float64(), 1.4)))
		g.plan[j] = p
	}
	g.tally()
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
	g.keepUp()
}

// workday returns a time of day (7 to 18 o'clock UTC) days before the day of
// loading, moved from a weekend to the Friday before four times in five.
func (g *demoGen) workday(r *rand.Rand, days int) int64 {
	day := g.base.AddDate(0, 0, -days)
	if wd := day.Weekday(); (wd == time.Saturday || wd == time.Sunday) && r.IntN(10) < 8 {
		day = day.AddDate(0, 0, -1-int(wd+1)%7)
	}
	return day.Unix() + int64(7*3600+r.IntN(11*3600))
}

// tally sorts the plan by time and derives each contact's count, first and
// last interaction.
func (g *demoGen) tally() {
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
}

// demoKeptUp is the share (percent) of the contacts in touch whose latest
// interaction keepUp moves into their stage's cadence; with those recent
// already, about 83 % of all contacts are within their cadence (TestDemoLooksAliveWheneverLoaded).
const demoKeptUp = 50

// keepUp moves each contact's latest interaction nearer to the day of
// loading, so the share of contacts past their cadence is realistic (about
// 17 %) whatever the day: demoKeptUp percent to within the cadence, the rest
// to one to three cadences ago. An interaction only ever moves later; the
// counts and so the stages stay.
func (g *demoGen) keepUp() {
	r := g.rng(6)
	latest := make([]int, g.n) // 1 + plan index of the contact's latest interaction, 0 for none
	for j, p := range g.plan {
		for _, c := range [2]int32{p.a, p.b} {
			if c >= 0 {
				latest[c] = j + 1
			}
		}
	}
	for i, j := range latest {
		if j == 0 {
			continue
		}
		cadence := crm.DefaultStages.Cadence(g.stage[i])
		days := cadence + r.IntN(2*cadence)
		if r.IntN(100) < demoKeptUp {
			days = 1 + r.IntN(cadence-1)
		}
		if at := g.workday(r, days); at > g.plan[j-1].at {
			g.plan[j-1].at = at
		}
	}
	g.tally()
}
