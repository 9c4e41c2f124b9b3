package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/customfield"
)

// check normalises an admin's definition and validates it; errors are keyed
// by the admin form's field names.
func (f *CustomField) check() error {
	f.LabelEN, f.LabelDE = strings.TrimSpace(f.LabelEN), strings.TrimSpace(f.LabelDE)
	fe := FieldErrors{}
	if f.Entity != EntityContact && f.Entity != EntityOutlet {
		fe.Add("entity", "Choose contacts or outlets.")
	}
	if f.LabelEN == "" || utf8.RuneCountInString(f.LabelEN) > 100 {
		fe.Add("label_en", "Enter a label of at most 100 characters.")
	}
	if f.LabelDE == "" || utf8.RuneCountInString(f.LabelDE) > 100 {
		fe.Add("label_de", "Enter a label of at most 100 characters.")
	}
	if !slices.Contains(CustomFieldTypes, f.Type) {
		fe.Add("type", "Choose a type from the list.")
	}
	if !f.HasChoices() {
		f.Choices = nil
	} else {
		f.Choices = cleanList(f.Choices)
		switch {
		case len(f.Choices) == 0:
			fe.Add("choices", "Enter the choices, one per line.")
		case len(f.Choices) > maxCustomChoices:
			fe.Add("choices", "At most 100 choices.")
		}
		for _, c := range f.Choices {
			if utf8.RuneCountInString(c) > 100 || strings.Contains(c, ",") {
				fe.Add("choices", "A choice has at most 100 characters and no comma.")
			}
		}
	}
	return fe.Err()
}

// CreateCustomField adds an admin's field; its key is made from the English
// label. It returns the new field.
func CreateCustomField(ctx context.Context, client *ent.Client, f CustomField) (CustomField, error) {
	if err := f.check(); err != nil {
		return f, err
	}
	have, err := LoadCustomFields(ctx, client, f.Entity)
	if err != nil {
		return f, err
	}
	if len(have) >= maxCustomFields {
		return f, Errorf(EInvalid, "At most 50 custom fields each for contacts and outlets.")
	}
	f.Key = customKeyOf(f.LabelEN, func(k string) bool { _, ok := have.ByKey(k); return ok })
	f.Position = len(have) + 1
	row, err := client.CustomField.Create().SetEntity(customfield.Entity(f.Entity)).SetKey(f.Key).
		SetType(customfield.Type(f.Type)).SetLabelEn(f.LabelEN).SetLabelDe(f.LabelDE).SetChoices(f.Choices).
		SetInList(f.InList).SetPosition(f.Position).Save(ctx)
	if err != nil {
		return f, fmt.Errorf("create custom field: %w", err)
	}
	customGen.Add(1)
	return customFieldOf(row), nil
}

// GetCustomField reads one field; a missing one is ENotFound.
func GetCustomField(ctx context.Context, client *ent.Client, id int) (CustomField, error) {
	row, err := client.CustomField.Get(ctx, id)
	if ent.IsNotFound(err) {
		return CustomField{}, Errorf(ENotFound, "This custom field does not exist (any more).")
	}
	if err != nil {
		return CustomField{}, fmt.Errorf("load custom field: %w", err)
	}
	return customFieldOf(row), nil
}

// FieldChange is what a change of a field's type or choices, or its
// removal, does to the stored values: how many records hold one, how many
// values are converted, and how many are dropped (kept in the audit trail),
// with a few of the dropped values to show.
type FieldChange struct {
	Field      CustomField // as it is now
	To         *CustomField
	Records    int // records with a value
	Converted  int // values that change their form (12 → "12")
	Dropped    int // values that do not fit the new type: removed, recorded in the audit trail
	Kept       int // values that stay as they are
	DroppedEx  []string
	RemovesAll bool // the field is removed
}

// Touches says whether applying the change rewrites any record.
func (c FieldChange) Touches() bool { return c.Converted+c.Dropped > 0 }

// convert is old as a value of f, or false when it does not fit.
func (f CustomField) convert(old any) (any, bool) {
	raw := []string{CustomText(old)}
	if f.Type == FieldMulti {
		raw = CustomStrings(old)
	}
	v, msg := f.Parse(raw)
	return v, msg == "" && v != nil
}

// PlanFieldChange works out what saving to over field id does to the stored
// values (to nil: removing the field), without changing anything: the
// preview the admin confirms.
func PlanFieldChange(ctx context.Context, w *ContactWriter, id int, to *CustomField) (FieldChange, error) {
	from, err := GetCustomField(ctx, w.client, id)
	if err != nil {
		return FieldChange{}, err
	}
	ch := FieldChange{Field: from, To: to, RemovesAll: to == nil}
	if to != nil {
		to.ID, to.Entity, to.Key = from.ID, from.Entity, from.Key
		if err := to.check(); err != nil {
			return ch, err
		}
		if to.Type == from.Type && slices.Equal(to.Choices, from.Choices) {
			return ch, nil // labels, column, order: no value changes
		}
	}
	vals, err := customHolders(ctx, w.client, w.dialect, from.Entity, from.Key)
	if err != nil {
		return ch, err
	}
	for _, v := range vals {
		ch.Records++
		old := v[from.Key]
		nv, ok := any(nil), false
		if to != nil {
			nv, ok = to.convert(old)
		}
		switch {
		case !ok:
			ch.Dropped++
			if len(ch.DroppedEx) < 5 {
				ch.DroppedEx = append(ch.DroppedEx, CustomText(old))
			}
		case sameCustom(nv, normalizeCustom(map[string]any{"v": old})["v"]):
			ch.Kept++
		default:
			ch.Converted++
		}
	}
	return ch, nil
}

// ApplyFieldChange saves to over field id (to nil: removes the field) and
// converts every stored value in the same transaction: contacts through the
// contact writer, outlets through their save path, each record's old and
// new values in its audit event. Values that do not fit are dropped. It
// returns what it did, as PlanFieldChange counts it.
func ApplyFieldChange(ctx context.Context, w *ContactWriter, id int, to *CustomField) (FieldChange, error) {
	ch, err := PlanFieldChange(ctx, w, id, to)
	if err != nil {
		return ch, err
	}
	from := ch.Field
	summary := MsgCustomRemoved(from.LabelEN)
	if to != nil {
		summary = MsgCustomRetyped(from.LabelEN, to.Type)
	}
	err = db.WithTx(ctx, w.client, func(ctx context.Context, tx *ent.Tx) error {
		vals, err := customHolders(ctx, tx.Client(), w.dialect, from.Entity, from.Key)
		if err != nil {
			return err
		}
		next := map[int]map[string]any{}
		for rid, v := range vals {
			nv := map[string]any{}
			for k, x := range v {
				nv[k] = x
			}
			delete(nv, from.Key)
			if to != nil {
				if c, ok := to.convert(v[from.Key]); ok {
					nv[from.Key] = c
				}
			}
			next[rid] = normalizeCustom(nv)
		}
		if err := writeCustom(ctx, tx, w, from.Entity, summary, next); err != nil {
			return err
		}
		if to == nil {
			return tx.CustomField.DeleteOneID(id).Exec(ctx)
		}
		return tx.CustomField.UpdateOneID(id).SetType(customfield.Type(to.Type)).SetLabelEn(to.LabelEN).
			SetLabelDe(to.LabelDE).SetChoices(to.Choices).SetInList(to.InList).Exec(ctx)
	})
	if err != nil {
		return ch, fmt.Errorf("change custom field: %w", err)
	}
	customGen.Add(1)
	return ch, nil
}

// writeCustom stores records' new custom values: contacts through the
// contact writer (set-wise, trusted: the values were converted here),
// outlets through their save path.
func writeCustom(ctx context.Context, tx *ent.Tx, w *ContactWriter, entity string, summary AuditMsg, next map[int]map[string]any) error {
	if entity == EntityOutlet {
		vals := make(map[int]map[string]any, len(next))
		for id, v := range next {
			vals[id] = v
		}
		return setOutletCustom(ctx, tx, summary, vals)
	}
	ids := make([]int, 0, len(next))
	for id := range next {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for chunk := range slices.Chunk(ids, normalizeBatch) {
		_, err := w.Change(ctx, tx, chunk, summary, func(id int, in *ContactInput) bool {
			in.Custom = next[id]
			return true
		})
		if err != nil {
			return err
		}
	}
	return nil
}
