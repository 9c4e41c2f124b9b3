package crm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
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
	OwnerName  string
	Count      int    // contacts matching now (before exclusions), at most TotalCap
	More       bool   // more than TotalCap match
	CountError string // why the segment could not be counted, "" when it was
	Mine       bool
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
			if err := checkSegmentQuota(ctx, tx, a.UserID); err != nil {
				return err
			}
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
		return audit(ctx, tx, Event{Action: action, Entity: EntitySegment, EntityID: s.ID, Msg: MsgNamed(s.Name)})
	})
	return s, err
}

// checkSegmentQuota refuses a new segment past MaxSegmentsPerUser, deciding
// with the user's segment writes serialised (see lockUser).
func checkSegmentQuota(ctx context.Context, tx *ent.Tx, userID int) error {
	if err := lockUser(ctx, tx, segmentQuotaLock, userID); err != nil {
		return err
	}
	n, err := tx.Segment.Query().Where(segment.OwnerID(userID)).Count(ctx)
	if err != nil {
		return fmt.Errorf("count own segments: %w", err)
	}
	if n >= MaxSegmentsPerUser {
		return &Error{Code: EInvalid, Message: fmt.Sprintf("You have %d segments, the most one person can keep. Delete some you no longer use first.", n),
			Fields: map[string]string{"name": fmt.Sprintf("At most %d segments per person.", MaxSegmentsPerUser)}}
	}
	return nil
}

// segmentQuotaLock is the first key of the advisory lock on a user's segments.
const segmentQuotaLock = 0x53454753 // "SEGS"

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
		return audit(ctx, tx, Event{Action: ActionDelete, Entity: EntitySegment, EntityID: id, Msg: MsgNamed(s.Name)})
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
		return nil, NewError(ENotFound, "No segment named “{{.Name}}” that you may use.", "Name", name)
	}
	return s, err
}

// SegmentSelection is who a saved segment means (in name order).
func SegmentSelection(s *ent.Segment) Selection { return Selection{Query: s.Query, Filter: s.Filter} }

// SegmentsPerPage is how many segments /segments lists at once: it counts
// the members of those only, so a user who sees many shared segments does
// not make the page slow for everyone.
const SegmentsPerPage = 25

// MaxSegmentsPerUser bounds the segments one user owns.
const MaxSegmentsPerUser = 500

// countWorkers is how many segment counts run at once for one page.
const countWorkers = 4

// SegmentPage is one page of the segments the actor may use, by name.
type SegmentPage struct {
	Rows []SegmentSummary
	Page int  // from 1
	More bool // a next page exists
}

// ListSegments returns page (from 1) of the segments the actor may use,
// each with its live count (capped at TotalCap, remembered until the next
// write). A segment that cannot be counted (a text over today's limits,
// saved before them) shows why instead of breaking the page.
func (s *Selections) ListSegments(ctx context.Context, page int) (*SegmentPage, error) {
	a := ActorFrom(ctx)
	page = max(page, 1)
	segs, err := s.client.Segment.Query().Where(segment.Or(segment.Shared(true), segment.OwnerID(a.UserID))).
		WithOwner().Order(segment.ByName(), segment.ByID()).Offset((page - 1) * SegmentsPerPage).Limit(SegmentsPerPage + 1).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list segments: %w", err)
	}
	out := &SegmentPage{Page: page, More: len(segs) > SegmentsPerPage}
	segs = segs[:min(len(segs), SegmentsPerPage)]
	out.Rows = make([]SegmentSummary, len(segs))
	errs := make([]error, len(segs))
	slots := make(chan struct{}, countWorkers)
	var wg sync.WaitGroup
	for i, seg := range segs {
		row := &out.Rows[i]
		*row = SegmentSummary{Segment: seg, Mine: seg.OwnerID != nil && *seg.OwnerID == a.UserID}
		if seg.Edges.Owner != nil {
			row.OwnerName = seg.Edges.Owner.Name
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			n, err := s.countCapped(ctx, SegmentSelection(seg))
			switch {
			case ErrorCode(err) == EInvalid:
				row.CountError = ErrorMessage(err)
			case err != nil:
				errs[i] = err
			default:
				row.Count, row.More = min(n, TotalCap), n > TotalCap
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// countCapped counts sel's members up to TotalCap+1, from the cache when
// the same selection was counted since the last write.
func (s *Selections) countCapped(ctx context.Context, sel Selection) (int, error) {
	if err := CheckText("q", sel.Query); err != nil {
		return 0, err
	}
	if s.counts == nil {
		return s.Count(ctx, sel, TotalCap+1)
	}
	key, err := json.Marshal(sel)
	if err != nil {
		return 0, fmt.Errorf("segment count key: %w", err)
	}
	return s.counts.Get(ctx, string(key), func(ctx context.Context) (int, error) { return s.Count(ctx, sel, TotalCap+1) })
}
