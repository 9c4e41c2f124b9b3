package demo

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/schema"
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
			var as *demoPerson
			if p, ok := demoTwinPeople[i]; ok && len(recs) >= demoTwinsFrom {
				as = &p
			}
			recs[k] = g.contact(r, i, compliance[i], as)
			g.owner[i], g.topic[i], g.outlet[i] = uint8(recs[k].owner), uint8(recs[k].topics[0]), int32(recs[k].jobs[0].outlet)
		}
		if lo == 0 {
			twins(recs)
			for k := range recs {
				g.topic[lo+k], g.outlet[lo+k] = uint8(recs[k].topics[0]), int32(recs[k].jobs[0].outlet)
			}
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
		ws[k] = crm.ContactWrite{In: g.input(c), Msg: crm.MsgDemoData()}
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

// input is the state the writer gives contact c. The region is left to the
// place rule, as a contact saved through the form leaves it: München gives
// Bayern, so the Region filter does not split a place into city and Land.
func (g *demoGen) input(c demoContact) crm.ContactInput {
	owner := g.users[c.owner]
	in := crm.ContactInput{Kind: c.kind, FirstName: c.first, LastName: c.last, Title: c.title, Bio: c.bio,
		City: c.city.name, Country: c.city.country, Languages: c.langs, // the writer derives the region (Bundesland) from the city
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

// demoTwinsFrom is how many contacts the first batch needs for twins.
const demoTwinsFrom = 40

// demoTwinPeople are the people twins enters twice, by contact number:
// contact generates them under these names, so that their gendered title,
// roles and bio fit the first name.
var demoTwinPeople = map[int]demoPerson{7: {"Miriam", "Klein", 1}, 17: {"Jürgen", "Müller", 0}, 27: {"Aylin", "Yılmaz", 1}}

// twins makes a few believable duplicates among the first contacts, as
// teams have them, so /duplicates shows something on first sign-in: Miriam
// Klein twice (the e-mail in other case, "Munich"), Jürgen Müller and Juergen
// Mueller at the same outlet, Aylin Yılmaz with names swapped and the phone
// written otherwise; and places spelt as imports spell them (Muenchen,
// Koeln), which the writer makes canonical.
func twins(recs []demoContact) {
	if len(recs) < demoTwinsFrom {
		return
	}
	// The twin keeps its own history (stage, interactions, dates) and takes
	// the person's outlet, kind, title, topics and bio: the same person, so
	// the gendered words fit the name.
	twin := func(i int) demoContact {
		c := recs[i+1]
		c.jobs, c.city, c.emails = recs[i].jobs, recs[i].city, nil
		c.kind, c.title, c.topics, c.bio = recs[i].kind, recs[i].title, recs[i].topics, recs[i].bio
		return c
	}
	recs[7].emails = [][2]string{{"miriam.klein@sz-redaktion.example", "work"}}
	recs[8] = twin(7)
	recs[8].first, recs[8].last = "Miriam", "Klein"
	recs[8].emails = [][2]string{{"Miriam.Klein@SZ-Redaktion.example", "work"}}
	recs[8].city.name = "Munich"

	recs[18] = twin(17)
	recs[18].first, recs[18].last = "Juergen", "Mueller"
	recs[18].emails = [][2]string{{"juergen.mueller@posteo.example", "private"}}

	recs[27].phones = []schema.Phone{{Number: "+49 40 3456789", Label: "mobile"}}
	recs[28] = twin(27)
	recs[28].first, recs[28].last = "Yılmaz", "Aylin"
	recs[28].phones = []schema.Phone{{Number: "040 3456789", Label: "work"}}
	recs[28].emails = [][2]string{{"aylin.y@mailbox.example", "private"}}

	recs[37].city.name = "Muenchen"
	recs[38].city.name = "Koeln"
}
