package webhook

import (
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
)

// TestCoverageItemIsCoverageAdded: a coverage item's own record is its
// coverage.added (with or without authors); the timeline entry it logs for
// its authors is no second event; a coverage interaction logged by hand
// still is one.
func TestCoverageItemIsCoverageAdded(t *testing.T) {
	item, it := 12, 40
	for _, c := range []struct {
		name     string
		ev       *ent.AuditEvent
		typ      string
		contacts []int
		link     string
	}{
		{"item_with_authors", &ent.AuditEvent{Action: crm.ActionCreate, Entity: crm.EntityCoverage, EntityID: &item, At: time.Now(),
			Changes: map[string][2]any{"title": {nil, "Test"}, "authors": {nil, []any{float64(5), float64(8)}}}}, CoverageAdded, []int{5, 8}, "/api/v1/coverage/12"},
		{"item_without_authors", &ent.AuditEvent{Action: crm.ActionCreate, Entity: crm.EntityCoverage, EntityID: &item, At: time.Now(),
			Changes: map[string][2]any{"title": {nil, "Test"}}}, CoverageAdded, nil, "/api/v1/coverage/12"},
		{"item_timeline_entry", &ent.AuditEvent{Action: crm.ActionCreate, Entity: crm.EntityInteraction, EntityID: &it, At: time.Now(),
			Changes: map[string][2]any{"type": {nil, "coverage"}, "campaign": {nil, float64(3)}, "contacts": {nil, []any{float64(5)}}}}, "", nil, ""},
		{"by_hand", &ent.AuditEvent{Action: crm.ActionCreate, Entity: crm.EntityInteraction, EntityID: &it, At: time.Now(),
			Changes: map[string][2]any{"type": {nil, "coverage"}, "contacts": {nil, []any{float64(5)}}}}, CoverageAdded, []int{5}, "/api/v1/contacts/5/interactions"},
	} {
		t.Run(c.name, func(t *testing.T) {
			typ, p := eventOf(c.ev)
			if typ != c.typ || !slices.Equal(p.ContactIDs, c.contacts) || p.Link != c.link {
				t.Errorf("%q %v %q, want %q %v %q", typ, p.ContactIDs, p.Link, c.typ, c.contacts, c.link)
			}
		})
	}
}
