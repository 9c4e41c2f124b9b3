package pages

import (
	"time"

	"github.com/rapport-crm/rapport/crm"
)

// ContactRows makes the contact list's rows of a page of crm.ListRow at now
// (which decides who is shown as stale).
func ContactRows(cs []crm.ListRow, now time.Time) []ContactRow {
	rows := make([]ContactRow, len(cs))
	for i := range cs {
		ct := &cs[i]
		rows[i] = ContactRow{ID: ct.ID, Name: crm.DisplayName(ct.FirstName, ct.LastName), Kind: ct.Kind,
			Title: ct.Title, City: ct.City, Region: ct.Region, Stage: ct.Stage, Reach: ct.Reach,
			LastInteraction: ct.LastInteractionAt, DoNotContact: ct.DoNotContact, Health: ct.Health,
			Stale: ct.TouchDueAt != nil && ct.TouchDueAt.Before(now), Owner: ct.Owner, Outlets: ct.Outlets, Custom: ct.Custom,
			Tags: ct.Tags, Topics: ct.Topics, LawfulBasis: ct.LawfulBasis, ConsentState: ct.ConsentState, TouchDue: ct.TouchDueAt}
	}
	return rows
}
