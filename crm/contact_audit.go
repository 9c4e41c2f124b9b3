package crm

import (
	"fmt"
)

// snapshotOf is what an audit event records of a contact saved as in: its
// fields and its e-mails, phones, channels, jobs, topics and tags as sorted
// text. in carries the stored spelling of its outlets, topics and tags.
func snapshotOf(in ContactInput) map[string]any {
	var emails, phones, channels, outlets []string
	for _, e := range in.Emails {
		emails = append(emails, e.Address+" ("+emailType(e.Type)+")")
	}
	for _, p := range in.Phones {
		phones = append(phones, p.Number+" ("+p.Label+")")
	}
	for _, ch := range in.Channels {
		channels = append(channels, fmt.Sprintf("%s/%s: %d", ch.Platform, ch.Handle, ch.Followers))
	}
	for _, o := range in.Outlets {
		outlets = append(outlets, o.Outlet+" – "+o.Role)
	}
	owner := 0
	if in.OwnerID != nil {
		owner = *in.OwnerID
	}
	snap := map[string]any{
		"kind": in.Kind, "first_name": in.FirstName, "last_name": in.LastName, "title": in.Title,
		"bio": in.Bio, "languages": sortedStrings(in.Languages), "city": in.City, "region": in.Region,
		"country": in.Country, "stage": in.Stage, "lawful_basis": in.LawfulBasis,
		"consent_state": in.ConsentState, "consent_source": in.ConsentSource,
		"do_not_contact": in.DoNotContact, "owner_id": owner, "emails": sortedStrings(emails),
		"phones": sortedStrings(phones), "channels": sortedStrings(channels), "outlets": sortedStrings(outlets),
		"topics": sortedStrings(in.Topics), "tags": sortedStrings(in.Tags),
	}
	for k, v := range in.Custom { // one entry per field: its history reads "custom.birthday"
		snap[CustomFormName(k)] = CustomText(v)
	}
	return snap
}
