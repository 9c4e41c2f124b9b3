package crm

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// contactSnapshot reads what an audit event records of a contact: its fields
// and its e-mails, phones, channels, jobs, topics and tags as sorted text.
func contactSnapshot(ctx context.Context, tx *ent.Tx, id int) (map[string]any, error) {
	c, err := tx.Contact.Query().Where(contact.ID(id)).WithEmails().WithChannels().
		WithEmployments(func(q *ent.EmploymentQuery) { q.WithOutlet() }).WithTopics().WithTags().Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("snapshot contact %d: %w", id, err)
	}
	var emails, phones, channels, outlets, topics, tags []string
	for _, e := range c.Edges.Emails {
		emails = append(emails, e.Address+" ("+string(e.Type)+")")
	}
	for _, p := range c.Phones {
		phones = append(phones, p.Number+" ("+p.Label+")")
	}
	for _, ch := range c.Edges.Channels {
		channels = append(channels, fmt.Sprintf("%s/%s: %d", ch.Platform, ch.Handle, ch.Followers))
	}
	for _, e := range c.Edges.Employments {
		if e.Edges.Outlet != nil {
			outlets = append(outlets, e.Edges.Outlet.Name+" – "+e.Role)
		}
	}
	for _, t := range c.Edges.Topics {
		topics = append(topics, t.Name)
	}
	for _, t := range c.Edges.Tags {
		tags = append(tags, t.Name)
	}
	owner := 0
	if c.OwnerID != nil {
		owner = *c.OwnerID
	}
	return map[string]any{
		"kind": string(c.Kind), "first_name": c.FirstName, "last_name": c.LastName, "title": c.Title,
		"bio": c.Bio, "languages": sortedStrings(c.Languages), "city": c.City, "region": c.Region,
		"country": c.Country, "stage": string(c.Stage), "lawful_basis": string(c.LawfulBasis),
		"consent_state": string(c.ConsentState), "consent_source": c.ConsentSource,
		"do_not_contact": c.DoNotContact, "owner_id": owner, "emails": sortedStrings(emails),
		"phones": sortedStrings(phones), "channels": sortedStrings(channels), "outlets": sortedStrings(outlets),
		"topics": sortedStrings(topics), "tags": sortedStrings(tags),
	}, nil
}
