package crm

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/task"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/locale"
)

// A personal calendar feed: an iCalendar URL with a secret token, of the
// user's open follow-ups and the dates of the campaigns they own, for
// Outlook, Google Calendar and Apple Calendar (which subscribe without
// signing in, hence the token in the URL). The token is stored as it is so
// that /account can show the URL again; regenerating or revoking it makes
// the old URL answer 404.

// calendarPast is how far back the feed reaches for campaigns that ended.
const calendarPast = 90 * 24 * time.Hour

// NewCalendarToken gives user id a new calendar token (the old URL stops working).
func NewCalendarToken(ctx context.Context, client *ent.Client, id int) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("calendar token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	if err := client.User.UpdateOneID(id).SetCalendarToken(token).Exec(ctx); err != nil {
		return "", fmt.Errorf("calendar token: %w", err)
	}
	return token, nil
}

// RevokeCalendarToken ends user id's calendar feed.
func RevokeCalendarToken(ctx context.Context, client *ent.Client, id int) error {
	if err := client.User.UpdateOneID(id).ClearCalendarToken().Exec(ctx); err != nil {
		return fmt.Errorf("revoke calendar token: %w", err)
	}
	return nil
}

// CalendarToken is user id's calendar token, "" when there is none.
func CalendarToken(ctx context.Context, client *ent.Client, id int) (string, error) {
	u, err := client.User.Get(ctx, id)
	if err != nil {
		return "", fmt.Errorf("calendar token: %w", err)
	}
	if u.CalendarToken == nil {
		return "", nil
	}
	return *u.CalendarToken, nil
}

// CalendarFeed is the iCalendar text of the feed whose token is token, with
// links starting at baseURL; ENotFound for a token that is not (or no
// longer) one, or a deactivated user's.
func CalendarFeed(ctx context.Context, client *ent.Client, token, baseURL string, now time.Time) (string, error) {
	if len(token) < 20 {
		return "", Errorf(ENotFound, "No such calendar.")
	}
	u, err := client.User.Query().Where(user.CalendarToken(token), user.Active(true)).Only(ctx)
	if ent.IsNotFound(err) {
		return "", Errorf(ENotFound, "No such calendar.")
	}
	if err != nil {
		return "", fmt.Errorf("calendar: %w", err)
	}
	l := locale.Get(u.Locale)
	tasks, err := client.Task.Query().Where(task.AssigneeID(u.ID), task.DoneAtIsNil()).Order(task.ByDueAt(), task.ByID()).Limit(2000).
		WithContact(func(q *ent.ContactQuery) { q.Select(contact.FieldFirstName, contact.FieldLastName) }).All(ctx)
	if err != nil {
		return "", fmt.Errorf("calendar follow-ups: %w", err)
	}
	camps, err := client.Campaign.Query().Where(campaign.OwnerID(u.ID), campaign.Or(campaign.EndsAtIsNil(),
		campaign.EndsAtGT(now.Add(-calendarPast)))).Order(campaign.ByStartsAt()).Limit(500).All(ctx)
	if err != nil {
		return "", fmt.Errorf("calendar campaigns: %w", err)
	}
	cal := ics.NewCalendarFor("Rapport")
	cal.SetProductId("-//Rapport//Rapport CRM//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	name := l.T("Rapport: {{.Name}}", "Name", u.Name)
	cal.SetXWRCalName(name)
	cal.SetName(name)
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	stamp := now.UTC()
	for _, t := range tasks {
		e := cal.AddEvent(fmt.Sprintf("task-%d@rapport", t.ID))
		e.SetDtStampTime(stamp)
		day := t.DueAt.UTC()
		e.SetAllDayStartAt(day)
		e.SetAllDayEndAt(day.AddDate(0, 0, 1))
		summary := t.Title
		if c := t.Edges.Contact; c != nil {
			summary += " – " + DisplayName(c.FirstName, c.LastName)
		}
		e.SetSummary(summary)
		e.SetURL(fmt.Sprintf("%s/contacts/%d", baseURL, t.ContactID))
		e.SetDescription(l.T("Follow-up in Rapport") + "\n" + fmt.Sprintf("%s/contacts/%d", baseURL, t.ContactID))
	}
	for _, c := range camps {
		e := cal.AddEvent(fmt.Sprintf("campaign-%d@rapport", c.ID))
		e.SetDtStampTime(stamp)
		e.SetAllDayStartAt(c.StartsAt.UTC())
		end := c.StartsAt.UTC()
		if c.EndsAt != nil && c.EndsAt.After(end) {
			end = c.EndsAt.UTC()
		}
		e.SetAllDayEndAt(end.AddDate(0, 0, 1))
		e.SetSummary(l.T("Campaign: {{.Name}}", "Name", c.Name))
		e.SetURL(fmt.Sprintf("%s/campaigns/%d", baseURL, c.ID))
		if c.EmbargoUntil != nil {
			x := cal.AddEvent(fmt.Sprintf("embargo-%d@rapport", c.ID))
			x.SetDtStampTime(stamp)
			x.SetStartAt(*c.EmbargoUntil)
			x.SetEndAt(c.EmbargoUntil.Add(15 * time.Minute))
			x.SetSummary(l.T("Embargo lifts: {{.Name}}", "Name", c.Name))
			x.SetURL(fmt.Sprintf("%s/campaigns/%d", baseURL, c.ID))
		}
	}
	return cal.Serialize(ics.WithNewLineWindows), nil
}
