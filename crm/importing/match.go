package importing

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/ent"
)

// found holds what one batch's look-ups found: existing ids, and the
// contacts that own each e-mail and handle.
type found struct {
	ids     map[int]bool
	emails  map[string]int
	handles map[string]int
}

// lookup runs one query per kind of key for a whole batch.
func lookup(ctx context.Context, client *ent.Client, ids []int, emails, handles []string) (*found, error) {
	f := &found{}
	var err error
	if f.ids, err = existingIDs(ctx, client, dedupInts(ids)); err != nil {
		return nil, err
	}
	if f.emails, err = findByEmails(ctx, client, dedup(emails)); err != nil {
		return nil, err
	}
	if f.handles, err = findByHandles(ctx, client, dedup(handles)); err != nil {
		return nil, err
	}
	return f, nil
}

// match returns the contact a key leads to.
func (f *found) match(k string) (int, bool) {
	kind, v, _ := strings.Cut(k, ":")
	switch kind {
	case "i":
		id, _ := strconv.Atoi(v)
		return id, f.ids[id]
	case "e":
		id, ok := f.emails[v]
		return id, ok
	case "h":
		id, ok := f.handles[v]
		return id, ok
	}
	return 0, false
}

// contacts is every contact any key leads to.
func (f *found) contacts() map[int]bool {
	out := map[int]bool{}
	for id := range f.ids {
		out[id] = true
	}
	for _, id := range f.emails {
		out[id] = true
	}
	for _, id := range f.handles {
		out[id] = true
	}
	return out
}

func dedup(xs []string) []string {
	slices.Sort(xs)
	return slices.Compact(xs)
}

func dedupInts(xs []int) []int {
	slices.Sort(xs)
	return slices.Compact(xs)
}
