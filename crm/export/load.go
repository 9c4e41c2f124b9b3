// Package export writes contacts in the formats campaigns need (CSV, Excel
// for German locales, XLSX, vCard 4.0, Mailchimp and listmonk CSV),
// streaming: contacts are loaded in chunks with a few set-based queries each,
// so memory does not grow with the number of contacts.
package export

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"
	"golang.org/x/sync/errgroup"
)

// Row is one contact with everything a column can show.
type Row struct {
	ID                               int
	Kind, FirstName, LastName, Title string
	City, Region, Country            string
	Stage, LawfulBasis, ConsentState string
	Owner                            string
	Health                           int
	Reach                            int64
	DoNotContact                     bool
	ConsentAt, LastInteractionAt     *time.Time
	Emails, Phones, Topics, Tags     []string
	Jobs                             []Job
	Channels                         []Channel
}

// Job is a role at an outlet.
type Job struct{ Outlet, Role string }

// Outlets lists the jobs as "Outlet (Role)", the export's outlet cell.
func (r *Row) Outlets() []string {
	out := make([]string, len(r.Jobs))
	for i, j := range r.Jobs {
		out[i] = j.Outlet
		if j.Role != "" {
			out[i] += " (" + j.Role + ")"
		}
	}
	return out
}

// Channel is a social channel of a row.
type Channel struct {
	Platform, Handle string
	Followers        int64
}

// Loader reads rows for lists of contact ids from the database.
type Loader struct {
	DB      *sql.DB
	Dialect string
}

// memberClause restricts col to the ids passed as the first argument: one
// array parameter on PostgreSQL, a JSON array on SQLite, so a chunk of
// thousands of ids is one bound value.
func (l Loader) memberClause(col string) string {
	if l.Dialect == dialect.Postgres {
		return col + " = ANY($1::bigint[])"
	}
	return col + " IN (SELECT value FROM json_each($1))"
}

func (l Loader) idsArg(ids []int) any {
	if l.Dialect == dialect.Postgres {
		return pq.Array(ids)
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

// Load returns the rows of ids, in the order of ids; ids that no longer
// exist are skipped. Satellite tables are read concurrently.
func (l Loader) Load(ctx context.Context, ids []int) ([]*Row, error) {
	rows := make(map[int]*Row, len(ids))
	if err := l.contacts(ctx, ids, rows); err != nil {
		return nil, err
	}
	var (
		emails, topics, tags = map[int][]string{}, map[int][]string{}, map[int][]string{}
		jobs                 = map[int][]Job{}
		channels             = map[int][]Channel{}
	)
	g, gctx := errgroup.WithContext(ctx)
	strs := func(q string, into map[int][]string) func() error {
		return func() error { return l.strings(gctx, q, ids, into) }
	}
	g.Go(strs(`SELECT contact_id, address FROM contact_emails WHERE `+l.memberClause("contact_id")+` ORDER BY contact_id, "primary" DESC, id`, emails))
	g.Go(func() error { return l.jobs(gctx, ids, jobs) })
	g.Go(strs(`SELECT x.contact_id, t.name FROM contact_topics x JOIN topics t ON t.id = x.topic_id WHERE `+l.memberClause("x.contact_id")+` ORDER BY x.contact_id, t.name`, topics))
	g.Go(strs(`SELECT x.contact_id, t.name FROM contact_tags x JOIN tags t ON t.id = x.tag_id WHERE `+l.memberClause("x.contact_id")+` ORDER BY x.contact_id, t.name`, tags))
	g.Go(func() error { return l.channels(gctx, ids, channels) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]*Row, 0, len(ids))
	for _, id := range ids {
		r, ok := rows[id]
		if !ok {
			continue
		}
		r.Emails, r.Jobs, r.Topics, r.Tags, r.Channels = emails[id], jobs[id], topics[id], tags[id], channels[id]
		out = append(out, r)
	}
	return out, nil
}

func (l Loader) contacts(ctx context.Context, ids []int, into map[int]*Row) error {
	q := `SELECT c.id, c.kind, c.first_name, c.last_name, c.title, c.city, c.region, c.country, c.stage,
		c.lawful_basis, c.consent_state, COALESCE(u.name, ''), c.health, c.reach, c.do_not_contact,
		c.consent_at, c.last_interaction_at, c.phones
		FROM contacts c LEFT JOIN users u ON u.id = c.owner_id WHERE ` + l.memberClause("c.id")
	rs, err := l.DB.QueryContext(ctx, q, l.idsArg(ids))
	if err != nil {
		return fmt.Errorf("export: load contacts: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		r := &Row{}
		var consentAt, lastAt sql.NullTime
		var phones sql.NullString
		if err := rs.Scan(&r.ID, &r.Kind, &r.FirstName, &r.LastName, &r.Title, &r.City, &r.Region, &r.Country,
			&r.Stage, &r.LawfulBasis, &r.ConsentState, &r.Owner, &r.Health, &r.Reach, &r.DoNotContact,
			&consentAt, &lastAt, &phones); err != nil {
			return fmt.Errorf("export: scan contact: %w", err)
		}
		if consentAt.Valid {
			r.ConsentAt = &consentAt.Time
		}
		if lastAt.Valid {
			r.LastInteractionAt = &lastAt.Time
		}
		r.Phones = phoneNumbers(phones.String)
		into[r.ID] = r
	}
	return rs.Err()
}

// phoneNumbers reads the numbers of the contacts.phones JSON column.
func phoneNumbers(js string) []string {
	if js == "" || js == "null" {
		return nil
	}
	var ps []struct {
		Number string `json:"number"`
	}
	if json.Unmarshal([]byte(js), &ps) != nil {
		return nil
	}
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if p.Number = strings.TrimSpace(p.Number); p.Number != "" {
			out = append(out, p.Number)
		}
	}
	return out
}

func (l Loader) strings(ctx context.Context, q string, ids []int, into map[int][]string) error {
	rs, err := l.DB.QueryContext(ctx, q, l.idsArg(ids))
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id int
		var s string
		if err := rs.Scan(&id, &s); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		into[id] = append(into[id], s)
	}
	return rs.Err()
}

func (l Loader) channels(ctx context.Context, ids []int, into map[int][]Channel) error {
	rs, err := l.DB.QueryContext(ctx, `SELECT contact_id, platform, handle, followers FROM social_profiles WHERE `+
		l.memberClause("contact_id")+` ORDER BY contact_id, followers DESC`, l.idsArg(ids))
	if err != nil {
		return fmt.Errorf("export: channels: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id int
		var ch Channel
		if err := rs.Scan(&id, &ch.Platform, &ch.Handle, &ch.Followers); err != nil {
			return fmt.Errorf("export: channels: %w", err)
		}
		into[id] = append(into[id], ch)
	}
	return rs.Err()
}

func (l Loader) jobs(ctx context.Context, ids []int, into map[int][]Job) error {
	rs, err := l.DB.QueryContext(ctx, `SELECT m.contact_id, o.name, m.role FROM employments m JOIN outlets o ON o.id = m.outlet_id WHERE `+
		l.memberClause("m.contact_id")+` ORDER BY m.contact_id, o.name, m.id`, l.idsArg(ids))
	if err != nil {
		return fmt.Errorf("export: outlets: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id int
		var j Job
		if err := rs.Scan(&id, &j.Outlet, &j.Role); err != nil {
			return fmt.Errorf("export: outlets: %w", err)
		}
		into[id] = append(into[id], j)
	}
	return rs.Err()
}
