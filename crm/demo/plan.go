package demo

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"time"
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
		day := g.base.AddDate(0, 0, -1-int(1095*math.Pow(r.Float64(), 1.4)))
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
