package search

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"

	index "github.com/blevesearch/bleve_index_api"
)

// TestSegmentsAsBleve: contacts written as segments in small batches by two
// goroutines, merged three at a time as they come and then into one, and
// installed as an index, make an index of one segment that holds the same
// documents, terms (with their document counts) and stored values as an
// index that bleve maps and analyses itself.
func TestSegmentsAsBleve(t *testing.T) {
	const contacts, batch = 700, 8 // 88 segments: 29 merges as they come, one left over, then four rounds
	rng := rand.New(rand.NewPCG(3, 8))
	docs := map[int]*Document{}
	for id := 1; id <= contacts; id++ {
		docs[id] = richDoc(rng, id)
	}
	ids := slices.Sorted(maps.Keys(docs))
	plain := emptyIndex(t)
	pb := plain.b.NewBatch()
	for _, id := range ids {
		if err := pb.Index(strconv.Itoa(id), docs[id].fields()); err != nil {
			t.Fatal(err)
		}
	}
	if err := plain.b.Batch(pb); err != nil {
		t.Fatal(err)
	}

	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tmp := filepath.Join(dir, "gen-000002.build")
	if err := os.Mkdir(tmp, 0o750); err != nil {
		t.Fatal(err)
	}
	segs := newSegments(tmp, 3)
	batches := make(chan []int)
	go func() {
		defer close(batches)
		for b := range slices.Chunk(ids, batch) {
			batches <- b
		}
	}()
	var wg sync.WaitGroup
	for _, a := range []*docAnalysis{mustDocAnalysis(t, m), mustDocAnalysis(t, m)} {
		wg.Go(func() {
			for b := range batches {
				var out []index.Document
				for _, id := range b {
					doc, err := a.document(docs[id])
					if err != nil {
						t.Error(err)
						return
					}
					out = append(out, doc)
				}
				if err := segs.write(context.Background(), out); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	seg, err := segs.finish(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "gen-000002")
	if err := installSegment(path, tmp, seg, m); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "*.zap")); len(left) != 0 {
		t.Errorf("segments left behind: %v", left)
	}
	if zaps, _ := filepath.Glob(filepath.Join(path, "store", "*.zap")); len(zaps) != 1 {
		t.Errorf("the index has segments %v, want one", zaps)
	}
	built, err := openBleve(path, "gen-000002")
	if err != nil {
		t.Fatal(err)
	}
	defer built.Close()

	if n, err := built.Count(); err != nil || n != uint64(contacts) {
		t.Fatalf("built %d documents (%v), want %d", n, err, contacts)
	}
	for _, field := range []string{"_id", FieldText, FieldName, FieldOutlets, FieldHandles, FieldEmail, FieldSortName, FacetKind, FacetTopic, FacetOutlet} {
		want, got := dictionary(t, plain, field), dictionary(t, built, field)
		if len(want) == 0 || !maps.Equal(got, want) {
			var diff []string
			for term, n := range want {
				if got[term] != n {
					diff = append(diff, fmt.Sprintf("%q %d (want %d)", term, got[term], n))
				}
			}
			t.Errorf("field %s: %d terms, bleve's %d; these differ: %v", field, len(got), len(want), diff)
		}
	}
	for _, id := range []int{ids[0], ids[contacts/2], ids[contacts-1]} {
		if got, want := storedOf(t, built, id), storedOf(t, plain, id); len(want) == 0 || !maps.EqualFunc(got, want, slices.Equal) {
			t.Errorf("contact %d stores %v, want %v", id, got, want)
		}
	}
}

// dictionary is every term of field in ix with the number of documents
// that hold it (counted from its postings: zap's dictionary iterator
// reports 1 for a term read after a term of one document).
func dictionary(t *testing.T, ix *Index, field string) map[string]uint64 {
	t.Helper()
	d, err := ix.b.FieldDict(field)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var terms []string
	for e, err := d.Next(); e != nil || err != nil; e, err = d.Next() {
		if err != nil {
			t.Fatal(err)
		}
		terms = append(terms, e.Term)
	}
	counts := map[string]uint64{}
	readIndex(t, ix, func(r index.IndexReader) {
		for _, term := range terms {
			tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
			if err != nil {
				t.Fatal(err)
			}
			counts[term] = tfr.Count()
			tfr.Close()
		}
	})
	return counts
}

// storedOf is every stored value of contact id in ix, by field.
func storedOf(t *testing.T, ix *Index, id int) map[string][]string {
	t.Helper()
	doc, err := ix.b.Document(strconv.Itoa(id))
	if err != nil || doc == nil {
		t.Fatalf("contact %d: %v", id, err)
	}
	stored := map[string][]string{}
	doc.VisitFields(func(f index.Field) {
		stored[f.Name()] = append(stored[f.Name()], string(f.Value()))
	})
	return stored
}
