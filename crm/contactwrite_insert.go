package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/rapport-crm/rapport/crm/sortkey"
	"slices"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/socialprofile"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/topic"
)

// insertContacts inserts the batch's new contacts with their health and
// touch-due date. On PostgreSQL it is one INSERT … SELECT FROM unnest($1::…[],
// …) whatever the number of contacts (PostgreSQL parses and plans one small
// statement with one array parameter per column instead of multi-row VALUES
// lists, and Go builds no ent mutations); elsewhere one multi-row INSERT per
// 1,000 contacts through ent.
func (p *writePlan) insertContacts(ctx context.Context) error {
	if len(p.creates) == 0 {
		return nil
	}
	if p.w.dialect == dialect.Postgres {
		ids, err := nextIDs(ctx, p.tx, contact.Table, len(p.creates))
		if err != nil {
			return err
		}
		for i, c := range p.creates {
			c.id = ids[i]
		}
		return insertContactsPG(ctx, p.tx, p.now, p.creates)
	}
	for chunk := range slices.Chunk(p.creates, bulkChunk) {
		creates := make([]*ent.ContactCreate, len(chunk))
		for i, c := range chunk {
			creates[i] = p.tx.Contact.Create().SetCreatedAt(p.now).SetUpdatedAt(p.now).SetHealth(c.score).SetNillableTouchDueAt(c.due)
			applyContactFields(creates[i].Mutation(), c.x.In)
		}
		cs, err := p.tx.Contact.CreateBulk(creates...).Save(ctx)
		if err != nil {
			return fmt.Errorf("create contacts: %w", err)
		}
		for i, c := range cs {
			chunk[i].id = c.ID
		}
	}
	return nil
}

// applyContactFields copies the scalar fields of in onto a create or update
// mutation: the one place (with insertContactsPG) that sets them.
func applyContactFields(m *ent.ContactMutation, in ContactInput) {
	m.SetKind(contact.Kind(in.Kind))
	m.SetFirstName(in.FirstName)
	m.SetLastName(in.LastName)
	SetSortKeys(m, in.FirstName, in.LastName)
	m.SetTitle(in.Title)
	m.SetBio(in.Bio)
	m.SetLanguages(in.Languages)
	m.SetCity(in.City)
	m.SetRegion(in.Region)
	m.SetCountry(in.Country)
	if in.Phones != nil {
		m.SetPhones(in.Phones)
	}
	m.SetStage(contact.Stage(in.Stage))
	m.SetLawfulBasis(contact.LawfulBasis(in.LawfulBasis))
	m.SetConsentState(contact.ConsentState(in.ConsentState))
	m.SetConsentSource(in.ConsentSource)
	m.SetDoNotContact(in.DoNotContact)
	if in.OwnerID != nil {
		m.SetOwnerID(*in.OwnerID)
	}
	if len(in.Custom) > 0 {
		m.SetCustom(in.Custom)
	}
	m.SetReach(reachOf(in))
}

// checkForInsert runs the validators ent runs before an INSERT, for the
// rows the PostgreSQL path writes without ent; Check has normally refused
// such input already.
func checkForInsert(in *ContactInput) error {
	// One check after the other, no list of results: this runs for every
	// row of an import.
	fail := func(name string, err error) error {
		return fmt.Errorf("create contacts: field %q: %w", name, err)
	}
	for _, c := range [...]struct {
		name string
		err  error
	}{
		{"kind", contact.KindValidator(contact.Kind(in.Kind))},
		{"first_name", contact.FirstNameValidator(in.FirstName)},
		{"last_name", contact.LastNameValidator(in.LastName)},
		{"title", contact.TitleValidator(in.Title)},
		{"bio", contact.BioValidator(in.Bio)},
		{"city", contact.CityValidator(in.City)},
		{"region", contact.RegionValidator(in.Region)},
		{"country", contact.CountryValidator(in.Country)},
		{"stage", contact.StageValidator(contact.Stage(in.Stage))},
		{"lawful_basis", contact.LawfulBasisValidator(contact.LawfulBasis(in.LawfulBasis))},
		{"consent_state", contact.ConsentStateValidator(contact.ConsentState(in.ConsentState))},
		{"consent_source", contact.ConsentSourceValidator(in.ConsentSource)},
		{"reach", contact.ReachValidator(reachOf(*in))},
	} {
		if c.err != nil {
			return fail(c.name, c.err)
		}
	}
	for _, e := range in.Emails {
		if err := contactemail.AddressValidator(e.Address); err != nil {
			return fail("emails", err)
		}
		if e.Type != "" {
			if err := contactemail.TypeValidator(contactemail.Type(e.Type)); err != nil {
				return fail("emails", err)
			}
		}
	}
	for _, c := range in.Channels {
		for _, err := range [...]error{socialprofile.PlatformValidator(socialprofile.Platform(c.Platform)),
			socialprofile.HandleValidator(c.Handle), socialprofile.URLValidator(ProfileURL(c.Platform, c.Handle)),
			socialprofile.FollowersValidator(c.Followers)} {
			if err != nil {
				return fail("channels", err)
			}
		}
	}
	for _, o := range in.Outlets {
		if err := outlet.NameValidator(o.Outlet); err != nil {
			return fail("outlets", err)
		}
		if err := employment.RoleValidator(o.Role); err != nil {
			return fail("outlets", err)
		}
	}
	for _, t := range in.Topics {
		if err := topic.NameValidator(t); err != nil {
			return fail("topics", err)
		}
	}
	for _, t := range in.Tags {
		if err := tag.NameValidator(t); err != nil {
			return fail("tags", err)
		}
	}
	return nil
}

// nextIDs takes n ids from table's identity sequence, ascending, so that the
// rows can be inserted with known ids (RETURNING does not promise an order).
func nextIDs(ctx context.Context, tx *ent.Tx, table string, n int) ([]int, error) {
	rows, err := tx.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)", table, n)
	if err != nil {
		return nil, fmt.Errorf("allocate %s ids: %w", table, err)
	}
	defer rows.Close()
	ids := make([]int, 0, n)
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("allocate %s ids: %w", table, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("allocate %s ids: %w", table, err)
	}
	if len(ids) != n {
		return nil, fmt.Errorf("allocate %s ids: got %d of %d", table, len(ids), n)
	}
	slices.Sort(ids)
	return ids, nil
}

func int64s(xs []int) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = int64(x)
	}
	return out
}

const insertContactsSQL = `INSERT INTO contacts (id, created_at, updated_at, kind, first_name, last_name, title, bio, languages,
	city, region, country, phones, stage, lawful_basis, consent_state, consent_source, do_not_contact, owner_id, reach,
	health, touch_due_at, sort_last, sort_first, custom)
SELECT u.id, $1, $1, u.kind, u.first_name, u.last_name, u.title, u.bio, u.languages::jsonb,
	u.city, u.region, u.country, NULLIF(u.phones, '')::jsonb, u.stage, u.lawful_basis, u.consent_state, u.consent_source,
	u.do_not_contact, NULLIF(u.owner_id, 0), u.reach, u.health, NULLIF(u.due, '')::timestamptz, u.sort_last, u.sort_first,
	NULLIF(u.custom, '')::jsonb
FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
	$11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::bool[], $18::bigint[], $19::bigint[],
	$20::bigint[], $21::text[], $22::text[], $23::text[], $24::text[])
	AS u(id, kind, first_name, last_name, title, bio, languages, city, region, country, phones, stage, lawful_basis,
	consent_state, consent_source, do_not_contact, owner_id, reach, health, due, sort_last, sort_first, custom)`

// insertContactsPG writes the contacts' own columns as ent would: languages
// as JSON (null when there are none), phones only when set, reach as the sum
// of the channels' followers; the other columns take their defaults.
func insertContactsPG(ctx context.Context, tx *ent.Tx, now time.Time, cs []*pendingWrite) error {
	n := len(cs)
	var (
		kind, first, last, title, bio, langs, city, region, country = make([]string, n), make([]string, n), make([]string, n),
			make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		phones, stage, basis, consent, source, due = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		dnc                                        = make([]bool, n)
		ids, owner, reach, health                  = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		sortLast, sortFirst, custom                = make([]string, n), make([]string, n), make([]string, n)
	)
	for i, c := range cs {
		in := c.x.In
		ids[i], health[i] = int64(c.id), int64(c.score)
		kind[i], first[i], last[i], title[i], bio[i] = in.Kind, in.FirstName, in.LastName, in.Title, in.Bio
		sortLast[i], sortFirst[i] = sortkey.Key(in.LastName), sortkey.Key(in.FirstName)
		city[i], region[i], country[i] = in.City, in.Region, in.Country
		stage[i], basis[i], consent[i], source[i], dnc[i] = in.Stage, in.LawfulBasis, in.ConsentState, in.ConsentSource, in.DoNotContact
		var err error
		if langs[i], err = jsonList(in.Languages); err != nil {
			return fmt.Errorf("create contacts: languages: %w", err)
		}
		if in.Phones != nil {
			b, err := json.Marshal(in.Phones)
			if err != nil {
				return fmt.Errorf("create contacts: phones: %w", err)
			}
			phones[i] = string(b)
		}
		if in.OwnerID != nil {
			owner[i] = int64(*in.OwnerID)
		}
		if len(in.Custom) > 0 {
			b, err := json.Marshal(in.Custom)
			if err != nil {
				return fmt.Errorf("create contacts: custom: %w", err)
			}
			custom[i] = string(b)
		}
		if c.due != nil {
			due[i] = c.due.UTC().Format(time.RFC3339Nano)
		}
		reach[i] = reachOf(in)
	}
	_, err := tx.ExecContext(ctx, insertContactsSQL, now, pq.Array(ids), pq.Array(kind), pq.Array(first), pq.Array(last),
		pq.Array(title), pq.Array(bio), pq.Array(langs), pq.Array(city), pq.Array(region), pq.Array(country), pq.Array(phones),
		pq.Array(stage), pq.Array(basis), pq.Array(consent), pq.Array(source), pq.Array(dnc), pq.Array(owner), pq.Array(reach),
		pq.Array(health), pq.Array(due), pq.Array(sortLast), pq.Array(sortFirst), pq.Array(custom))
	if err != nil {
		return fmt.Errorf("create contacts: %w", err)
	}
	return nil
}

// jsonList is json.Marshal(l) as a string, without encoding the lists most
// imported rows have: none (null) or an empty one.
func jsonList[T any](l []T) (string, error) {
	switch {
	case l == nil:
		return "null", nil
	case len(l) == 0:
		return "[]", nil
	}
	b, err := json.Marshal(l)
	return string(b), err
}
