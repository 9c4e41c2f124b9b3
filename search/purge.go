package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// purgeTimeout bounds how long Purge waits for the old segment files to go.
const purgeTimeout = 30 * time.Second

// purgeDoc is a placeholder document Purge adds (and deletes once the
// merge is done) so that the index has at least two segments: bleve's merge
// planner leaves a lone segment alone, deleted documents and all.
const purgeDoc = "purge-placeholder"

// Purge makes the deletions of the change log physical: it syncs, then has
// scorch merge every segment into one (a merge writes only live documents)
// and waits until the files of the old segments are gone. After an erasure,
// no index file holds the erased person's bytes. It rewrites the whole
// index: its cost grows with the index, not with what was erased.
//
// While the index is being built in the background there is nothing to
// purge yet (the empty placeholder); a person erased after the build read
// them is deleted from the new index by its catch-up, not purged.
func (s *Service) Purge(ctx context.Context) error {
	if s.building.Load() != nil {
		return nil
	}
	if err := s.Sync(ctx); err != nil {
		return err
	}
	return s.withIndex(func(ix *Index) error { return ix.purge(ctx) })
}

func (ix *Index) purge(ctx context.Context) error {
	adv, err := ix.b.Advanced()
	if err != nil {
		return fmt.Errorf("purge search index: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return errors.New("purge search index: not a scorch index")
	}
	dir := filepath.Join(ix.path, "store")
	before := zapFiles(dir)
	if err := ix.b.Index(purgeDoc, map[string]any{}); err != nil {
		return fmt.Errorf("purge search index: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, purgeTimeout)
	defer cancel()
	// Done when one segment file is left, written after the purge began (a
	// merge's output: only live documents), and no file of before remains.
	for {
		files := zapFiles(dir)
		dead, _ := sc.StatsMap()["num_bytes_used_disk_by_root_reclaimable"].(uint64)
		old := 0
		for f := range files {
			if before[f] {
				old++
			}
		}
		if len(files) <= 1 && old == 0 && dead == 0 {
			// The placeholder stays in the segment as a deleted, empty document.
			if err := ix.b.Delete(purgeDoc); err != nil {
				return fmt.Errorf("purge search index: %w", err)
			}
			return nil
		}
		opts := mergeplan.SingleSegmentMergePlanOptions
		if err := sc.ForceMerge(ctx, &opts); err != nil && !strings.Contains(err.Error(), "already in progress") {
			return fmt.Errorf("purge search index: %w", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("purge search index: %d segment files (%d old), %d B reclaimable: %w", len(files), old, dead, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// zapFiles are the segment files in dir.
func zapFiles(dir string) map[string]bool {
	es, _ := os.ReadDir(dir)
	out := map[string]bool{}
	for _, e := range es {
		if strings.HasSuffix(e.Name(), ".zap") {
			out[e.Name()] = true
		}
	}
	return out
}
