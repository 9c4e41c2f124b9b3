package importing

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importmapping"
)

// Templates lists the saved mappings by name.
func Templates(ctx context.Context, client *ent.Client) ([]*ent.ImportMapping, error) {
	ts, err := client.ImportMapping.Query().Order(ent.Asc(importmapping.FieldName)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: list mappings: %w", err)
	}
	return ts, nil
}

// SaveTemplate stores m under name; a new mapping belongs to userID. A
// mapping of that name is replaced only by its owner or a manager or admin
// (the actor of ctx), and the replacement is audited; anyone else is refused,
// so nobody changes what another's imports apply.
func SaveTemplate(ctx context.Context, client *ent.Client, name string, userID *int, m map[string]string) error {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: map[string]string{"template_name": "Name the mapping in 1 to 100 characters."}}
	}
	a := crm.ActorFrom(ctx)
	me := a.UserID
	if me == 0 && userID != nil {
		me = *userID
	}
	return withTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		old, err := tx.ImportMapping.Query().Where(importmapping.Name(name)).Only(ctx)
		if ent.IsNotFound(err) {
			err = tx.ImportMapping.Create().SetName(name).SetNillableUserID(userID).SetMapping(m).Exec(ctx)
			if ent.IsConstraintError(err) { // saved under this name meanwhile
				return mappingTaken(name)
			}
		}
		if err != nil {
			return fmt.Errorf("import: save mapping %q: %w", name, err)
		}
		if old == nil {
			return nil
		}
		mine := me != 0 && old.UserID != nil && *old.UserID == me
		if !mine && a.Role != "manager" && a.Role != "admin" {
			return mappingTaken(name)
		}
		if maps.Equal(old.Mapping, m) {
			return nil
		}
		up := tx.ImportMapping.UpdateOne(old).SetMapping(m)
		if old.UserID == nil {
			up.SetNillableUserID(userID)
		}
		if err := up.Exec(ctx); err != nil {
			return fmt.Errorf("import: save mapping %q: %w", name, err)
		}
		return crm.AuditTx(ctx, tx, crm.Event{Action: crm.ActionUpdate, Entity: crm.EntityImportMapping, EntityID: old.ID,
			Msg: crm.MsgNamed(name), Changes: crm.Changes{"mapping": {old.Mapping, m}}})
	})
}

// mappingTaken refuses to replace the mapping name of someone else.
func mappingTaken(name string) error {
	e := crm.NewError(crm.EInvalid, "A mapping named “{{.Name}}” belongs to someone else; choose another name.", "Name", name)
	e.Fields = map[string]string{"template_name": "Choose another name."}
	return e
}

// Template loads a saved mapping by name.
func Template(ctx context.Context, client *ent.Client, name string) (*ent.ImportMapping, error) {
	t, err := client.ImportMapping.Query().Where(importmapping.Name(name)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, crm.Errorf(crm.EInvalid, "There is no saved mapping named %q.", name)
	}
	if err != nil {
		return nil, fmt.Errorf("import: load mapping %q: %w", name, err)
	}
	return t, nil
}

// ApplyTemplate maps header by a saved mapping, matching column names
// loosely (case, spaces); columns the template does not know are guessed.
func ApplyTemplate(header []string, saved map[string]string) map[string]string {
	byKey := map[string]string{}
	for col, f := range saved {
		byKey[headerKey(col)] = f
	}
	out := Guess(header)
	for _, h := range header {
		if f, ok := byKey[headerKey(h)]; ok && ValidField(f) {
			out[h] = f
		}
	}
	return out
}
