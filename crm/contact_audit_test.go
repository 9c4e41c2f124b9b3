package crm

import (
	"reflect"
	"testing"

	"github.com/rapport-crm/rapport/ent/schema"
)

// TestDiffContactAgreesWithSnapshots: the writer's diff of two inputs is
// the diff of their snapshots, field by field, lists in any order, nil and
// empty alike, custom values added, changed and removed.
func TestDiffContactAgreesWithSnapshots(t *testing.T) {
	owner, zero, other := 7, 0, 8
	rate := 0.5
	base := ContactInput{Kind: "journalist", FirstName: "Anna", LastName: "Berger", Title: "Redakteurin", Bio: "x",
		City: "Köln", Region: "NRW", Country: "DE", Languages: []string{"de", "en"}, Stage: "engaged",
		LawfulBasis: "legitimate_interest", ConsentState: "none", ConsentSource: "Messe", OwnerID: &owner,
		Emails:   []EmailInput{{Address: "a@example.com"}, {Address: "b@example.com", Type: "private"}},
		Phones:   []schema.Phone{{Number: "+49 1", Label: "work"}},
		Channels: []ChannelInput{{Platform: "x", Handle: "anna", Followers: 10}},
		Outlets:  []OutletRole{{Outlet: "WDR", Role: "Redaktion"}}, Topics: []string{"IT", "Kultur"}, Tags: []string{"Presse"},
		Custom: schema.CustomValues{"birthday": "2000-01-02", "colours": []string{"rot", "blau"}}}
	edits := map[string]func(in *ContactInput){
		"nothing":        func(in *ContactInput) {},
		"title":          func(in *ContactInput) { in.Title = "Chefin" },
		"dnc":            func(in *ContactInput) { in.DoNotContact = true },
		"owner none":     func(in *ContactInput) { in.OwnerID = nil },
		"owner zero":     func(in *ContactInput) { in.OwnerID = &zero },
		"owner other":    func(in *ContactInput) { in.OwnerID = &other },
		"languages nil":  func(in *ContactInput) { in.Languages = nil },
		"languages swap": func(in *ContactInput) { in.Languages = []string{"en", "de"} },
		"emails swap":    func(in *ContactInput) { in.Emails = []EmailInput{in.Emails[1], in.Emails[0]} },
		"email type": func(in *ContactInput) {
			in.Emails = []EmailInput{{Address: "a@example.com", Type: "work"}, in.Emails[1]}
		},
		"phones empty": func(in *ContactInput) { in.Phones = []schema.Phone{} },
		"phones nil":   func(in *ContactInput) { in.Phones = nil },
		"followers":    func(in *ContactInput) { in.Channels = []ChannelInput{{Platform: "x", Handle: "anna", Followers: 11}} },
		"rate only": func(in *ContactInput) {
			in.Channels = []ChannelInput{{Platform: "x", Handle: "anna", Followers: 10, EngagementRate: &rate}}
		},
		"outlet role": func(in *ContactInput) { in.Outlets = []OutletRole{{Outlet: "WDR", Role: "Chefin"}} },
		"topics swap": func(in *ContactInput) { in.Topics = []string{"Kultur", "IT"} },
		"tag added":   func(in *ContactInput) { in.Tags = append(in.Tags, "Weihnachtskarte") },
		"tags none":   func(in *ContactInput) { in.Tags = nil },
		"custom changed": func(in *ContactInput) {
			in.Custom = schema.CustomValues{"birthday": "2001-01-02", "colours": []string{"rot", "blau"}}
		},
		"custom removed": func(in *ContactInput) { in.Custom = schema.CustomValues{"colours": []string{"rot", "blau"}} },
		"custom added":   func(in *ContactInput) { in.Custom["note"] = "neu" },
		"custom none":    func(in *ContactInput) { in.Custom = nil },
		"several": func(in *ContactInput) {
			in.Stage, in.Region, in.Tags, in.Custom = "active", "Bayern", nil, schema.CustomValues{"colours": []string{"grün"}}
		},
	}
	for name, edit := range edits {
		a := base
		a.Custom = schema.CustomValues{"birthday": "2000-01-02", "colours": []string{"rot", "blau"}}
		b := a
		b.Custom = schema.CustomValues{"birthday": "2000-01-02", "colours": []string{"rot", "blau"}}
		edit(&b)
		for _, pair := range [][2]ContactInput{{a, b}, {b, a}} {
			want := diff(snapshotOf(pair[0]), snapshotOf(pair[1]))
			if got := diffContact(&pair[0], &pair[1]); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: diffContact %v, snapshots %v", name, got, want)
			}
		}
	}
}
