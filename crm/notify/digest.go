package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/notificationposition"
	"github.com/rapport-crm/rapport/ent/task"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/locale"
)

// digestRows is how many follow-ups of each section a digest lists.
const digestRows = 25

// Digests makes the morning digests once a day, from DigestHour on in the
// digest's time zone; the day is recorded with compare-and-set (and each
// digest's key is unique), so two servers make each digest once.
func (s *Service) Digests(ctx context.Context) (int, error) {
	now := s.opt.Now().In(s.opt.Zone)
	if now.Hour() < s.opt.DigestHour {
		return 0, nil
	}
	day := now.Format(time.DateOnly)
	if err := s.loadKey(ctx); err != nil {
		return 0, err
	}
	made := 0
	err := db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		row, err := position(ctx, tx)
		if err != nil || row.DigestDay == day {
			return err
		}
		if made, err = s.MakeDigests(ctx, tx, day); err != nil {
			return err
		}
		moved, err := tx.NotificationPosition.Update().Where(notificationposition.ID(row.ID),
			notificationposition.DigestDay(row.DigestDay)).SetDigestDay(day).Save(ctx)
		if err == nil && moved != 1 {
			err = errRaced
		}
		return err
	})
	if errors.Is(err, errRaced) {
		return 0, nil
	}
	return made, err
}

// MakeDigests makes the digest of day (2006-01-02 in the digest's zone) for
// every active user who wants one and has open follow-ups due by that day's
// end: those due that day and those overdue, in two queries for all users.
func (s *Service) MakeDigests(ctx context.Context, tx *ent.Tx, day string) (int, error) {
	start, err := time.ParseInLocation(time.DateOnly, day, s.opt.Zone)
	if err != nil {
		return 0, fmt.Errorf("digest day: %w", err)
	}
	end := start.AddDate(0, 0, 1)
	users, err := tx.User.Query().Where(user.Active(true)).Order(user.ByID()).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("digest users: %w", err)
	}
	ids := make([]int, 0, len(users))
	for _, u := range users {
		if wants(u, Digest) {
			ids = append(ids, u.ID)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	tasks, err := tx.Task.Query().Where(task.DoneAtIsNil(), task.DueAtLT(end.UTC()), task.AssigneeIDIn(ids...)).
		Order(task.ByDueAt(), task.ByID()).
		WithContact(func(q *ent.ContactQuery) { q.Select(contact.FieldFirstName, contact.FieldLastName) }).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("digest follow-ups: %w", err)
	}
	byUser := map[int][]*ent.Task{}
	for _, t := range tasks {
		byUser[*t.AssigneeID] = append(byUser[*t.AssigneeID], t)
	}
	m := &maker{s: s, tx: tx, now: s.opt.Now().UTC(), users: map[int]*ent.User{}}
	for _, u := range users {
		ts := byUser[u.ID]
		if len(ts) == 0 {
			continue
		}
		if err := m.add(ctx, u, Digest, fmt.Sprintf("digest/%s/%d", day, u.ID), s.digestText(u, ts, start)); err != nil {
			return 0, err
		}
	}
	return len(m.creates), m.save(ctx)
}

// digestText is u's digest of ts (due before the end of day start), in u's language.
func (s *Service) digestText(u *ent.User, ts []*ent.Task, start time.Time) text {
	l := locale.Get(u.Locale)
	var overdue, today []*ent.Task
	for _, t := range ts {
		if t.DueAt.Before(start) {
			overdue = append(overdue, t)
		} else {
			today = append(today, t)
		}
	}
	var b strings.Builder
	b.WriteString(l.T("Good morning, {{.Name}}.", "Name", u.Name) + "\n")
	section := func(title string, ts []*ent.Task) {
		if len(ts) == 0 {
			return
		}
		b.WriteString("\n" + title + "\n")
		for _, t := range ts[:min(len(ts), digestRows)] {
			name := ""
			if c := t.Edges.Contact; c != nil {
				name = crm.DisplayName(c.FirstName, c.LastName)
			}
			fmt.Fprintf(&b, "- %s – %s (%s)\n", t.Title, name, l.Date(t.DueAt.In(s.opt.Zone)))
		}
		if len(ts) > digestRows {
			b.WriteString(l.T("… and {{.More}} more", "More", l.Number(int64(len(ts)-digestRows))) + "\n")
		}
	}
	section(l.T("Due today: {{.Count}}", "Count", l.Number(int64(len(today)))), today)
	section(l.T("Overdue: {{.Count}}", "Count", l.Number(int64(len(overdue)))), overdue)
	b.WriteString("\n" + l.T("Your follow-ups:") + " " + s.link(pathTasks))
	return text{l: l, Subject: l.T("Your follow-ups for {{.Date}}", "Date", l.Date(start)), Body: b.String()}
}
