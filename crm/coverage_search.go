package crm

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/rapport-crm/rapport/search"
)

// CoverageSearch is a search of one campaign's coverage.
type CoverageSearch struct {
	Q      string  // the text as searched ("" none)
	Pieces []Piece // the pieces that match, in the report's order
	Of     int     // the campaign's pieces searched
}

// SearchCoverage keeps the pieces ps (a campaign's, as its report reads
// them, at most MaxReportPieces) whose title, outlet or authors match q with
// the search index's language rules (search.ParseNotes, as the timeline:
// stems and umlauts, "phrases", -exclusions): the title is matched as a
// note's subject, outlet and authors as its body. q is bounded as every
// search text (CheckText: the field "cq"); a q of only stop words keeps
// every piece. The analysis runs on every core (about 50 µs a piece).
func SearchCoverage(_ context.Context, ps []Piece, q string) (*CoverageSearch, error) {
	q = strings.TrimSpace(q)
	r := &CoverageSearch{Q: q, Pieces: ps, Of: len(ps)}
	if q == "" {
		return r, nil
	}
	if err := CheckText("cq", q); err != nil {
		return nil, err
	}
	nq, err := search.ParseNotes(q)
	if err != nil {
		return nil, fmt.Errorf("coverage search: %w", err)
	}
	if nq == nil {
		return r, nil
	}
	matched := matchEach(len(ps), func(k int) bool {
		return nq.Match(ps[k].Title, ps[k].Outlet+"\n"+strings.Join(ps[k].Authors, ", "))
	})
	r.Pieces = nil
	for k, ok := range matched {
		if ok {
			r.Pieces = append(r.Pieces, ps[k])
		}
	}
	return r, nil
}

// matchEach calls match for 0 … n-1 on every core at once (the language
// analysis is the cost) and returns what each said.
func matchEach(n int, match func(k int) bool) []bool {
	matched := make([]bool, n)
	workers := min(runtime.GOMAXPROCS(0), n/50+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < n; k += workers {
				matched[k] = match(k)
			}
		}()
	}
	wg.Wait()
	return matched
}
