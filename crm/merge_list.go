package crm

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
)

// MergeSide is one of the two contacts of the merge form.
type MergeSide struct {
	ID, Version int
	Name        string
	In          ContactInput
}

// MergeRow is one field of the merge form with both values.
type MergeRow struct {
	Key, Label string
	A, B       string
}

// MergePair is what the side-by-side merge form shows of contacts a and b.
type MergePair struct {
	A, B MergeSide
	Rows []MergeRow
}

// MergePair loads contacts a and b for the merge form; ENotFound when one
// of them does not exist (any more).
func (w *ContactWriter) MergePair(ctx context.Context, a, b int) (MergePair, error) {
	if a == b {
		return MergePair{}, errSameContact
	}
	st, err := loadStored(ctx, w.client, w.dialect, []int{a, b})
	if err != nil {
		return MergePair{}, err
	}
	if st[a] == nil || st[b] == nil {
		return MergePair{}, errGone
	}
	side := func(s *stored) MergeSide {
		return MergeSide{ID: s.c.ID, Version: s.c.Version, Name: DisplayName(s.in.FirstName, s.in.LastName), In: s.in}
	}
	p := MergePair{A: side(st[a]), B: side(st[b])}
	for _, f := range MergeFields {
		p.Rows = append(p.Rows, MergeRow{Key: f.Key, Label: f.Label, A: f.Value(p.A.In), B: f.Value(p.B.In)})
	}
	return p, nil
}

// MergeRecord is a merge of the trail, for the list of recent merges.
type MergeRecord struct {
	EventID int
	At      time.Time
	By      string
	Summary string // in the locale of RecentMerges' context (AuditText)
	Undone  bool
}

// RecentMerges lists the last limit merges, newest first.
func RecentMerges(ctx context.Context, client *ent.Client, limit int) ([]MergeRecord, error) {
	evs, err := client.AuditEvent.Query().Where(auditevent.Action(ActionMerge)).
		Order(ent.Desc(auditevent.FieldID)).Limit(limit).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("recent merges: %w", err)
	}
	out := make([]MergeRecord, len(evs))
	for i, e := range evs {
		out[i] = MergeRecord{EventID: e.ID, At: e.At, By: e.ActorName, Summary: AuditText(ctx, e), Undone: e.Changes[mergeSnapshotKey][1] == nil}
	}
	return out, nil
}
