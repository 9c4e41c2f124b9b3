package handlers

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/views/components"
	"github.com/rapport-crm/rapport/views/pages"
)

// timelineFilter reads a contact timeline's filter from the URL: t_type,
// t_author (a user id), t_from and t_to (dates, both included) and t_q
// (words in the subject or the note). Values it cannot read are ignored.
func timelineFilter(q url.Values) (crm.TimelineFilter, url.Values) {
	var f crm.TimelineFilter
	kept := url.Values{}
	if t := q.Get("t_type"); slices.Contains(schema.InteractionTypes, t) {
		f.Type = t
		kept.Set("t_type", t)
	}
	if n, err := strconv.Atoi(q.Get("t_author")); err == nil && n > 0 {
		f.AuthorID = n
		kept.Set("t_author", q.Get("t_author"))
	}
	if d, err := time.ParseInLocation(time.DateOnly, q.Get("t_from"), time.Local); err == nil {
		f.From = &d
		kept.Set("t_from", q.Get("t_from"))
	}
	if d, err := time.ParseInLocation(time.DateOnly, q.Get("t_to"), time.Local); err == nil {
		end := d.AddDate(0, 0, 1)
		f.To = &end
		kept.Set("t_to", q.Get("t_to"))
	}
	if t := strings.TrimSpace(q.Get("t_q")); t != "" && utf8.RuneCountInString(t) <= 200 && len(strings.Fields(t)) <= 10 {
		f.Text = t
		kept.Set("t_q", t)
	}
	return f, kept
}

// timelineView is how c's user sees a timeline filtered by kept, with
// authors to filter by.
func timelineView(c echo.Context, kept url.Values, authors []crm.CardUser) pages.TimelineView {
	v := pages.TimelineView{Filter: kept}
	if u := currentUser(c); u != nil {
		v.UserID, v.Manager = u.UserID, manager(u)
	}
	v.Authors = make([]components.Option, len(authors))
	for i, u := range authors {
		v.Authors[i] = components.Option{Value: strconv.Itoa(u.ID), Label: u.Name}
	}
	return v
}
