package demo

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
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
// relations through crm's one contact write path (trusted, as an import
// writes), and records their ids in g.ids. The writer stores a contact as of
// now; the demo then backdates, in a few set-wise UPDATEs, what a real team's
// history would have given the rows (backdate).
func (g *demoGen) saveContacts(ctx context.Context, tx *ent.Tx, lo int, recs []demoContact, st *Stats) error {
	ws := make([]crm.ContactWrite, len(recs))
	for k, c := range recs {
		ws[k] = crm.ContactWrite{In: g.input(c), Summary: "Demo data"}
		if err := ws[k].In.Check(); err != nil {
			return fmt.Errorf("contact %d: %w", lo+k, err)
		}
		st.Emails, st.Channels = st.Emails+len(c.emails), st.Channels+len(c.channels)
	}
	res, err := g.writer.Write(ctx, tx, ws, crm.WriteOptions{Trusted: true})
	if err != nil {
		return err
	}
	for k, r := range res {
		g.ids[lo+k] = r.ID
	}
	st.Contacts += len(recs)
	return g.backdate(ctx, tx, g.ids[lo:lo+len(recs)], recs)
}

// input is the state the writer gives contact c.
func (g *demoGen) input(c demoContact) crm.ContactInput {
	owner := g.users[c.owner]
	in := crm.ContactInput{Kind: c.kind, FirstName: c.first, LastName: c.last, Title: c.title, Bio: c.bio,
		City: c.city.name, Region: c.city.name, Country: c.city.country, Languages: c.langs,
		Stage: c.stage, LawfulBasis: c.basis, ConsentState: c.consent, ConsentSource: c.source,
		DoNotContact: c.dnc, OwnerID: &owner}
	if len(c.phones) > 0 {
		in.Phones = c.phones
	}
	for _, e := range c.emails {
		in.Emails = append(in.Emails, crm.EmailInput{Address: e[0], Type: e[1]})
	}
	for _, ch := range c.channels {
		in.Channels = append(in.Channels, crm.ChannelInput{Platform: ch.platform, Handle: ch.handle, Followers: ch.followers})
	}
	for _, j := range c.jobs {
		in.Outlets = append(in.Outlets, crm.OutletRole{Outlet: g.outlets[j.outlet].name, Role: j.role})
	}
	for _, t := range c.topics {
		in.Topics = append(in.Topics, demoTopics[t])
	}
	for _, t := range c.tags {
		in.Tags = append(in.Tags, demoTags[t])
	}
	return in
}
