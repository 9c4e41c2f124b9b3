package crm

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
)

// stored is a contact as the database holds it: its row, its relations with
// their row ids, and the ContactInput that would save it unchanged.
type stored struct {
	c        *ent.Contact
	in       ContactInput
	emails   []storedEmail
	channels []storedChannel
	jobs     []storedJob
	topics   []storedLabel
	tags     []storedLabel
}

type storedEmail struct {
	id           int
	address, typ string
	primary      bool
}

type storedChannel struct {
	id               int
	platform, handle string
	followers        int64
	feed             string   // the channel's feed address, "" for none
	rate             *float64 // its engagement rate, nil for none
}

type storedJob struct {
	id, outletID int
	outlet, role string
}

type storedLabel struct {
	id   int
	name string
}

// loadChunk bounds the contacts of one load: two statements per chunk; on
// PostgreSQL, where the ids are one array argument, loadChunkPG.
const (
	loadChunk   = 1000
	loadChunkPG = 5000
)

// relationsSQL reads every relation of a set of contacts in one statement;
// %[1]s is the contact-id condition ("IN (SELECT value FROM json_each($1))"
// on SQLite, "= ANY($1)" on PostgreSQL), the same one parameter in each part.
const relationsSQL = `
SELECT 0, contact_id, id, address, type, CASE WHEN "primary" THEN 1 ELSE 0 END, CAST(NULL AS double precision) FROM contact_emails WHERE contact_id %[1]s
UNION ALL SELECT 1, contact_id, id, platform, handle, followers, engagement_rate FROM social_profiles WHERE contact_id %[1]s
UNION ALL SELECT 2, e.contact_id, e.id, o.name, e.role, e.outlet_id, NULL FROM employments e JOIN outlets o ON o.id = e.outlet_id WHERE e.contact_id %[1]s
UNION ALL SELECT 3, l.contact_id, l.topic_id, t.name, '', 0, NULL FROM contact_topics l JOIN topics t ON t.id = l.topic_id WHERE l.contact_id %[1]s
UNION ALL SELECT 4, l.contact_id, l.tag_id, t.name, '', 0, NULL FROM contact_tags l JOIN tags t ON t.id = l.tag_id WHERE l.contact_id %[1]s
UNION ALL SELECT 5, f.contact_id, f.social_profile_id, f.url, '', 0, NULL FROM feeds f WHERE f.social_profile_id IS NOT NULL AND f.contact_id %[1]s
ORDER BY 1, 2, 3`

// loadStored reads the contacts ids with all their relations: two statements
// per 1,000 contacts (5,000 on PostgreSQL), whatever the number of
// relations. Missing ids are left out of the map.
func loadStored(ctx context.Context, client *ent.Client, dia string, ids []int) (map[int]*stored, error) {
	out := make(map[int]*stored, len(ids))
	n := loadChunk
	if dia == dialect.Postgres {
		n = loadChunkPG
	}
	for chunk := range slices.Chunk(ids, n) {
		cs, err := client.Contact.Query().Where(idIn(contact.FieldID, chunk)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load contacts: %w", err)
		}
		if len(cs) == 0 {
			continue
		}
		for _, c := range cs {
			out[c.ID] = &stored{c: c}
		}
		if err := loadRelations(ctx, client, dia, chunk, out); err != nil {
			return nil, err
		}
	}
	for _, s := range out {
		s.in = s.input()
	}
	return out, nil
}

func loadRelations(ctx context.Context, client *ent.Client, dia string, ids []int, out map[int]*stored) error {
	var arg any
	cond := "IN (SELECT value FROM json_each($1))"
	if dia == dialect.Postgres {
		cond, arg = "= ANY($1::bigint[])", pq.Array(int64s(ids))
	} else {
		b, err := json.Marshal(ids)
		if err != nil {
			return fmt.Errorf("load relations: %w", err)
		}
		arg = string(b)
	}
	rows, err := client.QueryContext(ctx, fmt.Sprintf(relationsSQL, cond), arg)
	if err != nil {
		return fmt.Errorf("load relations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, cid, id int
		var a, b string
		var n int64
		var rate sql.NullFloat64
		if err := rows.Scan(&kind, &cid, &id, &a, &b, &n, &rate); err != nil {
			return fmt.Errorf("load relations: %w", err)
		}
		s := out[cid]
		if s == nil {
			continue
		}
		switch kind {
		case 0:
			s.emails = append(s.emails, storedEmail{id: id, address: a, typ: b, primary: n == 1})
		case 1:
			ch := storedChannel{id: id, platform: a, handle: b, followers: n}
			if rate.Valid {
				ch.rate = &rate.Float64
			}
			s.channels = append(s.channels, ch)
		case 2:
			s.jobs = append(s.jobs, storedJob{id: id, outletID: int(n), outlet: a, role: b})
		case 3:
			s.topics = append(s.topics, storedLabel{id: id, name: a})
		case 4:
			s.tags = append(s.tags, storedLabel{id: id, name: a})
		case 5: // a channel's feed: the channels came first
			for i := range s.channels {
				if s.channels[i].id == id {
					s.channels[i].feed = a
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load relations: %w", err)
	}
	return nil
}

// input is the ContactInput that would save s unchanged: e-mails primary
// first, every list in row order.
func (s *stored) input() ContactInput {
	c := s.c
	in := ContactInput{Kind: string(c.Kind), FirstName: c.FirstName, LastName: c.LastName, Title: c.Title, Bio: c.Bio,
		City: c.City, Region: c.Region, Country: c.Country, Languages: slices.Clone(c.Languages), Phones: slices.Clone(c.Phones),
		Stage: string(c.Stage), LawfulBasis: string(c.LawfulBasis), ConsentState: string(c.ConsentState),
		ConsentSource: c.ConsentSource, DoNotContact: c.DoNotContact, OwnerID: c.OwnerID, Version: c.Version,
		Custom: normalizeCustom(c.Custom)}
	slices.SortStableFunc(s.emails, func(a, b storedEmail) int {
		if a.primary != b.primary {
			if a.primary {
				return -1
			}
			return 1
		}
		return a.id - b.id
	})
	for _, e := range s.emails {
		in.Emails = append(in.Emails, EmailInput{Address: e.address, Type: e.typ})
	}
	for _, ch := range s.channels {
		in.Channels = append(in.Channels, ChannelInput{Platform: ch.platform, Handle: ch.handle, Followers: ch.followers, Feed: ch.feed,
			EngagementRate: ch.rate})
	}
	for _, j := range s.jobs {
		in.Outlets = append(in.Outlets, OutletRole{Outlet: j.outlet, Role: j.role})
	}
	for _, t := range s.topics {
		in.Topics = append(in.Topics, t.name)
	}
	for _, t := range s.tags {
		in.Tags = append(in.Tags, t.name)
	}
	return in
}

// LoadContactInputs reads contacts (with e-mails, channels, outlets, topics
// and tags) as the ContactInput that would save them unchanged, two
// statements per 1,000 contacts; missing ids are left out of the map.
// client may be a transaction's; nil means the writer's own.
func (w *ContactWriter) LoadContactInputs(ctx context.Context, client *ent.Client, ids []int) (map[int]ContactInput, error) {
	if client == nil {
		client = w.client
	}
	st, err := loadStored(ctx, client, w.dialect, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int]ContactInput, len(st))
	for id, s := range st {
		out[id] = s.in
	}
	return out, nil
}

// StoredContact is one contact as the writer holds it: its row and the
// ContactInput that would save it unchanged (what an edit form, the API's
// representation and a patch start from).
type StoredContact struct {
	Row   *ent.Contact
	Input ContactInput
}

// Load reads contact id with its e-mails, channels, outlets, topics and
// tags: two statements. A missing contact is ENotFound.
func (w *ContactWriter) Load(ctx context.Context, id int) (*StoredContact, error) {
	st, err := loadStored(ctx, w.client, w.dialect, []int{id})
	if err != nil {
		return nil, err
	}
	s := st[id]
	if s == nil {
		return nil, Errorf(ENotFound, "This contact does not exist (any more).")
	}
	return &StoredContact{Row: s.c, Input: s.in}, nil
}

// emailType is the stored type of an e-mail given as typ.
func emailType(typ string) string {
	if typ == "" {
		return string(contactemail.DefaultType)
	}
	return typ
}

// foldKey is the case-blind key of a name.
func foldKey(s string) string { return strings.ToLower(s) }
