package crm

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/schema"
)

// OutletInput is what the outlet form sets.
type OutletInput struct {
	Name, Type, Website, Region, Description string
	Audience                                 int64
	Custom                                   schema.CustomValues // the outlet fields' values by key
}

func (in *OutletInput) validate() error {
	in.Name, in.Website, in.Region = strings.TrimSpace(in.Name), strings.TrimSpace(in.Website), strings.TrimSpace(in.Region)
	in.Description = strings.TrimSpace(in.Description)
	if in.Type == "" {
		in.Type = string(outlet.DefaultType)
	}
	fe := FieldErrors{}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 {
		fe.Add("name", "Enter a name of at most 200 characters.")
	}
	if outlet.TypeValidator(outlet.Type(in.Type)) != nil {
		fe.Add("type", "Choose a type from the list.")
	}
	l := strings.ToLower(in.Website)
	if in.Website != "" && (!strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") || utf8.RuneCountInString(in.Website) > 500) {
		fe.Add("website", "Enter an address starting with https://.")
	}
	if utf8.RuneCountInString(in.Region) > 100 {
		fe.Add("region", "At most 100 characters.")
	}
	if utf8.RuneCountInString(in.Description) > 20000 {
		fe.Add("description", "At most 20,000 characters.")
	}
	if in.Audience < 0 {
		fe.Add("audience", "Audience cannot be negative.")
	}
	in.Custom = normalizeCustom(in.Custom)
	return fe.Err()
}

func outletSnapshot(o *ent.Outlet) map[string]any {
	snap := map[string]any{"name": o.Name, "type": string(o.Type), "website": o.Website, "region": o.Region,
		"description": o.Description, "audience": o.Audience}
	for k, v := range o.Custom {
		snap[CustomFormName(k)] = CustomText(v)
	}
	return snap
}

// checkOutletCustom validates an outlet's custom values against the outlet
// fields as stored in tx.
func checkOutletCustom(ctx context.Context, tx *ent.Tx, vals schema.CustomValues) error {
	if len(vals) == 0 {
		return nil
	}
	fs, err := LoadCustomFields(ctx, tx.Client(), EntityOutlet)
	if err != nil {
		return err
	}
	return fs.Check(vals).Err()
}

// setOutletCustom stores outlets' new custom values (nil clears them), each
// audited with its old and new values: the save path of a type change.
func setOutletCustom(ctx context.Context, tx *ent.Tx, summary AuditMsg, vals map[int]schema.CustomValues) error {
	for id, v := range vals {
		old, err := tx.Outlet.Get(ctx, id)
		if ent.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("load outlet %d: %w", id, err)
		}
		before := outletSnapshot(old)
		upd := tx.Outlet.UpdateOne(old)
		if v = normalizeCustom(v); v == nil {
			upd.ClearCustom()
		} else {
			upd.SetCustom(v)
		}
		o, err := upd.Save(ctx)
		if err != nil {
			return fmt.Errorf("save outlet %d: %w", id, err)
		}
		ch := diff(before, outletSnapshot(o))
		if err := audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityOutlet, EntityID: id, Msg: summary.withFields(ch), Changes: ch}); err != nil {
			return err
		}
	}
	return nil
}

// SaveOutlet creates an outlet (id 0) or updates one; a rename reaches the
// search documents of all its people through the outbox.
func SaveOutlet(ctx context.Context, client *ent.Client, id int, in OutletInput) (*ent.Outlet, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var o *ent.Outlet
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		// The place rule of contacts (PlaceTable.Canonical), for the outlet's
		// region: the matrix and facets never split a region on spelling.
		table, err := loadPlaceTable(ctx, tx.Client())
		if err != nil {
			return err
		}
		_, in.Region = table.Canonical("", in.Region)
		if err := checkOutletCustom(ctx, tx, in.Custom); err != nil {
			return err
		}
		var before map[string]any
		if id == 0 {
			create := tx.Outlet.Create().SetName(in.Name).SetType(outlet.Type(in.Type)).SetWebsite(in.Website).
				SetRegion(in.Region).SetDescription(in.Description).SetAudience(in.Audience)
			if in.Custom != nil {
				create.SetCustom(in.Custom)
			}
			o, err = create.Save(ctx)
		} else {
			old, gerr := tx.Outlet.Get(ctx, id)
			if ent.IsNotFound(gerr) {
				return Errorf(ENotFound, "This outlet does not exist (any more).")
			}
			if gerr != nil {
				return fmt.Errorf("load outlet %d: %w", id, gerr)
			}
			before = outletSnapshot(old)
			upd := tx.Outlet.UpdateOne(old).SetName(in.Name).SetType(outlet.Type(in.Type)).SetWebsite(in.Website).
				SetRegion(in.Region).SetDescription(in.Description).SetAudience(in.Audience).SetCustom(in.Custom)
			if in.Custom == nil {
				upd.ClearCustom()
			}
			o, err = upd.Save(ctx)
		}
		if err != nil {
			return fmt.Errorf("save outlet: %w", err)
		}
		ev := Event{Action: ActionCreate, Entity: EntityOutlet, EntityID: o.ID, Changes: created(outletSnapshot(o))}
		if id != 0 {
			ch := diff(before, outletSnapshot(o))
			ev = Event{Action: ActionUpdate, Entity: EntityOutlet, EntityID: o.ID, Msg: FieldsChanged(ch), Changes: ch}
		}
		return audit(ctx, tx, ev)
	})
	return o, err
}
