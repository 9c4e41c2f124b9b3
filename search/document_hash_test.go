package search

import (
	"reflect"
	"testing"
	"time"
)

// hashDoc is a document with every field set, lists of two (below every
// limit), so that changing any value shows in the hash.
func hashDoc() *Document {
	at := time.Date(2026, 11, 30, 9, 15, 0, 0, time.UTC)
	last := at.Add(time.Hour)
	return &Document{ID: 7, Kind: "journalist", Stage: "contacted", FirstName: "Anna", LastName: "Müller",
		Title: "Redakteurin", Bio: "Schreibt über Gesundheit.", City: "Köln", Region: "Nordrhein-Westfalen",
		OwnerID: 3, Reach: 12000, LastInteractionAt: &last, UpdatedAt: at,
		Emails: []string{"a@x.example", "b@x.example"}, Channels: []Channel{{"instagram", "anna"}, {"youtube", "annam"}},
		Outlets: []Outlet{{"WDR", "Redakteurin"}, {"Die Zeit", "Autorin"}}, Topics: []string{"Bauen", "Energie"},
		Tags: []string{"Messe", "VIP"}, Custom: []string{"Messe Köln", "Print"},
		Notes:    []Note{{At: at, Type: "call", Subject: "Termin", Body: "Rückruf"}, {At: at.Add(-time.Hour), Type: "email", Subject: "Pitch", Body: "Wärmepumpen"}},
		Coverage: []Piece{{At: at, Title: "Wärmepumpen im Altbau", Outlet: "WDR"}, {At: at.Add(-time.Hour), Title: "Solar", Outlet: "Die Zeit"}},
		Posts:    []Post{{At: at, Title: "Video"}, {At: at.Add(-time.Hour), Title: "Reel"}}}
}

// TestHashSeesEveryField: changing any exported value of a document, in a
// list's element too, or dropping a list's last element changes its hash;
// so does moving a character from one value to the next.
func TestHashSeesEveryField(t *testing.T) {
	want := hashDoc().Hash()
	changes := 0
	var walk func(path string, get func(*Document) reflect.Value)
	walk = func(path string, get func(*Document) reflect.Value) {
		v := get(hashDoc())
		changed := func(what string, change func(reflect.Value)) {
			t.Helper()
			d := hashDoc()
			change(get(d))
			if d.Hash() == want {
				t.Errorf("%s %s: the hash did not change", path, what)
			}
			changes++
		}
		switch v.Kind() {
		case reflect.String:
			changed("+x", func(v reflect.Value) { v.SetString(v.String() + "x") })
		case reflect.Int, reflect.Int64:
			changed("+1", func(v reflect.Value) { v.SetInt(v.Int() + 1) })
		case reflect.Pointer:
			changed("nil", func(v reflect.Value) { v.SetZero() })
			walk(path+"*", func(d *Document) reflect.Value { return get(d).Elem() })
		case reflect.Struct:
			if v.Type() == reflect.TypeFor[time.Time]() {
				changed("+1ns", func(v reflect.Value) { v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Nanosecond))) })
				return
			}
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(path+"."+v.Type().Field(i).Name, func(d *Document) reflect.Value { return get(d).Field(i) })
				}
			}
		case reflect.Slice:
			if v.Len() == 0 {
				t.Fatalf("%s: empty in hashDoc", path)
			}
			changed("without its last", func(v reflect.Value) { v.SetLen(v.Len() - 1) })
			for i := range v.Len() {
				walk(path+"["+string(rune('0'+i))+"]", func(d *Document) reflect.Value { return get(d).Index(i) })
			}
		default:
			t.Fatalf("%s: a %s, which the test cannot change", path, v.Kind())
		}
	}
	walk("Document", func(d *Document) reflect.Value { return reflect.ValueOf(d).Elem() })
	if changes < 50 {
		t.Fatalf("changed %d values", changes)
	}

	moved := hashDoc()
	moved.FirstName, moved.LastName = "Ann", "aMüller"
	if moved.Hash() == want {
		t.Error("moving a character from the first name to the last did not change the hash")
	}
	if hashDoc().Hash() != want {
		t.Error("two hashes of one document differ")
	}
}
