package crm

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contacttag"
	"github.com/rapport-crm/rapport/ent/user"
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

// Bulk applies one action to many contacts in one transaction, auditing
// each contact it changes, and returns how many changed (a contact that
// already has the owner, tag or stage does not count).
func Bulk(ctx context.Context, client *ent.Client, in BulkInput) (int, error) {
	if err := in.validate(); err != nil {
		return 0, err
	}
	changed := 0
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		cs, err := tx.Contact.Query().Where(contact.IDIn(in.IDs...)).Select(contact.FieldID, contact.FieldOwnerID, contact.FieldStage).All(ctx)
		if err != nil {
			return fmt.Errorf("bulk %s: %w", in.Action, err)
		}
		switch in.Action {
		case BulkAssignOwner:
			changed, err = bulkOwner(ctx, tx, cs, in.OwnerID)
		case BulkAddTag:
			changed, err = bulkTag(ctx, tx, cs, in.Tag)
		case BulkMoveStage:
			changed, err = bulkStage(ctx, tx, cs, in.Stage)
		}
		return err
	})
	return changed, err
}

func bulkOwner(ctx context.Context, tx *ent.Tx, cs []*ent.Contact, owner int) (int, error) {
	if ok, err := tx.User.Query().Where(user.ID(owner), user.Active(true)).Exist(ctx); err != nil {
		return 0, fmt.Errorf("bulk owner: %w", err)
	} else if !ok {
		return 0, (FieldErrors{"owner": "Choose an active colleague."}).Err()
	}
	var ids []int
	for _, c := range cs {
		if c.OwnerID == nil || *c.OwnerID != owner {
			ids = append(ids, c.ID)
			was := 0
			if c.OwnerID != nil {
				was = *c.OwnerID
			}
			if err := audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityContact, EntityID: c.ID, Summary: "owner (bulk)",
				Changes: Changes{"owner_id": {was, owner}}}); err != nil {
				return 0, err
			}
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	if err := tx.Contact.Update().Where(contact.IDIn(ids...)).SetOwnerID(owner).AddVersion(1).Exec(ctx); err != nil {
		return 0, fmt.Errorf("bulk owner: %w", err)
	}
	return len(ids), nil
}

func bulkTag(ctx context.Context, tx *ent.Tx, cs []*ent.Contact, name string) (int, error) {
	tags, err := findOrCreateNames(ctx, tx, tagTable, []string{name}, nil)
	if err != nil {
		return 0, err
	}
	tagIDs := []int{tags[foldKey(name)].id}
	ids := make([]int, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	have, err := tx.ContactTag.Query().Where(contacttag.TagID(tagIDs[0]), contacttag.ContactIDIn(ids...)).Select(contacttag.FieldContactID).Ints(ctx)
	if err != nil {
		return 0, fmt.Errorf("bulk tag: %w", err)
	}
	var bulk []*ent.ContactTagCreate
	for _, c := range cs {
		if containsInt(have, c.ID) {
			continue
		}
		bulk = append(bulk, tx.ContactTag.Create().SetContactID(c.ID).SetTagID(tagIDs[0]))
		if err := audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityContact, EntityID: c.ID, Summary: "tags (bulk)",
			Changes: Changes{"tags": {nil, "+" + name}}}); err != nil {
			return 0, err
		}
	}
	if len(bulk) > 0 {
		if err := tx.ContactTag.CreateBulk(bulk...).Exec(ctx); err != nil {
			return 0, fmt.Errorf("bulk tag: %w", err)
		}
	}
	return len(bulk), nil
}

func bulkStage(ctx context.Context, tx *ent.Tx, cs []*ent.Contact, stage string) (int, error) {
	ids := make([]int, 0, len(cs))
	n := 0
	for _, c := range cs {
		ids = append(ids, c.ID)
		if string(c.Stage) != stage {
			n++
		}
	}
	return n, moveStage(ctx, tx, ids, stage, "bulk")
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
