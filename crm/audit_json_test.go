package crm

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/rapport-crm/rapport/ent/schema"
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
func TestAppendCreatedJSON(t *testing.T) {
	owner := 3
	for _, in := range []ContactInput{
		{LastName: "Nur"},
		{Kind: "blogger", FirstName: "Zoë", LastName: "\"Ç\"", Bio: "a\nb", City: "Köln", Country: "DE", Languages: []string{"en", "de"},
			Emails: []EmailInput{{Address: "z@example.com"}, {Address: "a@example.com", Type: "private"}},
			Phones: []schema.Phone{{Number: "+49 1", Label: "work"}}, Stage: "aware", LawfulBasis: "consent", ConsentState: "granted",
			ConsentSource: "Messe", DoNotContact: true, OwnerID: &owner, Channels: []ChannelInput{{Platform: "x", Handle: "z", Followers: 12}},
			Outlets: []OutletRole{{Outlet: "SZ", Role: "Chefin"}}, Topics: []string{"IT", "Auto"}, Tags: []string{"b", "a"}, Region: "NRW", Title: "Dr."},
	} {
		var a, b any
		if err := json.Unmarshal(appendCreatedJSON(nil, in), &a); err != nil {
			t.Fatalf("%s: %v", appendCreatedJSON(nil, in), err)
		}
		want, _ := json.Marshal(created(snapshotOf(in)))
		_ = json.Unmarshal(want, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("got  %s\nwant %s", appendCreatedJSON(nil, in), want)
		}
	}
}
