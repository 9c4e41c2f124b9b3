package webhook

import (
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
)

// TestMergeIsAContactUpdate: a merge is one audit event, so its webhook is
// one contact.updated naming the survivor and the merged contact, with the
// survivor's changed fields (not the trail's own keys).
func TestMergeIsAContactUpdate(t *testing.T) {
	keep := 7
	for _, c := range []struct {
		name    string
		ev      *ent.AuditEvent
		fields  []string
		contact []int
	}{
		{"merge", &ent.AuditEvent{Action: crm.ActionMerge, Entity: crm.EntityContact, EntityID: &keep, At: time.Now(),
			Changes: map[string][2]any{"title": {"a", "b"}, "merged": {float64(9), float64(7)}, "removed_contact": {map[string]any{}, nil},
				"undo_snapshot": {nil, map[string]any{}}}}, []string{"title"}, []int{7, 9}},
		{"undo", &ent.AuditEvent{Action: crm.ActionMergeUndo, Entity: crm.EntityContact, EntityID: &keep, At: time.Now(),
			Changes: map[string][2]any{"title": {"b", "a"}, "stage": {"x", "y"}, "restored": {nil, float64(9)}}}, []string{"stage", "title"}, []int{7, 9}},
	} {
		t.Run(c.name, func(t *testing.T) {
			typ, p := eventOf(c.ev)
			if typ != ContactUpdated || !slices.Equal(p.Fields, c.fields) || !slices.Equal(p.ContactIDs, c.contact) {
				t.Errorf("%s %v %v", typ, p.Fields, p.ContactIDs)
			}
		})
	}
}
