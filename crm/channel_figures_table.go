package crm

import (
	"strconv"
	"time"

	"github.com/rapport-crm/rapport/crm/export"
)

// FigureHeader is the weekly table's header, in the catalogue's words (the
// handler translates them for the download).
var FigureHeader = []string{"Week from", "Posts", "Followers", "Followers gained", "Engagement", "Impressions", "Mentions"}

// FigureTable is rep's weekly evaluation as a table for the XLSX download:
// header in words(FigureHeader), the week's first day as date writes it,
// the figures as numbers. A week without any follower reading leaves
// followers empty.
func FigureTable(rep *FigureReport, name string, words func(string) string, date func(time.Time) string) export.Table {
	t := export.Table{Name: name, Numeric: []bool{false, true, true, true, true, true, true}}
	for _, h := range FigureHeader {
		t.Header = append(t.Header, words(h))
	}
	n := strconv.FormatInt
	for _, w := range rep.Weeks {
		followers, gained := "", ""
		if w.HasFollowers {
			followers, gained = n(w.Followers, 10), n(w.Gained, 10)
		}
		t.Rows = append(t.Rows, []string{date(w.Start), strconv.Itoa(w.Posts), followers, gained,
			n(w.Engagement, 10), n(w.Impressions, 10), strconv.Itoa(w.Mentions)})
	}
	return t
}
