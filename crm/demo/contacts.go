package demo

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// writeContacts plans the interactions (which the contacts' stage and last
// interaction depend on), then writes the contacts and their relations.
func (g *demoGen) writeContacts(ctx context.Context, client *ent.Client, st *Stats) error {
	g.makePlan()
	r := g.rng(3)
	compliance := r.Perm(g.n) // a rank per contact, so the lawful-basis shares are exact
	g.ids, g.owner, g.topic, g.outlet = make([]int, g.n), make([]uint8, g.n), make([]uint8, g.n), make([]int32, g.n)
	for lo := 0; lo < g.n; lo += demoTxContacts {
		recs := make([]demoContact, min(demoTxContacts, g.n-lo))
		for k := range recs {
			i := lo + k
			recs[k] = g.contact(r, i, compliance[i])
			g.owner[i], g.topic[i], g.outlet[i] = uint8(recs[k].owner), uint8(recs[k].topics[0]), int32(recs[k].jobs[0].outlet)
		}
		if err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error { return g.saveContacts(ctx, tx, lo, recs, st) }); err != nil {
			return fmt.Errorf("demo: contacts: %w", err)
		}
		g.opt.Progress(lo+len(recs), g.n+len(g.plan))
	}
	return nil
}

// saveContacts writes the contacts recs, numbers lo and up, and their
// relations, and records their ids in g.ids. It is the demo's only writer of
// contacts: when crm has one contact write path for batches, this function
// is what changes to use it.
func (g *demoGen) saveContacts(ctx context.Context, tx *ent.Tx, lo int, recs []demoContact, st *Stats) error {
	bulk := make([]*ent.ContactCreate, len(recs))
	for k, c := range recs {
		bulk[k] = tx.Contact.Create().SetKind(contact.Kind(c.kind)).SetFirstName(c.first).SetLastName(c.last).SetTitle(c.title).
			SetBio(c.bio).SetLanguages(c.langs).SetCity(c.city.name).SetRegion(c.city.name).SetCountry(c.city.country).
			SetOwnerID(g.users[c.owner]).SetStage(contact.Stage(c.stage)).SetLawfulBasis(contact.LawfulBasis(c.basis)).
			SetConsentState(contact.ConsentState(c.consent)).SetNillableConsentAt(c.consentAt).SetConsentSource(c.source).
			SetDoNotContact(c.dnc).SetNillableLastInteractionAt(c.lastAt).SetReach(c.reach).SetVersion(1).SetTouchDueAt(*demoDue(c)).
			SetCreatedAt(c.created).SetUpdatedAt(c.updated)
		crm.SetSortKeys(bulk[k].Mutation(), c.first, c.last)
		if len(c.phones) > 0 {
			bulk[k].SetPhones(c.phones)
		}
	}
	ids := g.ids[lo:lo]                                            // appending fills g.ids[lo:]
	err := demoBulk(bulk, 24, func(b []*ent.ContactCreate) error { // columns incl. health and touch_due_at
		made, err := tx.Contact.CreateBulk(b...).Save(ctx)
		for _, c := range made {
			ids = append(ids, c.ID)
		}
		return err
	})
	if err != nil {
		return err
	}
	var (
		emails []*ent.ContactEmailCreate
		chans  []*ent.SocialProfileCreate
		jobs   []*ent.EmploymentCreate
		topics []*ent.ContactTopicCreate
		tags   []*ent.ContactTagCreate
	)
	for k, c := range recs {
		id := ids[k]
		for j, e := range c.emails {
			emails = append(emails, tx.ContactEmail.Create().SetContactID(id).SetAddress(e[0]).SetType(contactemail.Type(e[1])).SetPrimary(j == 0))
		}
		for _, ch := range c.channels {
			chans = append(chans, tx.SocialProfile.Create().SetContactID(id).SetPlatform(socialprofile.Platform(ch.platform)).
				SetHandle(ch.handle).SetURL(crm.ProfileURL(ch.platform, ch.handle)).SetFollowers(ch.followers).
				SetNillableEngagementRate(ch.rate).SetCheckedAt(ch.checked).SetCreatedAt(c.created).SetUpdatedAt(ch.checked))
		}
		for _, j := range c.jobs {
			jobs = append(jobs, tx.Employment.Create().SetContactID(id).SetOutletID(g.outletIDs[j.outlet]).SetRole(j.role).
				SetStartedAt(j.start).SetNillableEndedAt(j.end))
		}
		for _, t := range c.topics {
			topics = append(topics, tx.ContactTopic.Create().SetContactID(id).SetTopicID(g.topicIDs[t]))
		}
		for _, t := range c.tags {
			tags = append(tags, tx.ContactTag.Create().SetContactID(id).SetTagID(g.tagIDs[t]))
		}
	}
	st.Contacts, st.Emails, st.Channels = st.Contacts+len(recs), st.Emails+len(emails), st.Channels+len(chans)
	if err := demoBulk(emails, 4, func(b []*ent.ContactEmailCreate) error { return tx.ContactEmail.CreateBulk(b...).Exec(ctx) }); err != nil {
		return err
	}
	if err := demoBulk(chans, 10, func(b []*ent.SocialProfileCreate) error { return tx.SocialProfile.CreateBulk(b...).Exec(ctx) }); err != nil {
		return err
	}
	if err := demoBulk(jobs, 5, func(b []*ent.EmploymentCreate) error { return tx.Employment.CreateBulk(b...).Exec(ctx) }); err != nil {
		return err
	}
	if err := demoBulk(topics, 2, func(b []*ent.ContactTopicCreate) error { return tx.ContactTopic.CreateBulk(b...).Exec(ctx) }); err != nil {
		return err
	}
	return demoBulk(tags, 2, func(b []*ent.ContactTagCreate) error { return tx.ContactTag.CreateBulk(b...).Exec(ctx) })
}
