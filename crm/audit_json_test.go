package crm

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestAppendChangesJSON: the hand-written encoding reads back as json.Marshal's.
func TestAppendChangesJSON(t *testing.T) {
	ch := Changes{
		"first_name": {nil, "Zoë \"Z\" \\ <b>&\x01"}, "tags": {[]string{}, []string{"a", "ß"}},
		"do_not_contact": {false, true}, "owner_id": {0, 7}, "bad": {"\xff", nil}, "other": {1.5, map[string]int{"x": 1}},
	}
	got, err := appendChangesJSON(nil, ch)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(ch)
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	_ = json.Unmarshal(want, &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestAppendCreatedJSON: a new contact's snapshot built straight from its
// input reads back as the one built through snapshotOf and created.
