package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/crm/sortkey"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/socialprofile"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/topic"
)

// bulkChunk keeps every multi-row INSERT well under PostgreSQL's 65,535
// parameters (a contact row has about 25 columns).
const bulkChunk = 1000

// CreateContactsTx stores new contacts (each already checked with Check) in
// tx with one multi-row INSERT per relation and chunk, instead of a dozen
// statements per contact, and audits each with summaries[i]. It returns the
// new ids in the order of ins. It is the portable form, through ent (whose
// hook records the search changes); CreateContactsBulk picks the fastest
// form for the database.
func CreateContactsTx(ctx context.Context, tx *ent.Tx, ins []ContactInput, summaries []string) ([]int, error) {
	if len(ins) == 0 {
		return nil, nil
	}
	ids := make([]int, 0, len(ins))
	for chunk := range slices.Chunk(ins, bulkChunk) {
		creates := make([]*ent.ContactCreate, len(chunk))
		for i, in := range chunk {
			creates[i] = tx.Contact.Create()
			applyContactFields(creates[i].Mutation(), in)
		}
		cs, err := tx.Contact.CreateBulk(creates...).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("create contacts: %w", err)
		}
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
	}
	if err := createEmails(ctx, tx, ids, ins); err != nil {
		return nil, err
	}
	if err := createChannels(ctx, tx, ids, ins); err != nil {
		return nil, err
	}
	if err := createEmployments(ctx, tx, ids, ins); err != nil {
		return nil, err
	}
	if err := createLabels(ctx, tx, ids, ins); err != nil {
		return nil, err
	}
	return ids, auditCreated(ctx, tx, ids, summaries)
}

func createEmails(ctx context.Context, tx *ent.Tx, ids []int, ins []ContactInput) error {
	var bulk []*ent.ContactEmailCreate
	for i, in := range ins {
		for j, e := range in.Emails {
			typ := contactemail.Type(e.Type)
			if typ == "" {
				typ = contactemail.DefaultType
			}
			bulk = append(bulk, tx.ContactEmail.Create().SetContactID(ids[i]).SetAddress(e.Address).SetType(typ).SetPrimary(j == 0))
		}
	}
	for chunk := range slices.Chunk(bulk, bulkChunk) {
		if err := tx.ContactEmail.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save e-mails: %w", err)
		}
	}
	return nil
}

func createChannels(ctx context.Context, tx *ent.Tx, ids []int, ins []ContactInput) error {
	var bulk []*ent.SocialProfileCreate
	for i, in := range ins {
		for _, c := range in.Channels {
			bulk = append(bulk, tx.SocialProfile.Create().SetContactID(ids[i]).SetPlatform(socialprofile.Platform(c.Platform)).
				SetHandle(c.Handle).SetURL(ProfileURL(c.Platform, c.Handle)).SetFollowers(c.Followers))
		}
	}
	for chunk := range slices.Chunk(bulk, bulkChunk) {
		if err := tx.SocialProfile.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save channels: %w", err)
		}
	}
	return nil
}

func createEmployments(ctx context.Context, tx *ent.Tx, ids []int, ins []ContactInput) error {
	var names []string
	for _, in := range ins {
		for _, o := range in.Outlets {
			names = append(names, o.Outlet)
		}
	}
	outletIDs, err := outletIDsByName(ctx, tx, names, nil)
	if err != nil {
		return err
	}
	var bulk []*ent.EmploymentCreate
	for i, in := range ins {
		for _, o := range in.Outlets {
			bulk = append(bulk, tx.Employment.Create().SetContactID(ids[i]).SetOutletID(outletIDs[strings.ToLower(o.Outlet)]).SetRole(o.Role))
		}
	}
	for chunk := range slices.Chunk(bulk, bulkChunk) {
		if err := tx.Employment.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save outlets: %w", err)
		}
	}
	return nil
}

// outletIDsByName maps lower-cased names to outlets, creating the missing
// ones. beforeCreate (may be nil) runs before any is created; when it is
// set, the missing names are looked up once more after it, so names that
// another transaction created meanwhile are found, not created twice.
func outletIDsByName(ctx context.Context, tx *ent.Tx, names []string, beforeCreate func() error) (map[string]int, error) {
	lowers, first := distinctFold(names)
	out := map[string]int{}
	lookup := func(keys []string) error {
		for chunk := range slices.Chunk(keys, bulkChunk) {
			found, err := tx.Outlet.Query().Where(func(s *sql.Selector) {
				s.Where(foldIn(s.C(outlet.FieldName), chunk, first))
			}).Order(ent.Asc(outlet.FieldID)).Select(outlet.FieldID, outlet.FieldName).All(ctx)
			if err != nil {
				return fmt.Errorf("find outlets: %w", err)
			}
			for _, o := range found {
				setFirst(out, strings.ToLower(o.Name), o.ID)
			}
		}
		return nil
	}
	if err := lookup(lowers); err != nil {
		return nil, err
	}
	missing := missingOf(lowers, out)
	if len(missing) > 0 && beforeCreate != nil {
		if err := beforeCreate(); err != nil {
			return nil, err
		}
		if err := lookup(missing); err != nil {
			return nil, err
		}
		missing = missingOf(missing, out)
	}
	create := make([]*ent.OutletCreate, len(missing))
	for i, l := range missing {
		create[i] = tx.Outlet.Create().SetName(first[l])
	}
	for i, chunk := 0, []*ent.OutletCreate(nil); i < len(create); i += len(chunk) {
		chunk = create[i:min(len(create), i+bulkChunk)]
		os, err := tx.Outlet.CreateBulk(chunk...).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("create outlets: %w", err)
		}
		for j, o := range os {
			out[missing[i+j]] = o.ID
		}
	}
	return out, nil
}

// missingOf returns the keys that m lacks.
func missingOf(keys []string, m map[string]int) []string {
	var out []string
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

// createLabels links topics and tags, creating the names that do not exist.
func createLabels(ctx context.Context, tx *ent.Tx, ids []int, ins []ContactInput) error {
	var topics, tags []string
	for _, in := range ins {
		topics, tags = append(topics, in.Topics...), append(tags, in.Tags...)
	}
	topicIDs, err := labelIDs(ctx, tx, topics, true, nil)
	if err != nil {
		return err
	}
	tagIDs, err := labelIDs(ctx, tx, tags, false, nil)
	if err != nil {
		return err
	}
	var ct []*ent.ContactTopicCreate
	var cg []*ent.ContactTagCreate
	for i, in := range ins {
		for _, t := range in.Topics {
			ct = append(ct, tx.ContactTopic.Create().SetContactID(ids[i]).SetTopicID(topicIDs[strings.ToLower(t)]))
		}
		for _, t := range in.Tags {
			cg = append(cg, tx.ContactTag.Create().SetContactID(ids[i]).SetTagID(tagIDs[strings.ToLower(t)]))
		}
	}
	for chunk := range slices.Chunk(ct, bulkChunk) {
		if err := tx.ContactTopic.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save topics: %w", err)
		}
	}
	for chunk := range slices.Chunk(cg, bulkChunk) {
		if err := tx.ContactTag.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save tags: %w", err)
		}
	}
	return nil
}

// labelIDs maps lower-cased topic (or tag) names to ids, creating missing
// ones; beforeCreate as for outletIDsByName.
func labelIDs(ctx context.Context, tx *ent.Tx, names []string, topics bool, beforeCreate func() error) (map[string]int, error) {
	lowers, first := distinctFold(names)
	out := map[string]int{}
	lookup := func(keys []string) error {
		for chunk := range slices.Chunk(keys, bulkChunk) {
			var err error
			if topics {
				var ts []*ent.Topic
				ts, err = tx.Topic.Query().Where(func(s *sql.Selector) {
					s.Where(foldIn(s.C(topic.FieldName), chunk, first))
				}).Order(ent.Asc(topic.FieldID)).All(ctx)
				for _, t := range ts {
					setFirst(out, strings.ToLower(t.Name), t.ID)
				}
			} else {
				var ts []*ent.Tag
				ts, err = tx.Tag.Query().Where(func(s *sql.Selector) {
					s.Where(foldIn(s.C(tag.FieldName), chunk, first))
				}).Order(ent.Asc(tag.FieldID)).All(ctx)
				for _, t := range ts {
					setFirst(out, strings.ToLower(t.Name), t.ID)
				}
			}
			if err != nil {
				return fmt.Errorf("find topics or tags: %w", err)
			}
		}
		return nil
	}
	if err := lookup(lowers); err != nil {
		return nil, err
	}
	missing := missingOf(lowers, out)
	if len(missing) > 0 && beforeCreate != nil {
		if err := beforeCreate(); err != nil {
			return nil, err
		}
		if err := lookup(missing); err != nil {
			return nil, err
		}
		missing = missingOf(missing, out)
	}
	for chunk := range slices.Chunk(missing, bulkChunk) {
		var err error
		if topics {
			bulk := make([]*ent.TopicCreate, len(chunk))
			for i, l := range chunk {
				bulk[i] = tx.Topic.Create().SetName(first[l])
			}
			err = tx.Topic.CreateBulk(bulk...).OnConflictColumns(topic.FieldName).DoNothing().Exec(ctx)
		} else {
			bulk := make([]*ent.TagCreate, len(chunk))
			for i, l := range chunk {
				bulk[i] = tx.Tag.Create().SetName(first[l])
			}
			err = tx.Tag.CreateBulk(bulk...).OnConflictColumns(tag.FieldName).DoNothing().Exec(ctx)
		}
		if err != nil {
			return nil, fmt.Errorf("create topics or tags: %w", err)
		}
	}
	if err := lookup(missing); err != nil {
		return nil, err
	}
	return out, nil
}

// auditCreated writes one audit event per new contact, in bulk.
func auditCreated(ctx context.Context, tx *ent.Tx, ids []int, summaries []string) error {
	a := ActorFrom(ctx)
	now := time.Now().UTC()
	for start := 0; start < len(ids); start += bulkChunk {
		end := min(len(ids), start+bulkChunk)
		bulk := make([]*ent.AuditEventCreate, 0, end-start)
		for i := start; i < end; i++ {
			c := tx.AuditEvent.Create().SetAt(now).SetAction(ActionCreate).SetEntity(EntityContact).SetEntityID(ids[i]).
				SetSummary(Truncate(summaries[i], 300)).SetRequestID(a.RequestID).SetIP(a.IP)
			if a.UserID != 0 {
				c.SetActorID(a.UserID).SetActorName(a.Name)
			}
			bulk = append(bulk, c)
		}
		if err := tx.AuditEvent.CreateBulk(bulk...).Exec(ctx); err != nil {
			return fmt.Errorf("audit created contacts: %w", err)
		}
	}
	return nil
}

// distinctFold returns the distinct lower-cased names and, for each, the
// first spelling seen.
func distinctFold(names []string) ([]string, map[string]string) {
	first := map[string]string{}
	var lowers []string
	for _, n := range names {
		l := strings.ToLower(n)
		if _, ok := first[l]; !ok {
			first[l] = n
			lowers = append(lowers, l)
		}
	}
	return lowers, first
}

func setFirst(m map[string]int, k string, id int) {
	if _, ok := m[k]; !ok {
		m[k] = id
	}
}

// foldIn matches a name column case-blind, and byte-exact as well, because
// SQLite's LOWER folds ASCII letters only.
func foldIn(col string, lowers []string, first map[string]string) *sql.Predicate {
	exact := make([]string, len(lowers))
	for i, l := range lowers {
		exact[i] = first[l]
	}
	return sql.Or(sql.In(sql.Lower(col), anys(lowers)...), sql.In(col, anys(exact)...))
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// IsPostgres reports whether client (or a transaction's client) talks to
// PostgreSQL, where CreateContactsBulk takes its fast path.
func IsPostgres(ctx context.Context, client *ent.Client) (bool, error) {
	dia, err := dialectOf(ctx, client)
	return dia == dialect.Postgres, err
}

// BulkOptions say how CreateContactsBulk writes.
type BulkOptions struct {
	PG bool // the database is PostgreSQL: take the fast path
	// BeforeNewNames, when set, runs before the fast path creates an outlet,
	// topic or tag that does not exist yet, and the names are looked up again
	// after it: an importer that commits batches on two connections at once
	// waits there for the earlier batch, which may be creating the same names.
	BeforeNewNames func() error
}

// CreateContactsBulk is CreateContactsTx with a PostgreSQL fast path (pg):
// one INSERT … SELECT FROM unnest($1::…[], …) per table whatever the number
// of contacts, so PostgreSQL parses and plans a handful of small statements
// with one array parameter per column instead of multi-row VALUES lists of
// 25,000 parameters, and Go builds no ent mutations. Everything ent would do
// is done here too: the same validators, the same stored values, one audit
// event per contact, and — since no ent mutation passes the outbox hook —
// one search change per new contact with the NOTIFY that wakes the indexer,
// in the same transaction. On SQLite it is CreateContactsTx.
func CreateContactsBulk(ctx context.Context, tx *ent.Tx, opt BulkOptions, ins []ContactInput, summaries []string) ([]int, error) {
	if !opt.PG {
		return CreateContactsTx(ctx, tx, ins, summaries)
	}
	if len(ins) == 0 {
		return nil, nil
	}
	for i := range ins {
		if err := checkForInsert(&ins[i]); err != nil {
			return nil, err
		}
	}
	ids, err := nextIDs(ctx, tx, "contacts", len(ins))
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	if err := insertContactsPG(ctx, tx, now, ids, ins); err != nil {
		return nil, err
	}
	if err := insertEmailsPG(ctx, tx, ids, ins); err != nil {
		return nil, err
	}
	if err := insertChannelsPG(ctx, tx, now, ids, ins); err != nil {
		return nil, err
	}
	if err := insertEmploymentsPG(ctx, tx, ids, ins, opt.BeforeNewNames); err != nil {
		return nil, err
	}
	if err := insertLabelsPG(ctx, tx, ids, ins, opt.BeforeNewNames); err != nil {
		return nil, err
	}
	if err := auditCreatedPG(ctx, tx, now, ids, summaries); err != nil {
		return nil, err
	}
	return ids, recordChangesPG(ctx, tx, now, ids)
}

// checkForInsert runs the validators ent runs before an INSERT, for the
// values CreateContactsBulk writes without ent; Check has normally refused
// such input already.
func checkForInsert(in *ContactInput) error {
	type check struct {
		name string
		err  error
	}
	checks := []check{
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
	}
	for _, e := range in.Emails {
		checks = append(checks, check{"emails", contactemail.AddressValidator(e.Address)})
		if e.Type != "" {
			checks = append(checks, check{"emails", contactemail.TypeValidator(contactemail.Type(e.Type))})
		}
	}
	for _, c := range in.Channels {
		checks = append(checks, check{"channels", socialprofile.PlatformValidator(socialprofile.Platform(c.Platform))},
			check{"channels", socialprofile.HandleValidator(c.Handle)},
			check{"channels", socialprofile.URLValidator(ProfileURL(c.Platform, c.Handle))},
			check{"channels", socialprofile.FollowersValidator(c.Followers)})
	}
	for _, o := range in.Outlets {
		checks = append(checks, check{"outlets", outlet.NameValidator(o.Outlet)}, check{"outlets", employment.RoleValidator(o.Role)})
	}
	for _, t := range in.Topics {
		checks = append(checks, check{"topics", topic.NameValidator(t)})
	}
	for _, t := range in.Tags {
		checks = append(checks, check{"tags", tag.NameValidator(t)})
	}
	for _, c := range checks {
		if c.err != nil {
			return fmt.Errorf("create contacts: field %q: %w", c.name, c.err)
		}
	}
	return nil
}

func reachOf(in ContactInput) int64 {
	var reach int64
	for _, c := range in.Channels {
		reach += c.Followers
	}
	return reach
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
	city, region, country, phones, stage, lawful_basis, consent_state, consent_source, do_not_contact, owner_id, reach, sort_last, sort_first)
SELECT u.id, $1, $1, u.kind, u.first_name, u.last_name, u.title, u.bio, u.languages::jsonb,
	u.city, u.region, u.country, NULLIF(u.phones, '')::jsonb, u.stage, u.lawful_basis, u.consent_state, u.consent_source,
	u.do_not_contact, NULLIF(u.owner_id, 0), u.reach, u.sort_last, u.sort_first
FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
	$11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::bool[], $18::bigint[], $19::bigint[],
	$20::text[], $21::text[])
	AS u(id, kind, first_name, last_name, title, bio, languages, city, region, country, phones, stage, lawful_basis,
	consent_state, consent_source, do_not_contact, owner_id, reach, sort_last, sort_first)`

// insertContactsPG writes the contacts' own columns as ent would: languages
// as JSON (null when there are none), phones only when set, reach as the sum
// of the channels' followers; the other columns take their defaults.
func insertContactsPG(ctx context.Context, tx *ent.Tx, now time.Time, ids []int, ins []ContactInput) error {
	n := len(ins)
	var (
		kind, first, last, title, bio, langs, city, region, country = make([]string, n), make([]string, n), make([]string, n),
			make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		phones, stage, basis, consent, source = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		dnc                                   = make([]bool, n)
		owner, reach                          = make([]int64, n), make([]int64, n)
		sortLast, sortFirst                   = make([]string, n), make([]string, n)
	)
	for i, in := range ins {
		kind[i], first[i], last[i], title[i], bio[i] = in.Kind, in.FirstName, in.LastName, in.Title, in.Bio
		city[i], region[i], country[i] = in.City, in.Region, in.Country
		stage[i], basis[i], consent[i], source[i], dnc[i] = in.Stage, in.LawfulBasis, in.ConsentState, in.ConsentSource, in.DoNotContact
		b, err := json.Marshal(in.Languages)
		if err != nil {
			return fmt.Errorf("create contacts: languages: %w", err)
		}
		langs[i] = string(b)
		if in.Phones != nil {
			if b, err = json.Marshal(in.Phones); err != nil {
				return fmt.Errorf("create contacts: phones: %w", err)
			}
			phones[i] = string(b)
		}
		if in.OwnerID != nil {
			owner[i] = int64(*in.OwnerID)
		}
		reach[i] = reachOf(in)
		sortLast[i], sortFirst[i] = sortkey.Key(in.LastName), sortkey.Key(in.FirstName)
	}
	_, err := tx.ExecContext(ctx, insertContactsSQL, now, pq.Array(int64s(ids)), pq.Array(kind), pq.Array(first), pq.Array(last),
		pq.Array(title), pq.Array(bio), pq.Array(langs), pq.Array(city), pq.Array(region), pq.Array(country), pq.Array(phones),
		pq.Array(stage), pq.Array(basis), pq.Array(consent), pq.Array(source), pq.Array(dnc), pq.Array(owner), pq.Array(reach), pq.Array(sortLast), pq.Array(sortFirst))
	if err != nil {
		return fmt.Errorf("create contacts: %w", err)
	}
	return nil
}

func insertEmailsPG(ctx context.Context, tx *ent.Tx, ids []int, ins []ContactInput) error {
	var cid []int64
	var addr, typ []string
	var primary []bool
	for i, in := range ins {
		for j, e := range in.Emails {
			t := e.Type
			if t == "" {
				t = string(contactemail.DefaultType)
			}
			cid, addr, typ, primary = append(cid, int64(ids[i])), append(addr, e.Address), append(typ, t), append(primary, j == 0)
		}
	}
	if len(cid) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO contact_emails (contact_id, address, type, "primary")
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bool[])`,
		pq.Array(cid), pq.Array(addr), pq.Array(typ), pq.Array(primary))
	if err != nil {
		return fmt.Errorf("save e-mails: %w", err)
	}
	return nil
}

func insertChannelsPG(ctx context.Context, tx *ent.Tx, now time.Time, ids []int, ins []ContactInput) error {
	var cid, followers []int64
	var platform, handle, url []string
	for i, in := range ins {
		for _, c := range in.Channels {
			cid, platform, handle = append(cid, int64(ids[i])), append(platform, c.Platform), append(handle, c.Handle)
			url, followers = append(url, ProfileURL(c.Platform, c.Handle)), append(followers, c.Followers)
		}
	}
	if len(cid) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO social_profiles (created_at, updated_at, contact_id, platform, handle, url, followers)
		SELECT $1, $1, u.* FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[]) AS u`,
		now, pq.Array(cid), pq.Array(platform), pq.Array(handle), pq.Array(url), pq.Array(followers))
	if err != nil {
		return fmt.Errorf("save channels: %w", err)
	}
	return nil
}

func insertEmploymentsPG(ctx context.Context, tx *ent.Tx, ids []int, ins []ContactInput, beforeCreate func() error) error {
	var names []string
	for _, in := range ins {
		for _, o := range in.Outlets {
			names = append(names, o.Outlet)
		}
	}
	if len(names) == 0 {
		return nil
	}
	outletIDs, err := outletIDsByName(ctx, tx, names, beforeCreate)
	if err != nil {
		return err
	}
	var cid, oid []int64
	var role []string
	for i, in := range ins {
		for _, o := range in.Outlets {
			cid, oid, role = append(cid, int64(ids[i])), append(oid, int64(outletIDs[strings.ToLower(o.Outlet)])), append(role, o.Role)
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO employments (contact_id, outlet_id, role)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])`, pq.Array(cid), pq.Array(oid), pq.Array(role))
	if err != nil {
		return fmt.Errorf("save outlets: %w", err)
	}
	return nil
}

// insertLabelsPG links topics and tags (creating the missing names) with one
// INSERT per join table; a name given twice in two spellings links once.
func insertLabelsPG(ctx context.Context, tx *ent.Tx, ids []int, ins []ContactInput, beforeCreate func() error) error {
	var topics, tags []string
	for _, in := range ins {
		topics, tags = append(topics, in.Topics...), append(tags, in.Tags...)
	}
	link := func(names []string, isTopic bool, table, col string) error {
		if len(names) == 0 {
			return nil
		}
		byName, err := labelIDs(ctx, tx, names, isTopic, beforeCreate)
		if err != nil {
			return err
		}
		var cid, lid []int64
		for i, in := range ins {
			list := in.Tags
			if isTopic {
				list = in.Topics
			}
			seen := map[int]bool{}
			for _, t := range list {
				id := byName[strings.ToLower(t)]
				if !seen[id] {
					seen[id] = true
					cid, lid = append(cid, int64(ids[i])), append(lid, int64(id))
				}
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO `+table+` (contact_id, `+col+`) SELECT * FROM unnest($1::bigint[], $2::bigint[])`,
			pq.Array(cid), pq.Array(lid))
		if err != nil {
			return fmt.Errorf("save %s: %w", table, err)
		}
		return nil
	}
	if err := link(topics, true, "contact_topics", "topic_id"); err != nil {
		return err
	}
	return link(tags, false, "contact_tags", "tag_id")
}

// auditCreatedPG writes one audit event per new contact, as auditCreated does.
func auditCreatedPG(ctx context.Context, tx *ent.Tx, now time.Time, ids []int, summaries []string) error {
	a := ActorFrom(ctx)
	sums := make([]string, len(ids))
	for i := range ids {
		sums[i] = Truncate(summaries[i], 300)
	}
	var actor any // NULL for the system
	name := ""
	if a.UserID != 0 {
		actor, name = a.UserID, a.Name
	}
	for _, v := range []struct {
		f func(string) error
		s string
	}{{auditevent.ActorNameValidator, name}, {auditevent.RequestIDValidator, a.RequestID}, {auditevent.IPValidator, a.IP}} {
		if err := v.f(v.s); err != nil {
			return fmt.Errorf("audit created contacts: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_events (at, actor_id, actor_name, action, entity, entity_id, summary, request_id, ip)
		SELECT $1, $2, $3, $4, $5, u.id, u.summary, $6, $7 FROM unnest($8::bigint[], $9::text[]) AS u(id, summary)`,
		now, actor, name, ActionCreate, EntityContact, a.RequestID, a.IP, pq.Array(int64s(ids)), pq.Array(sums))
	if err != nil {
		return fmt.Errorf("audit created contacts: %w", err)
	}
	return nil
}

// recordChangesPG does for the new contacts what the outbox hook of db.WithTx
// does for writes through ent: one change row each, and a NOTIFY delivered
// when (and only if) the transaction commits.
func recordChangesPG(ctx context.Context, tx *ent.Tx, now time.Time, ids []int) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO changes (contact_id, created_at) SELECT unnest($1::bigint[]), $2`,
		pq.Array(int64s(ids)), now); err != nil {
		return fmt.Errorf("record search changes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "SELECT pg_notify($1, '')", db.ChangeChannel); err != nil {
		return fmt.Errorf("notify search changes: %w", err)
	}
	return nil
}
