package crm

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/segment"
)

// SegmentInput is what a user saves as a segment.
type SegmentInput struct {
	Name   string
	Shared bool
	Selection
}

// SegmentSummary is a segment with its live count.
type SegmentSummary struct {
	*ent.Segment
	OwnerName string
	Count     int // contacts matching now (before exclusions)
	Mine      bool
}

// SaveSegment creates (id 0) or updates a segment; only its owner changes it.
func SaveSegment(ctx context.Context, client *ent.Client, id int, in SegmentInput) (*ent.Segment, error) {
	a := ActorFrom(ctx)
	in.Name, in.Query = strings.TrimSpace(in.Name), strings.TrimSpace(in.Query)
	fe := FieldErrors{}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 120 {
		fe.Add("name", "Name the segment (at most 120 characters).")
	}
	if err := CheckText("query", in.Query); err != nil {
		fe.Add("query", ErrorMessage(err))
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var s *ent.Segment
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		var err error
		if id == 0 {
			s, err = tx.Segment.Create().SetName(in.Name).SetShared(in.Shared).SetQuery(in.Query).
				SetFilter(in.Filter).SetOwnerID(a.UserID).Save(ctx)
		} else {
			if s, err = ownSegment(ctx, tx.Client(), id); err != nil {
				return err
			}
			s, err = tx.Segment.UpdateOne(s).SetName(in.Name).SetShared(in.Shared).SetQuery(in.Query).SetFilter(in.Filter).Save(ctx)
		}
		if err != nil {
			return fmt.Errorf("save segment: %w", err)
		}
		action := ActionCreate
		if id != 0 {
			action = ActionUpdate
		}
		return audit(ctx, tx, Event{Action: action, Entity: EntitySegment, EntityID: s.ID, Summary: s.Name})
	})
	return s, err
}

// ownSegment loads a segment the actor owns.
func ownSegment(ctx context.Context, client *ent.Client, id int) (*ent.Segment, error) {
	s, err := client.Segment.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, Errorf(ENotFound, "This segment does not exist (any more).")
	}
	if err != nil {
		return nil, fmt.Errorf("load segment %d: %w", id, err)
	}
	switch mine := s.OwnerID != nil && *s.OwnerID == ActorFrom(ctx).UserID; {
	case !mine && !s.Shared: // someone else's private segment does not exist for the actor
		return nil, Errorf(ENotFound, "This segment does not exist (any more).")
	case !mine:
		return nil, Errorf(EForbidden, "Only the segment's owner can change it.")
	}
	return s, nil
}

// DeleteSegment removes a segment the actor owns.
func DeleteSegment(ctx context.Context, client *ent.Client, id int) error {
	return db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		s, err := ownSegment(ctx, tx.Client(), id)
		if err != nil {
			return err
		}
		if err := tx.Segment.DeleteOne(s).Exec(ctx); err != nil {
			return fmt.Errorf("delete segment %d: %w", id, err)
		}
		return audit(ctx, tx, Event{Action: ActionDelete, Entity: EntitySegment, EntityID: id, Summary: s.Name})
	})
}

// VisibleSegment loads a segment the actor may use: their own or a shared one.
func VisibleSegment(ctx context.Context, client *ent.Client, id int) (*ent.Segment, error) {
	s, err := client.Segment.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, Errorf(ENotFound, "This segment does not exist (any more).")
	}
	if err != nil {
		return nil, fmt.Errorf("load segment %d: %w", id, err)
	}
	if !s.Shared && (s.OwnerID == nil || *s.OwnerID != ActorFrom(ctx).UserID) {
		return nil, Errorf(ENotFound, "This segment does not exist (any more).")
	}
	return s, nil
}

// SegmentByName finds a visible segment by name (for the command line).
func SegmentByName(ctx context.Context, client *ent.Client, name string) (*ent.Segment, error) {
	a := ActorFrom(ctx)
	s, err := client.Segment.Query().Where(segment.Name(name),
		segment.Or(segment.Shared(true), segment.OwnerID(a.UserID))).First(ctx)
	if ent.IsNotFound(err) {
		return nil, Errorf(ENotFound, "No segment named %q that you may use.", name)
	}
	return s, err
}

// SegmentSelection is who a saved segment means (in name order).
func SegmentSelection(s *ent.Segment) Selection { return Selection{Query: s.Query, Filter: s.Filter} }

// ListSegments returns the actor's own and the team's shared segments with
// their live counts.
func (s *Selections) ListSegments(ctx context.Context) ([]SegmentSummary, error) {
	a := ActorFrom(ctx)
	segs, err := s.client.Segment.Query().Where(segment.Or(segment.Shared(true), segment.OwnerID(a.UserID))).
		WithOwner().Order(segment.ByName()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list segments: %w", err)
	}
	out := make([]SegmentSummary, len(segs))
	for i, seg := range segs {
		n, err := s.Count(ctx, SegmentSelection(seg))
		if err != nil {
			return nil, err
		}
		out[i] = SegmentSummary{Segment: seg, Count: n, Mine: seg.OwnerID != nil && *seg.OwnerID == a.UserID}
		if seg.Edges.Owner != nil {
			out[i].OwnerName = seg.Edges.Owner.Name
		}
	}
	return out, nil
}
