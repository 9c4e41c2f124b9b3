package importing

import (
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/ent/schema"
)

// parseCoverageDate reads the dates monitoring exports write: ISO dates and
// times, and German day.month.year.
func parseCoverageDate(v string) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, "02.01.2006", "2.1.2006", "02.01.06", time.RFC3339, "2006-01-02 15:04:05",
		"2006-01-02 15:04", "2006-01-02T15:04:05", "02.01.2006 15:04", "2.1.2006 15:04"} {
		if t, err := time.Parse(layout, v); err == nil {
			if !strings.Contains(layout, "15") {
				t = t.Add(12 * time.Hour) // a day without a time: noon, as the form does
			}
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// coverageKinds reads the kinds as monitoring tools and people write them.
var coverageKinds = map[string]string{
	"artikel": "article", "online": "article", "print": "article", "presse": "article", "news": "article",
	"tv": "broadcast", "radio": "broadcast", "fernsehen": "broadcast", "rundfunk": "broadcast", "hörfunk": "broadcast",
	"blog": "blog_post", "blogbeitrag": "blog_post", "blog post": "blog_post",
	"social": "social_post", "social media": "social_post", "post": "social_post",
	"empfehlung": "advocate_recommendation",
}

func coverageKind(v string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(v))
	for _, s := range schema.CoverageKinds {
		if k == s || k == strings.ReplaceAll(s, "_", " ") {
			return s, true
		}
	}
	s, ok := coverageKinds[k]
	return s, ok
}

func coverageSentiment(v string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "positive", "positiv", "+", "pos":
		return "positive", true
	case "neutral", "0", "neu":
		return "neutral", true
	case "negative", "negativ", "-", "neg":
		return "negative", true
	}
	return "", false
}

// Rejected is the rows of p that are not imported (errors and duplicates)
// as a table: the row's number, its problems (in words that problem gives)
// and the file's own cells, to correct and import again. The export writes
// it with formula neutralisation.
func (p *CoveragePlan) Rejected(words func(CoverageProblem) string) export.Table {
	t := export.Table{Name: "Rejected", Header: append([]string{"Row", "Problem"}, p.Header...)}
	for _, r := range p.Rows {
		if r.Status == CoverageNew {
			continue
		}
		var ps []string
		for _, pr := range r.Problems {
			ps = append(ps, words(pr))
		}
		row := append([]string{strconv.Itoa(r.Row), strings.Join(ps, " ")}, r.Cells...)
		for len(row) < len(t.Header) {
			row = append(row, "")
		}
		t.Rows = append(t.Rows, row[:len(t.Header)])
	}
	return t
}
