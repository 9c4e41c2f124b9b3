package crm

import (
	"context"

	"entgo.io/ent/dialect/sql"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/crm/sortkey"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// DuplicateHint is a stored contact that a contact being entered may
// duplicate, and why.
type DuplicateHint struct {
	ID     int
	Name   string
	Reason string
}

// maxHints bounds the hints one check returns, and nameCandidates the
// contacts of a similar surname it compares.
const (
	maxHints         = 5
	nameCandidates   = 50
	outletCandidates = 1000 // people at the outlets named; at a bigger outlet the rest are not compared
)

// DuplicateHints lists the stored contacts (but exclude) that in may
// duplicate: one with any of its e-mails or channels, one of the same name,
// or one whose name sounds alike and who works at one of its outlets. A few
// indexed look-ups, whatever the number of contacts (the surname by its
// sort key in its spellings: Müller, Mueller, Muller).
func DuplicateHints(ctx context.Context, client *ent.Client, in ContactInput, exclude int) ([]DuplicateHint, error) {
	in.normalize()
	reasons := map[int][]string{}
	var order []int
	add := func(id int, why string) {
		if id == exclude {
			return
		}
		if _, ok := reasons[id]; !ok {
			order = append(order, id)
		}
		reasons[id] = append(reasons[id], why)
	}
	if len(in.Emails) > 0 {
		addrs := make([]string, len(in.Emails))
		for i, e := range in.Emails {
			addrs[i] = e.Address
		}
		es, err := client.ContactEmail.Query().Where(contactemail.AddressIn(addrs...)).Limit(maxHints).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("duplicate check: %w", err)
		}
		for _, e := range es {
			add(e.ContactID, "same e-mail "+e.Address)
		}
	}
	for _, ch := range in.Channels {
		ss, err := client.SocialProfile.Query().Where(socialprofile.PlatformEQ(socialprofile.Platform(ch.Platform)), socialprofile.Handle(ch.Handle)).Limit(1).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("duplicate check: %w", err)
		}
		for _, s := range ss {
			add(s.ContactID, fmt.Sprintf("same %s channel %s", s.Platform, s.Handle))
		}
	}
	if in.LastName != "" {
		if err := nameHints(ctx, client, in, add); err != nil {
			return nil, err
		}
	}
	if len(order) > maxHints {
		order = order[:maxHints]
	}
	if len(order) == 0 {
		return nil, nil
	}
	cs, err := client.Contact.Query().Where(contact.IDIn(order...)).Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("duplicate check: %w", err)
	}
	names := map[int]string{}
	for _, c := range cs {
		names[c.ID] = DisplayName(c.FirstName, c.LastName)
	}
	out := make([]DuplicateHint, 0, len(order))
	for _, id := range order {
		if n, ok := names[id]; ok {
			out = append(out, DuplicateHint{ID: id, Name: n, Reason: strings.Join(reasons[id], ", ")})
		}
	}
	return out, nil
}

// nameHints adds the contacts of the same name (either order, in its
// German spellings; by the indexed surname sort key) and those at one of
// in's outlets whose name sounds alike (by the indexed outlet of their jobs).
func nameHints(ctx context.Context, client *ent.Client, in ContactInput, add func(int, string)) error {
	keys := spellings(in.LastName)
	if in.FirstName != "" {
		keys = append(keys, spellings(in.FirstName)...) // swapped
	}
	cs, err := client.Contact.Query().Where(contact.SortLastIn(keys...)).Limit(nameCandidates).
		Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName).All(ctx)
	if err != nil {
		return fmt.Errorf("duplicate check: %w", err)
	}
	me := DupPerson{First: in.FirstName, Last: in.LastName}
	for _, c := range cs {
		other := DupPerson{ID: c.ID, First: c.FirstName, Last: c.LastName}
		if p, _ := ScorePair(&me, &other); p.Score >= scoreSameName {
			add(c.ID, p.Evidence[0])
		}
	}
	if len(in.Outlets) == 0 {
		return nil
	}
	names := make([]string, len(in.Outlets))
	for i, o := range in.Outlets {
		names[i] = o.Outlet
	}
	lowers, _ := distinctFold(names)
	os, err := client.Outlet.Query().Where(func(s *sql.Selector) { s.Where(foldIn(s.C("name"), lowers)) }).
		Select(outlet.FieldID, outlet.FieldName).All(ctx)
	if err != nil || len(os) == 0 {
		return err
	}
	outletName := map[int]string{}
	var ids []int
	for _, o := range os {
		outletName[o.ID] = o.Name
		ids = append(ids, o.ID)
	}
	cs, err = client.Contact.Query().Where(contact.HasEmploymentsWith(employment.OutletIDIn(ids...))).Limit(outletCandidates).
		Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName).All(ctx)
	if err != nil {
		return fmt.Errorf("duplicate check: %w", err)
	}
	at := outletName[ids[0]]
	if len(ids) > 1 {
		at = "the same outlet"
	}
	for _, c := range cs {
		other := DupPerson{ID: c.ID, First: c.FirstName, Last: c.LastName}
		if p, _ := ScorePair(&me, &other); p.Score > 0 && p.Score < scoreSameName {
			add(c.ID, p.Evidence[0]+" and also at "+at)
		}
	}
	return nil
}

var umlautsBack = strings.NewReplacer("ae", "ä", "oe", "ö", "ue", "ü", "Ae", "Ä", "Oe", "Ö", "Ue", "Ü")

// spellings are the sort keys a name is stored under in its German
// spellings: Müller and Muller as "muller", Mueller as "mueller".
func spellings(name string) []string {
	set := map[string]bool{sortkey.Key(name): true, sortkey.Key(transliterate(name)): true}
	back := umlautsBack.Replace(name)
	set[sortkey.Key(back)] = true
	out := make([]string, 0, len(set))
	for k := range set {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}
