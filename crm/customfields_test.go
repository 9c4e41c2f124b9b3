package crm

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/schema"
)

// customDefs creates one contact field of each type and returns them by key.
func customDefs(t *testing.T, d *db.DB) map[string]CustomField {
	t.Helper()
	out := map[string]CustomField{}
	for _, f := range []CustomField{
		{Entity: EntityContact, Type: FieldText, LabelEN: "How we met", LabelDE: "Wie wir uns kennen"},
		{Entity: EntityContact, Type: FieldNumber, LabelEN: "Account no", LabelDE: "Kundennummer"},
		{Entity: EntityContact, Type: FieldDate, LabelEN: "Birthday", LabelDE: "Geburtstag"},
		{Entity: EntityContact, Type: FieldChoice, LabelEN: "Embargo time", LabelDE: "Sperrfrist", Choices: []string{"Morning", "Noon", "Evening"}},
		{Entity: EntityContact, Type: FieldMulti, LabelEN: "Beats", LabelDE: "Ressorts", Choices: []string{"IT", "Health", "Energy"}},
		{Entity: EntityContact, Type: FieldURL, LabelEN: "Portfolio", LabelDE: "Portfolio"},
		{Entity: EntityContact, Type: FieldBool, LabelEN: "Press pass", LabelDE: "Presseausweis"},
	} {
		got, err := CreateCustomField(context.Background(), d.Client, f)
		if err != nil {
			t.Fatal(err)
		}
		out[got.Key] = got
	}
	return out
}

// TestCustomValuesRoundTrip: values of every type go through the contact
// writer and come back as written, with their audit entries and a search
// change; a value that does not fit its type is a field error and nothing
// is written.
func TestCustomValuesRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		defs := customDefs(t, d)
		want := []string{"how_we_met", "account_no", "birthday", "embargo_time", "beats", "portfolio", "press_pass"}
		for _, k := range want {
			if _, ok := defs[k]; !ok {
				t.Fatalf("keys %v, want %v", defs, want)
			}
		}
		w := NewContactWriter(d.Client, d.Dialect, nil, NewLookups(d.Client, time.Hour))
		fs, err := w.CustomFields(ctx)
		if err != nil {
			t.Fatal(err)
		}
		form := map[string][]string{"custom.how_we_met": {"Messe 2025"}, "custom.account_no": {"1.234,5"},
			"custom.birthday": {"24.12.1980"}, "custom.embargo_time": {"noon"}, "custom.beats": {"IT", "Energy"},
			"custom.portfolio": {"https://example.com/heike"}, "custom.press_pass": {"ja"}}
		vals, fe := fs.ParseForm(func(n string) []string { return form[n] })
		if len(fe) > 0 {
			t.Fatal(fe)
		}
		in := ContactInput{FirstName: "Heike", LastName: "Brandt", Custom: vals}
		id, err := w.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		s, err := w.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		wantVals := schema.CustomValues{"how_we_met": "Messe 2025", "account_no": 1234.5, "birthday": "1980-12-24",
			"embargo_time": "Noon", "beats": []string{"IT", "Energy"}, "portfolio": "https://example.com/heike", "press_pass": true}
		if !reflect.DeepEqual(s.Input.Custom, wantVals) {
			t.Errorf("stored %#v\nwant %#v", s.Input.Custom, wantVals)
		}
		// an edit of one value: audited old → new, a search change, the rest kept
		before := d.Client.Change.Query().Where(change.ContactID(id)).CountX(ctx)
		in = s.Input
		in.Custom = schema.CustomValues{}
		for k, v := range s.Input.Custom {
			in.Custom[k] = v
		}
		in.Custom["account_no"] = 99.0
		delete(in.Custom, "press_pass")
		if _, err := w.Update(ctx, id, in); err != nil {
			t.Fatal(err)
		}
		ev := d.Client.AuditEvent.Query().Where(auditevent.Action(ActionUpdate), auditevent.EntityID(id)).OnlyX(ctx)
		wantCh := map[string][2]any{"custom.account_no": {"1234.5", "99"}, "custom.press_pass": {"yes", nil}}
		if !reflect.DeepEqual(map[string][2]any(ev.Changes), wantCh) {
			t.Errorf("audit %#v, want %#v", ev.Changes, wantCh)
		}
		if d.Client.Change.Query().Where(change.ContactID(id)).CountX(ctx) == before {
			t.Error("no search change recorded")
		}
		// invalid values: field errors, input kept by the caller, nothing written
		bad := map[string][]string{"custom.account_no": {"zwölf"}, "custom.birthday": {"31.02.2026"},
			"custom.embargo_time": {"Midnight"}, "custom.portfolio": {"example.com"}, "custom.press_pass": {"vielleicht"}}
		_, fe = fs.ParseForm(func(n string) []string { return bad[n] })
		wantFE := FieldErrors{"custom.account_no": msgCustomNumber, "custom.birthday": msgCustomDate,
			"custom.embargo_time": msgCustomChoice, "custom.portfolio": msgCustomURL, "custom.press_pass": msgCustomBool}
		if !reflect.DeepEqual(fe, wantFE) {
			t.Errorf("form errors %v, want %v", fe, wantFE)
		}
		// the writer refuses typed values of the wrong type and unknown keys
		s, _ = w.Load(ctx, id)
		in = s.Input
		in.Custom = schema.CustomValues{"account_no": "many", "nope": "x"}
		_, err = w.Update(ctx, id, in)
		if got := fieldErrors(err); got["custom.account_no"] != msgCustomNumber || got["custom.nope"] != msgCustomUnknown {
			t.Errorf("writer errors %v", err)
		}
	})
}

// TestCustomFieldTypeChange: on a populated database, changing a text field
// to a number converts what reads as a number and drops the rest, each drop
// with its old value in the contact's audit trail; the preview counts what
// the change then does. Removing a field drops every value, audited.
func TestCustomFieldTypeChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f, err := CreateCustomField(ctx, d.Client, CustomField{Entity: EntityContact, Type: FieldText, LabelEN: "Circulation", LabelDE: "Auflage"})
		if err != nil {
			t.Fatal(err)
		}
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		texts := []string{"12000", "3,5", "about ten", "", "7"}
		ids := make([]int, 0, 60)
		for i := range 60 { // a populated table: values, none, and contacts without the field
			in := ContactInput{FirstName: "P", LastName: string(rune('A' + i%26))}
			if t := texts[i%len(texts)]; t != "" {
				in.Custom = schema.CustomValues{f.Key: t}
			}
			id, err := w.Create(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		to := f
		to.Type = FieldNumber
		plan, err := PlanFieldChange(ctx, w, f.ID, &to)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Records != 48 || plan.Converted != 36 || plan.Dropped != 12 || plan.Kept != 0 || plan.DroppedEx[0] != "about ten" {
			t.Errorf("preview %+v", plan)
		}
		if d.Client.AuditEvent.Query().Where(auditevent.Action(ActionUpdate)).CountX(ctx) != 0 {
			t.Fatal("the preview wrote")
		}
		done, err := ApplyFieldChange(ctx, w, f.ID, &to)
		if err != nil {
			t.Fatal(err)
		}
		if done.Converted != plan.Converted || done.Dropped != plan.Dropped {
			t.Errorf("applied %+v, previewed %+v", done, plan)
		}
		st, err := w.LoadContactInputs(ctx, nil, ids[:5])
		if err != nil {
			t.Fatal(err)
		}
		wantV := []any{12000.0, 3.5, nil, nil, 7.0}
		for i, id := range ids[:5] {
			if got := st[id].Custom[f.Key]; got != wantV[i] {
				t.Errorf("contact %d (%q): %#v, want %#v", i, texts[i], got, wantV[i])
			}
		}
		ev := d.Client.AuditEvent.Query().Where(auditevent.EntityID(ids[2]), auditevent.Action(ActionUpdate)).OnlyX(ctx)
		if got := ev.Changes["custom.circulation"]; !reflect.DeepEqual(got, [2]any{"about ten", nil}) || ev.Summary == "" {
			t.Errorf("audit of the dropped value: %#v (%q)", ev.Changes, ev.Summary)
		}
		// removal: every value gone, each in the trail
		plan, err = PlanFieldChange(ctx, w, f.ID, nil)
		if err != nil || plan.Dropped != 36 {
			t.Fatalf("removal preview %+v %v", plan, err)
		}
		if _, err := ApplyFieldChange(ctx, w, f.ID, nil); err != nil {
			t.Fatal(err)
		}
		st, _ = w.LoadContactInputs(ctx, nil, ids)
		for _, id := range ids {
			if len(st[id].Custom) != 0 {
				t.Fatalf("contact %d keeps %v", id, st[id].Custom)
			}
		}
		// (the conversion "12000" → 12000 reads the same: it is no entry of the trail)
		ev = d.Client.AuditEvent.Query().Where(auditevent.EntityID(ids[0]), auditevent.Action(ActionUpdate)).OnlyX(ctx)
		if got := ev.Changes["custom.circulation"]; !reflect.DeepEqual(got, [2]any{"12000", nil}) {
			t.Errorf("audit of the removal: %#v", ev.Changes)
		}
		if n := d.Client.CustomField.Query().CountX(ctx); n != 0 {
			t.Errorf("%d fields left", n)
		}
	})
}

// TestMergeInputsCustom: a merge keeps the kept contact's custom values and
// fills its blanks from the merged one.
func TestMergeInputsCustom(t *testing.T) {
	keep := ContactInput{Custom: schema.CustomValues{"birthday": "1980-12-24"}}
	drop := ContactInput{Custom: schema.CustomValues{"birthday": "1979-01-01", "beats": []string{"IT"}}}
	got := mergeInputs(keep, drop, nil).Custom
	want := schema.CustomValues{"birthday": "1980-12-24", "beats": []string{"IT"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged %v, want %v", got, want)
	}
	if len(keep.Custom) != 1 {
		t.Error("the kept contact's input was changed in place")
	}
}
