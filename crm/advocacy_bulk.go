package crm

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// Bulk actions of the advocate list.
const (
	BulkAssignOwner = "assign_owner"
	BulkAddTag      = "add_tag"
	BulkMoveStage   = "move_stage"
)

// maxBulk is the most contacts one bulk action changes (a page is at most 200).
const maxBulk = 500

// BulkInput is a bulk action on the chosen contacts.
type BulkInput struct {
	Action  string
	IDs     []int
	OwnerID int    // assign_owner
	Tag     string // add_tag
	Stage   string // move_stage
}

func (in *BulkInput) validate() error {
	in.Tag = strings.TrimSpace(in.Tag)
	in.IDs = uniqueInts(in.IDs)
	fe := FieldErrors{}
	switch {
	case len(in.IDs) == 0:
		fe.Add("ids", "Tick at least one contact.")
	case len(in.IDs) > maxBulk:
		fe.Add("ids", fmt.Sprintf("At most %d contacts at once.", maxBulk))
	}
	switch in.Action {
	case BulkAssignOwner:
		if in.OwnerID <= 0 {
			fe.Add("owner", "Choose the new owner.")
		}
	case BulkAddTag:
		if in.Tag == "" || utf8.RuneCountInString(in.Tag) > 100 {
			fe.Add("tag", "Enter a tag of at most 100 characters.")
		}
	case BulkMoveStage:
		if contact.StageValidator(contact.Stage(in.Stage)) != nil {
			fe.Add("stage", "Choose a stage.")
		} else if in.Stage == string(contact.StageAdvocate) {
			// Advocates are made by a reviewed nomination with evidence, never in bulk.
			fe.Add("stage", "Advocates are approved one by one through a nomination.")
		}
	default:
		fe.Add("action", "Choose what to do with the ticked contacts.")
	}
	return fe.Err()
}

// Bulk applies one action of the advocate list to the ticked contacts as
// a bulk action of the registry (through the contact writer, audited,
// undoable) and returns how many changed (a contact that already has the
// owner, tag or stage does not count).
func Bulk(ctx context.Context, client *ent.Client, in BulkInput) (int, error) {
	if err := in.validate(); err != nil {
		return 0, err
	}
	w := writerFor(client)
	req := BulkRequest{Scope: BulkScopeRows, IDs: in.IDs}
	switch in.Action {
	case BulkAssignOwner:
		req.Action, req.Value = "set_owner", strconv.Itoa(in.OwnerID)
	case BulkAddTag:
		req.Action, req.Value = "add_tag", in.Tag
	case BulkMoveStage:
		req.Action, req.Value = "set_stage", in.Stage
	}
	id, err := NewBulkActions(client, w, nil, nil).Start(ctx, req)
	if err != nil {
		return 0, err
	}
	ba, err := client.BulkAction.Get(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("bulk %s: %w", in.Action, err)
	}
	return ba.Changed, nil
}
