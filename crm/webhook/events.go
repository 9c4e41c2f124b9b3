// Package webhook delivers Rapport's events to subscribed URLs: it reads the
// audit trail (the durable record every change writes in its transaction),
// turns the events subscribers want into deliveries, and sends them signed,
// in order per contact, retrying with exponential backoff.
package webhook

import (
	"fmt"
	"slices"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
)

// Event types a webhook can subscribe to.
const (
	ContactCreated    = "contact.created"
	ContactUpdated    = "contact.updated"
	ContactErased     = "contact.erased"
	InteractionLogged = "interaction.logged"
	CoverageAdded     = "coverage.added" // a campaign's coverage item, or a coverage interaction logged by hand
	NominationDecided = "nomination.decided"
	ExportMade        = "export.made"
)

// Types lists every event type, in the order forms show them.
var Types = []string{ContactCreated, ContactUpdated, ContactErased, InteractionLogged, CoverageAdded, NominationDecided, ExportMade}

// ValidType reports whether t is an event type.
func ValidType(t string) bool { return slices.Contains(Types, t) }

// Payload is the JSON body of a delivery. It names records and the fields
// that changed, never their values: a receiver reads what it needs through
// the API with a token of its own, under that token's role.
type Payload struct {
	ID         int      `json:"id"` // the event's id, increasing; the same on a retry
	Type       string   `json:"type"`
	OccurredAt string   `json:"occurred_at"`
	Actor      string   `json:"actor,omitempty"`
	Entity     string   `json:"entity"`
	EntityID   int      `json:"entity_id"`
	ContactIDs []int    `json:"contact_ids,omitempty"`
	Fields     []string `json:"fields,omitempty"`  // for contact.updated: which fields changed
	Summary    string   `json:"summary,omitempty"` // English, for people
	// Message and MessageArgs are the summary's stable code and values
	// (crm.AuditMsg), for receivers that word it themselves.
	Message     string            `json:"message,omitempty"`
	MessageArgs map[string]string `json:"message_args,omitempty"`
	Link        string            `json:"link,omitempty"` // the record in the API
}

// eventOf maps an audit event to its webhook event, or "" when none.
func eventOf(ev *ent.AuditEvent) (string, Payload) {
	p := Payload{ID: ev.ID, OccurredAt: ev.At.UTC().Format("2006-01-02T15:04:05.000Z"), Actor: ev.ActorName, Entity: ev.Entity}
	if ev.EntityID != nil {
		p.EntityID = *ev.EntityID
	}
	switch {
	case ev.Entity == crm.EntityContact && ev.Action == crm.ActionCreate:
		p.Type, p.ContactIDs, p.Link = ContactCreated, []int{p.EntityID}, fmt.Sprintf("/api/v1/contacts/%d", p.EntityID)
	case ev.Entity == crm.EntityContact && ev.Action == crm.ActionUpdate:
		p.Type, p.ContactIDs, p.Link = ContactUpdated, []int{p.EntityID}, fmt.Sprintf("/api/v1/contacts/%d", p.EntityID)
		for f := range ev.Changes {
			p.Fields = append(p.Fields, f)
		}
		slices.Sort(p.Fields)
	case ev.Entity == crm.EntityContact && (ev.Action == crm.ActionMerge || ev.Action == crm.ActionMergeUndo):
		// One event for the survivor's change and the merged contact's
		// removal (or return): both ids, the survivor's changed fields.
		p.Type, p.ContactIDs, p.Link = ContactUpdated, []int{p.EntityID}, fmt.Sprintf("/api/v1/contacts/%d", p.EntityID)
		for f, c := range ev.Changes {
			switch f {
			case "merged", "restored":
				if id, ok := c[0].(float64); ok && f == "merged" {
					p.ContactIDs = append(p.ContactIDs, int(id))
				} else if id, ok := c[1].(float64); ok && f == "restored" {
					p.ContactIDs = append(p.ContactIDs, int(id))
				}
			case "removed_contact", "undo_snapshot", "undone":
			default:
				p.Fields = append(p.Fields, f)
			}
		}
		slices.Sort(p.Fields)
	case ev.Entity == crm.EntityContact && ev.Action == crm.ActionDelete:
		p.Type, p.ContactIDs = ContactErased, []int{p.EntityID}
	case ev.Entity == crm.EntityCoverage && ev.Action == crm.ActionCreate:
		// Every coverage item (page, API, import) writes this record, with
		// or without authors: the one source of its coverage.added.
		p.Type, p.ContactIDs, p.Link = CoverageAdded, changedIDs(ev, "authors"), fmt.Sprintf("/api/v1/coverage/%d", p.EntityID)
	case ev.Entity == crm.EntityInteraction && ev.Action == crm.ActionCreate:
		p.Type = InteractionLogged
		if c, ok := ev.Changes["type"]; ok && fmt.Sprint(c[1]) == "coverage" {
			if _, item := ev.Changes["campaign"]; item {
				return "", p // a coverage item's timeline entry: the item's record is its event
			}
			p.Type = CoverageAdded
		}
		p.ContactIDs = changedIDs(ev, "contacts")
		if len(p.ContactIDs) > 0 {
			p.Link = fmt.Sprintf("/api/v1/contacts/%d/interactions", p.ContactIDs[0])
		}
	case ev.Entity == crm.EntityNomination && ev.Action == crm.ActionDecide:
		p.Type, p.Summary, p.Message, p.MessageArgs = NominationDecided, ev.Summary, ev.Message, ev.MessageArgs
	case ev.Entity == crm.EntityExport && ev.Action == crm.ActionExport:
		p.Type, p.Link = ExportMade, fmt.Sprintf("/api/v1/exports/%d", p.EntityID)
	}
	return p.Type, p
}

// changedIDs reads the ids an audit event's change key set (a JSON list).
func changedIDs(ev *ent.AuditEvent, key string) []int {
	var out []int
	if c, ok := ev.Changes[key]; ok {
		if ids, ok := c[1].([]any); ok {
			for _, id := range ids {
				if f, ok := id.(float64); ok {
					out = append(out, int(f))
				}
			}
		}
	}
	return out
}
