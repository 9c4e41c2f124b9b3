package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// This file holds the contact writes of an import, exported for the importing
// package: they run inside the caller's transaction (one per batch), so a
// batch of rows, its row outcomes and its progress commit together or not at
// all. Single-contact forms keep using CreateContact and UpdateContact.

// Check normalises in as a save would and validates it; the error is an
// EInvalid *Error with field errors.
func (in *ContactInput) Check() error {
	in.normalize()
	return in.validate()
}

// AuditTx writes an audit event in tx, attributed to the actor of ctx.
func AuditTx(ctx context.Context, tx *ent.Tx, ev Event) error { return audit(ctx, tx, ev) }

// ActionImport and ActionRevert are the audit actions of imports.
const (
	ActionImport = "import"
	ActionRevert = "revert"
	EntityImport = "import"
)

// LoadContactInputs reads contacts (with e-mails, channels, outlets, topics
// and tags) as the ContactInput that would save them unchanged; missing ids
// are left out of the map.
func LoadContactInputs(ctx context.Context, client *ent.Client, ids []int) (map[int]ContactInput, error) {
	out := make(map[int]ContactInput, len(ids))
	for chunk := range slices.Chunk(ids, 1000) {
		cs, err := client.Contact.Query().Where(contact.IDIn(chunk...)).WithEmails().WithChannels().
			WithEmployments(func(q *ent.EmploymentQuery) { q.WithOutlet() }).WithTopics().WithTags().All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load contacts: %w", err)
		}
		for _, c := range cs {
			out[c.ID] = ContactInputOf(c)
		}
	}
	return out, nil
}

// ContactInputOf turns a contact loaded with its edges into the input that
// would save it unchanged.
func ContactInputOf(c *ent.Contact) ContactInput {
	in := ContactInput{Kind: string(c.Kind), FirstName: c.FirstName, LastName: c.LastName, Title: c.Title, Bio: c.Bio,
		City: c.City, Region: c.Region, Country: c.Country, Languages: slices.Clone(c.Languages), Phones: slices.Clone(c.Phones),
		Stage: string(c.Stage), LawfulBasis: string(c.LawfulBasis), ConsentState: string(c.ConsentState),
		ConsentSource: c.ConsentSource, DoNotContact: c.DoNotContact, OwnerID: c.OwnerID, Version: c.Version}
	emails := slices.Clone(c.Edges.Emails)
	slices.SortStableFunc(emails, func(a, b *ent.ContactEmail) int {
		if a.Primary != b.Primary {
			if a.Primary {
				return -1
			}
			return 1
		}
		return a.ID - b.ID
	})
	for _, e := range emails {
		in.Emails = append(in.Emails, EmailInput{Address: e.Address, Type: string(e.Type)})
	}
	for _, ch := range c.Edges.Channels {
		in.Channels = append(in.Channels, ChannelInput{Platform: string(ch.Platform), Handle: ch.Handle, Followers: ch.Followers})
	}
	for _, e := range c.Edges.Employments {
		if e.Edges.Outlet != nil {
			in.Outlets = append(in.Outlets, OutletRole{Outlet: e.Edges.Outlet.Name, Role: e.Role})
		}
	}
	for _, t := range c.Edges.Topics {
		in.Topics = append(in.Topics, t.Name)
	}
	for _, t := range c.Edges.Tags {
		in.Tags = append(in.Tags, t.Name)
	}
	return in
}

// ReplaceContactTx saves in (already checked) over contact id in tx, whatever
// its version, and audits the difference with summary. It reports whether
// the contact still existed.
func ReplaceContactTx(ctx context.Context, tx *ent.Tx, id int, in ContactInput, summary string) (bool, error) {
	before, err := contactSnapshot(ctx, tx, id)
	if ent.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	upd := tx.Contact.UpdateOneID(id).AddVersion(1)
	applyContactFields(upd.Mutation(), in)
	if in.OwnerID == nil {
		upd.ClearOwner()
	}
	if in.Phones == nil {
		upd.ClearPhones()
	}
	if err := upd.Exec(ctx); err != nil {
		return false, fmt.Errorf("update contact %d: %w", id, err)
	}
	if err := clearRelations(ctx, tx, id); err != nil {
		return false, err
	}
	if err := saveRelations(ctx, tx, id, in); err != nil {
		return false, err
	}
	after, err := contactSnapshot(ctx, tx, id)
	if err != nil {
		return false, err
	}
	ch := diff(before, after)
	if len(ch) == 0 {
		return true, nil
	}
	return true, audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityContact, EntityID: id,
		Summary: Truncate(summary+": "+ch.FieldList(), 300), Changes: ch})
}

// lookupChunk bounds the values of one look-up: SQLite takes them as one
// parameter each; PostgreSQL gets them as one array parameter.
const lookupChunk = 5000

// anyOf matches col against vals: on PostgreSQL with "= ANY($1)" and one
// array parameter (parsed and planned at once, whatever the number of
// values), elsewhere with an IN list.
func anyOf(col string, vals []string) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		if s.Dialect() == dialect.Postgres {
			s.Where(entsql.P(func(b *entsql.Builder) {
				b.WriteString(s.C(col)).WriteString(" = ANY(").Arg(pq.Array(vals)).WriteString(")")
			}))
			return
		}
		s.Where(entsql.In(s.C(col), anys(vals)...))
	}
}

// FindByEmails maps normalised addresses to the contacts that have them.
func FindByEmails(ctx context.Context, client *ent.Client, addrs []string) (map[string]int, error) {
	out := map[string]int{}
	for chunk := range slices.Chunk(addrs, lookupChunk) {
		rows, err := client.ContactEmail.Query().Where(anyOf(contactemail.FieldAddress, chunk)).
			Select(contactemail.FieldAddress, contactemail.FieldContactID).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("find e-mails: %w", err)
		}
		for _, r := range rows {
			if old, ok := out[r.Address]; !ok || r.ContactID < old {
				out[r.Address] = r.ContactID
			}
		}
	}
	return out, nil
}

// FindByHandles maps "platform/handle" keys to the contacts that have them.
func FindByHandles(ctx context.Context, client *ent.Client, keys []string) (map[string]int, error) {
	byPlatform := map[string][]string{}
	for _, k := range keys {
		p, h, _ := strings.Cut(k, "/")
		byPlatform[p] = append(byPlatform[p], h)
	}
	out := map[string]int{}
	for p, hs := range byPlatform {
		for chunk := range slices.Chunk(hs, lookupChunk) {
			rows, err := client.SocialProfile.Query().Where(socialprofile.PlatformEQ(socialprofile.Platform(p)), anyOf(socialprofile.FieldHandle, chunk)).
				Select(socialprofile.FieldHandle, socialprofile.FieldContactID).All(ctx)
			if err != nil {
				return nil, fmt.Errorf("find handles: %w", err)
			}
			for _, r := range rows {
				out[p+"/"+r.Handle] = r.ContactID
			}
		}
	}
	return out, nil
}

// ExistingIDs returns which of ids are contacts.
func ExistingIDs(ctx context.Context, client *ent.Client, ids []int) (map[int]bool, error) {
	out := map[int]bool{}
	for chunk := range slices.Chunk(ids, 1000) {
		found, err := client.Contact.Query().Where(contact.IDIn(chunk...)).IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("find contacts: %w", err)
		}
		for _, id := range found {
			out[id] = true
		}
	}
	return out, nil
}
