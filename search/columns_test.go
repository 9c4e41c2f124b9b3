package search

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestTieBreakByIDColumn: every order ends in the contact id read from the
// segments' id columns. On an index whose segments hold the ids out of
// order (written in batches from the highest id down, some rewritten and
// some deleted later), a search where all hits score alike lists them by
// id, numerically (9 before 10 before 100), and pages of 7 with the cursor
// list each exactly once; a sort by reach breaks its ties by id too.
func TestTieBreakByIDColumn(t *testing.T) {
	ix := emptyIndex(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 6))
	docs := map[int]*Document{}
	for hi := 1200; hi > 0; hi -= 300 { // one segment per batch, highest ids first
		var ids []int
		for id := hi; id > hi-300; id-- {
			docs[id] = facetDoc(rng, id)
			docs[id].Reach = int64(id % 3)
			ids = append(ids, id)
		}
		slices.Sort(ids)
		if err := ix.apply(ctx, ids, docs, 1, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var changed []int
	for range 60 {
		id := 1 + rng.IntN(1200)
		if rng.IntN(3) == 0 {
			delete(docs, id)
		} else {
			docs[id].Bio += " neu"
		}
		changed = append(changed, id)
	}
	slices.Sort(changed)
	if err := ix.apply(ctx, slices.Compact(changed), docs, 2, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := ix.warmColumns(); err != nil {
		t.Fatal(err)
	}
	if n := len(segmentsOf(t, ix)); n < 2 {
		t.Fatalf("%d segments, want several", n)
	}
	want := slices.Sorted(func(yield func(int) bool) {
		for id := range docs {
			if !yield(id) {
				return
			}
		}
	})
	byReach := slices.Clone(want)
	slices.SortStableFunc(byReach, func(a, b int) int { return cmp.Compare(docs[b].Reach, docs[a].Reach) })
	for _, c := range []struct {
		sort string
		want []int
	}{{SortRelevance, want}, {SortReach, byReach}} {
		var got []int
		after := ""
		for range len(want) {
			res, err := ix.Search(ctx, Request{Sort: c.sort, Size: 7, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			if after = res.Next; after == "" {
				break
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("sort %s, pages of 7: %d hits %v…, want %d %v…", c.sort, len(got), got[:min(len(got), 12)], len(c.want), c.want[:12])
		}
	}
}
