package crm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/ent/privacyrequest"
	"github.com/rapport-crm/rapport/ent/task"
	"github.com/rapport-crm/rapport/ent/user"
)

// AccessReport is everything Rapport holds about one person (Art. 15), as a
// list of sections: the JSON file and the printable page are both made
// from it.
type AccessReport struct {
	ContactID   int             `json:"contact_id"`
	Name        string          `json:"name"`
	GeneratedAt time.Time       `json:"generated_at"`
	Sections    []AccessSection `json:"sections"`
}

// AccessSection is one kind of data: a heading and rows of labelled values.
type AccessSection struct {
	Key   string      `json:"key"`
	Title string      `json:"title"`
	Rows  []AccessRow `json:"rows"`
}

// AccessRow is one record of a section: its fields in order.
type AccessRow []AccessField

// AccessField is one labelled value.
type AccessField struct{ Label, Value string }

// MarshalJSON writes the row as an object, fields in order.
func (r AccessRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range r {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.Label)
		v, _ := json.Marshal(f.Value)
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// accessSource reads one section of a person's report.
type accessSource func(ctx context.Context, a *accessReader, id int) (AccessSection, error)

// accessSources are the report's sections in order. A new kind of personal
// data is one more function here.
var accessSources = []accessSource{
	accessProfile, accessOutlets, accessInteractions, accessNominations, accessTasks,
	accessCampaigns, accessCoverage, accessConsent, accessAudit, accessExports, accessRequests,
}

type accessReader struct {
	client  *ent.Client
	dialect string
	stored  *StoredContact // the person as the writer holds it, read once
	owner   string         // the owner's name
}

// Access builds the access report of contact id.
func (p *Privacy) Access(ctx context.Context, id int) (*AccessReport, error) {
	st, err := p.writer.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	c := st.Row
	r := &AccessReport{ContactID: id, Name: DisplayName(c.FirstName, c.LastName), GeneratedAt: p.now().UTC()}
	a := &accessReader{client: p.client, dialect: p.dialect, stored: st}
	if c.OwnerID != nil {
		if a.owner, err = p.client.User.Query().Where(user.ID(*c.OwnerID)).Select(user.FieldName).String(ctx); err != nil && !ent.IsNotFound(err) {
			return nil, fmt.Errorf("access report: %w", err)
		}
	}
	for _, src := range accessSources {
		s, err := src(ctx, a, id)
		if err != nil {
			return nil, fmt.Errorf("access report: %w", err)
		}
		r.Sections = append(r.Sections, s)
	}
	return r, nil
}

func field(label, value string) AccessField { return AccessField{Label: label, Value: value} }

func timeText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func accessProfile(_ context.Context, a *accessReader, _ int) (AccessSection, error) {
	c, in := a.stored.Row, a.stored.Input
	row := AccessRow{field("Kind", string(c.Kind)), field("First name", c.FirstName), field("Last name", c.LastName),
		field("Title", c.Title), field("Bio", c.Bio), field("Languages", strings.Join(c.Languages, ", ")),
		field("City", c.City), field("Region", c.Region), field("Country", c.Country), field("Stage", string(c.Stage)),
		field("Owner", a.owner), field("Lawful basis", string(c.LawfulBasis)), field("Consent", string(c.ConsentState)),
		field("Consent date", timeText(c.ConsentAt)), field("Consent source", c.ConsentSource),
		field("Do not contact", strconv.FormatBool(c.DoNotContact)), field("Told we hold their data", timeText(c.NotifiedAt)),
		field("Created", timeText(&c.CreatedAt)), field("Last interaction", timeText(c.LastInteractionAt))}
	for _, e := range in.Emails {
		row = append(row, field("E-mail ("+emailType(e.Type)+")", e.Address))
	}
	for _, p := range c.Phones {
		row = append(row, field("Phone ("+p.Label+")", p.Number))
	}
	for _, ch := range in.Channels {
		row = append(row, field("Channel "+ch.Platform, ch.Handle+" ("+strconv.FormatInt(ch.Followers, 10)+" followers)"))
	}
	for _, t := range in.Topics {
		row = append(row, field("Topic", t))
	}
	for _, t := range in.Tags {
		row = append(row, field("Tag", t))
	}
	return AccessSection{Key: "contact", Title: "Fields and channels", Rows: []AccessRow{row}}, nil
}

func accessOutlets(_ context.Context, a *accessReader, _ int) (AccessSection, error) {
	s := AccessSection{Key: "outlets", Title: "Outlets"}
	for _, o := range a.stored.Input.Outlets {
		s.Rows = append(s.Rows, AccessRow{field("Outlet", o.Outlet), field("Role", o.Role)})
	}
	return s, nil
}

// accessInteractions lists the person's interactions, other participants
// redacted (only how many there were): one query.
func accessInteractions(ctx context.Context, a *accessReader, id int) (AccessSection, error) {
	s := AccessSection{Key: "interactions", Title: "Interactions (other participants redacted)"}
	ph := "?"
	if a.dialect == dialect.Postgres {
		ph = "$1"
	}
	q := `SELECT i.id, i.type, i.direction, i.occurred_at, i.subject, i.body, i.sentiment,
		(SELECT COUNT(*) FROM participations o WHERE o.interaction_id = i.id AND o.contact_id <> p.contact_id)
		FROM participations p JOIN interactions i ON i.id = p.interaction_id
		WHERE p.contact_id = ` + ph + ` ORDER BY p.occurred_at DESC, i.id DESC`
	err := scanRowsArgs(ctx, a.client, q, []any{id}, func(scan func(...any) error) error {
		var iid, others int
		var typ, dir, subject, body, sentiment string
		var at time.Time
		if err := scan(&iid, &typ, &dir, &at, &subject, &body, &sentiment, &others); err != nil {
			return err
		}
		s.Rows = append(s.Rows, AccessRow{field("ID", strconv.Itoa(iid)), field("Type", typ), field("Direction", dir),
			field("When", at.UTC().Format(time.RFC3339)), field("Subject", subject), field("Notes", body),
			field("Sentiment", sentiment), field("Other participants", strconv.Itoa(others)+" (redacted)")})
		return nil
	})
	return s, err
}

func accessNominations(ctx context.Context, a *accessReader, id int) (AccessSection, error) {
	s := AccessSection{Key: "nominations", Title: "Nominations"}
	ns, err := a.client.Nomination.Query().Where(nomination.ContactID(id)).WithDecisions().Order(nomination.ByCreatedAt()).All(ctx)
	if err != nil {
		return s, err
	}
	for _, n := range ns {
		row := AccessRow{field("Kind", string(n.Kind)), field("Status", string(n.Status)), field("Reason", n.Reason),
			field("Links", strings.Join(n.EvidenceLinks, " ")), field("Created", timeText(&n.CreatedAt))}
		for _, d := range n.Edges.Decisions {
			row = append(row, field("Decision", fmt.Sprintf("%s %s", d.Decision, d.Comment)))
		}
		s.Rows = append(s.Rows, row)
	}
	return s, nil
}

func accessTasks(ctx context.Context, a *accessReader, id int) (AccessSection, error) {
	s := AccessSection{Key: "tasks", Title: "Follow-ups"}
	ts, err := a.client.Task.Query().Where(task.ContactID(id)).Order(task.ByDueAt()).All(ctx)
	if err != nil {
		return s, err
	}
	for _, t := range ts {
		s.Rows = append(s.Rows, AccessRow{field("Title", t.Title), field("Due", timeText(&t.DueAt)), field("Done", timeText(t.DoneAt))})
	}
	return s, nil
}

func accessConsent(ctx context.Context, a *accessReader, id int) (AccessSection, error) {
	s := AccessSection{Key: "consent", Title: "Consent and lawful basis history"}
	evs, err := ConsentHistory(ctx, a.client, id)
	if err != nil {
		return s, err
	}
	for _, e := range evs {
		s.Rows = append(s.Rows, AccessRow{field("When", timeText(&e.At)), field("Changed", strings.Join(e.Changed, ", ")),
			field("Lawful basis", string(e.LawfulBasis)), field("Consent", string(e.ConsentState)),
			field("Do not contact", strconv.FormatBool(e.DoNotContact)), field("Source", e.Source), field("Evidence", e.Evidence),
			field("Wording version", e.WordingVersion), field("Reason", e.Reason), field("Told on", timeText(e.NoticeAt)),
			field("Told by", e.NoticeMethod), field("Recorded by", e.ActorName)})
	}
	return s, nil
}

func accessAudit(ctx context.Context, a *accessReader, id int) (AccessSection, error) {
	s := AccessSection{Key: "audit", Title: "Audit events about them"}
	evs, err := a.client.AuditEvent.Query().Where(auditevent.Entity(EntityContact), auditevent.EntityID(id)).
		Order(auditevent.ByAt(), auditevent.ByID()).Limit(10000).All(ctx)
	if err != nil {
		return s, err
	}
	for _, e := range evs {
		ch, _ := json.Marshal(e.Changes)
		args, _ := json.Marshal(e.MessageArgs)
		if e.MessageArgs == nil {
			args = nil
		}
		s.Rows = append(s.Rows, AccessRow{field("When", timeText(&e.At)), field("Action", e.Action), field("By", e.ActorName),
			field("Summary", AuditText(ctx, e)), field("Message", e.Message), field("Message arguments", string(args)),
			field("Changes", string(ch))})
	}
	return s, nil
}

// accessExports lists every export that included the person, from the
// export logs' frozen member ids.
func accessExports(ctx context.Context, a *accessReader, id int) (AccessSection, error) {
	s := AccessSection{Key: "exports", Title: "Exports that included them"}
	q := `SELECT e.id, e.created_at, e.purpose, e.format, e.status, COALESCE(u.name, '') FROM export_logs e
		LEFT JOIN users u ON u.id = e.user_id
		WHERE EXISTS (SELECT 1 FROM json_each(e.member_ids) WHERE value = ?) ORDER BY e.created_at, e.id`
	if a.dialect == dialect.Postgres {
		q = `SELECT e.id, e.created_at, e.purpose, e.format, e.status, COALESCE(u.name, '') FROM export_logs e
		LEFT JOIN users u ON u.id = e.user_id
		WHERE e.member_ids @> jsonb_build_array($1::bigint) ORDER BY e.created_at, e.id`
	}
	err := scanRowsArgs(ctx, a.client, q, []any{id}, func(scan func(...any) error) error {
		var eid int
		var at time.Time
		var purpose, format, status, who string
		if err := scan(&eid, &at, &purpose, &format, &status, &who); err != nil {
			return err
		}
		s.Rows = append(s.Rows, AccessRow{field("Export", strconv.Itoa(eid)), field("Date", at.UTC().Format(time.RFC3339)),
			field("Purpose", purpose), field("By", who), field("Format", format), field("Status", status)})
		return nil
	})
	return s, err
}

func accessRequests(ctx context.Context, a *accessReader, id int) (AccessSection, error) {
	s := AccessSection{Key: "requests", Title: "Their requests"}
	rs, err := a.client.PrivacyRequest.Query().Where(privacyrequest.ContactID(id)).All(ctx)
	if err != nil {
		return s, err
	}
	for _, r := range rs {
		s.Rows = append(s.Rows, AccessRow{field("Kind", string(r.Kind)), field("Requested", timeText(&r.RequestedAt)),
			field("Due", timeText(&r.DueAt)), field("Status", string(r.Status)), field("Answered", timeText(r.DoneAt))})
	}
	return s, nil
}
