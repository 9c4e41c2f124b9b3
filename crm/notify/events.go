package notify

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/exportlog"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/locale"
)

// Paths the mails link to.
const (
	pathReview  = "/advocates/review"
	pathTasks   = "/tasks"
	pathAccount = "/account"
)

// text is a mail's subject and body in one locale.
type text struct {
	l             *locale.Locale
	Subject, Body string
}

// link is the absolute URL of path.
func (s *Service) link(path string) string { return s.conf().BaseURL + path }

// nominated tells the managers that a nomination waits for them.
func (m *maker) nominated(ctx context.Context, ev *ent.AuditEvent, id int) error {
	n, err := m.tx.Nomination.Query().Where(nomination.ID(id)).WithContact().Only(ctx)
	if ent.IsNotFound(err) || (err == nil && n.Status != nomination.StatusOpen) {
		return nil // gone, or decided already
	}
	if err != nil {
		return err
	}
	name := crm.DisplayName(n.Edges.Contact.FirstName, n.Edges.Contact.LastName)
	us, err := m.managers(ctx, ev.ActorID)
	if err != nil {
		return err
	}
	for _, u := range us {
		l := locale.Get(u.Locale)
		t := text{l: l, Subject: l.T("Nomination waiting: {{.Name}}", "Name", name)}
		what := l.T("{{.Actor}} proposes {{.Name}} for the advocate list.", "Actor", ev.ActorName, "Name", name)
		if n.Kind == nomination.KindDemote {
			what = l.T("{{.Actor}} proposes to take {{.Name}} off the advocate list.", "Actor", ev.ActorName, "Name", name)
		}
		t.Body = what + "\n\n" + l.T("Reason:") + " " + n.Reason + "\n\n" + l.T("Decide in the review queue:") + " " + m.s.link(pathReview)
		if err := m.add(ctx, u, NominationWaiting, auditKey(ev, u.ID), t); err != nil {
			return err
		}
	}
	return nil
}

// decided tells the nominator what a manager decided.
func (m *maker) decided(ctx context.Context, ev *ent.AuditEvent, id int) error {
	n, err := m.tx.Nomination.Query().Where(nomination.ID(id)).WithContact().Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if n.NominatedByID == nil || (ev.ActorID != nil && *ev.ActorID == *n.NominatedByID) {
		return nil
	}
	u, err := m.user(ctx, *n.NominatedByID)
	if err != nil || u == nil {
		return err
	}
	l := locale.Get(u.Locale)
	name := crm.DisplayName(n.Edges.Contact.FirstName, n.Edges.Contact.LastName)
	status := ""
	if c, ok := ev.Changes["status"]; ok {
		status = fmt.Sprint(c[1])
	}
	var decision string
	switch status {
	case string(nomination.StatusApproved):
		decision = l.T("approved")
	case string(nomination.StatusRejected):
		decision = l.T("rejected")
	default:
		decision = l.T("more information needed")
	}
	t := text{l: l, Subject: l.T("Your nomination of {{.Name}}: {{.Decision}}", "Name", name, "Decision", decision)}
	t.Body = l.T("{{.Actor}} decided on your nomination of {{.Name}}: {{.Decision}}.", "Actor", ev.ActorName, "Name", name, "Decision", decision)
	if c, ok := ev.Changes["comment"]; ok && c[1] != nil && fmt.Sprint(c[1]) != "" {
		t.Body += "\n\n" + l.T("Comment:") + " " + fmt.Sprint(c[1])
	}
	t.Body += "\n\n" + m.s.link(fmt.Sprintf("/contacts/%d", n.ContactID))
	return m.add(ctx, u, NominationDecided, auditKey(ev, u.ID), t)
}

// imported tells the uploader that an import finished.
func (m *maker) imported(ctx context.Context, ev *ent.AuditEvent, id int) error {
	j, err := m.tx.ImportJob.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil || j.UserID == nil {
		return err
	}
	u, err := m.user(ctx, *j.UserID)
	if err != nil || u == nil {
		return err
	}
	l := locale.Get(u.Locale)
	t := text{l: l, Subject: l.T("Import finished: {{.File}}", "File", j.Filename)}
	t.Body = l.T("Your import of {{.File}} finished: {{.Created}} created, {{.Updated}} updated, {{.Unchanged}} unchanged, {{.Errors}} errors.",
		"File", j.Filename, "Created", l.Number(int64(j.CreatedCount)), "Updated", l.Number(int64(j.UpdatedCount)),
		"Unchanged", l.Number(int64(j.UnchangedCount)), "Errors", l.Number(int64(j.ErrorCount))) +
		"\n\n" + m.s.link(fmt.Sprintf("/imports/%d", j.ID))
	return m.add(ctx, u, ImportFinished, auditKey(ev, u.ID), t)
}

// exported tells the exporter that an export is ready, or that a manager
// approved or rejected it.
func (m *maker) exported(ctx context.Context, ev *ent.AuditEvent, id int) error {
	x, err := m.tx.ExportLog.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil || x.UserID == nil {
		return err
	}
	status := string(exportlog.StatusDone)
	if ev.Action == crm.ActionUpdate {
		c, ok := ev.Changes["status"]
		if !ok {
			return nil
		}
		status = fmt.Sprint(c[1])
	} else if x.Status != exportlog.StatusDone {
		return nil // it waited (or waits) for approval: its decision is the news
	}
	u, err := m.user(ctx, *x.UserID)
	if err != nil || u == nil {
		return err
	}
	l := locale.Get(u.Locale)
	rows := l.Number(int64(x.RowCount))
	var t text
	switch status {
	case string(exportlog.StatusDone):
		t = text{l: l, Subject: l.T("Your export is ready"), Body: l.T("Your export of {{.Rows}} rows ({{.Format}}) is ready to download.", "Rows", rows, "Format", x.Format)}
	case string(exportlog.StatusApproved):
		t = text{l: l, Subject: l.T("Your export was approved"), Body: l.T("A manager approved your export of {{.Rows}} rows ({{.Format}}); it is ready to download.", "Rows", rows, "Format", x.Format)}
	case string(exportlog.StatusRejected):
		t = text{l: l, Subject: l.T("Your export was rejected"), Body: l.T("A manager rejected your export of {{.Rows}} rows ({{.Format}}).", "Rows", rows, "Format", x.Format)}
	default:
		return nil
	}
	t.Body += "\n\n" + m.s.link(fmt.Sprintf("/exports/%d", x.ID))
	return m.add(ctx, u, ExportFinished, auditKey(ev, u.ID), t)
}
