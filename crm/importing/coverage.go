package importing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/ent/schema"
)

// Limits of a coverage import: it is read, checked and written in one
// request, so the file is small (a monitoring tool's export of a campaign).
const (
	MaxCoverageBytes = 512 << 10
	MaxCoverageRows  = 1000
)

// CoverageFields are the targets a column of a coverage file maps to, with
// the header spellings of monitoring exports, German and English.
var CoverageFields = []Field{
	{Key: "url", Label: "Web address (URL)", aliases: []string{"url", "link", "article url", "artikel-url", "artikel url", "web address", "webadresse", "permalink"}},
	{Key: "title", Label: "Title / headline", aliases: []string{"title", "titel", "headline", "überschrift", "schlagzeile", "article title"}},
	{Key: "outlet", Label: "Outlet", aliases: []string{"outlet", "medium", "publication", "publikation", "source", "quelle", "media", "medien", "zeitung"}},
	{Key: "outlet_type", Label: "Outlet type", aliases: []string{"outlet type", "media type", "medientyp", "mediengattung", "gattung"}},
	{Key: "published_at", Label: "Published on", aliases: []string{"date", "datum", "published", "published at", "publication date", "veröffentlicht", "veröffentlicht am", "erscheinungsdatum"}},
	{Key: "kind", Label: "Kind", aliases: []string{"kind", "art", "type", "typ", "format"}},
	{Key: "reach", Label: "Reach / views", aliases: []string{"reach", "reichweite", "audience", "views", "aufrufe", "circulation", "auflage", "visits"}},
	{Key: "sentiment", Label: "Sentiment", aliases: []string{"sentiment", "tonalität", "tonalitaet", "tone", "stimmung"}},
	{Key: "authors", Label: "Authors (names or e-mail addresses)", Multi: true, aliases: []string{"author", "authors", "autor", "autorin", "autoren", "journalist", "journalistin", "byline", "contact", "kontakt", "author email", "e-mail", "email"}},
}

var coverageAlias = func() map[string]string {
	m := map[string]string{}
	for _, f := range CoverageFields {
		for _, a := range append([]string{f.Key, f.Label}, f.aliases...) {
			if _, taken := m[headerKey(a)]; !taken {
				m[headerKey(a)] = f.Key
			}
		}
	}
	return m
}()

// GuessCoverage maps each column to a coverage field by its name; unknown
// columns are ignored (""), a single-value field goes to its first column.
func GuessCoverage(header []string) map[string]string {
	m := make(map[string]string, len(header))
	used := map[string]bool{}
	for _, h := range header {
		k := coverageAlias[headerKey(h)]
		if k != "" && (k == "authors" || !used[k]) {
			m[h], used[k] = k, true
		} else {
			m[h] = ""
		}
	}
	return m
}

// checkCoverageMapping: known fields, one column per single-value field, and
// a title and a date.
func checkCoverageMapping(header []string, m map[string]string) error {
	cols := map[string][]string{}
	for _, h := range header {
		k := m[h]
		if k == "" {
			continue
		}
		if !slices.ContainsFunc(CoverageFields, func(f Field) bool { return f.Key == k }) {
			return invalid("Column %q is mapped to an unknown field.", h)
		}
		cols[k] = append(cols[k], h)
	}
	for k, cs := range cols {
		if len(cs) > 1 && k != "authors" {
			return invalid("Several columns are mapped to a field that takes one value: %s. Map one of them, ignore the others.", strings.Join(cs, ", "))
		}
	}
	if len(cols["title"]) == 0 || len(cols["published_at"]) == 0 {
		return invalid("Map a column to the title and one to the publication date.")
	}
	return nil
}

// CoverageFile is a coverage file as read: its header and rows.
type CoverageFile struct {
	Header []string
	Rows   []Record
}

// ReadCoverage reads a CSV or XLSX coverage file with the import's reader
// (format, encoding and delimiter detected), at most MaxCoverageRows rows.
func ReadCoverage(name string, data []byte) (*CoverageFile, error) {
	if len(data) > MaxCoverageBytes {
		return nil, invalid("The file is larger than 512 KB. Split it and import the parts.") // MaxCoverageBytes
	}
	s, err := Detect(name, data)
	if err != nil {
		return nil, err
	}
	if s.Format == FormatVCard {
		return nil, invalid("This is a vCard file. A coverage file is CSV or XLSX, one piece per row.")
	}
	src, err := Open(name, data, Options{}, DefaultLimits)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	f := &CoverageFile{Header: src.Header()}
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read coverage file: %w", err)
		}
		if rec.Err == "" && blank(rec.Cells) {
			continue
		}
		if len(f.Rows) == MaxCoverageRows {
			return nil, invalid("The file has more than 1,000 rows. Split it and import the parts.") // MaxCoverageRows
		}
		rec.Cells = clone(rec.Cells)
		f.Rows = append(f.Rows, rec)
	}
}

// Statuses of a row of a coverage import.
const (
	CoverageNew       = "new"
	CoverageDuplicate = "duplicate"
	CoverageError     = "error"
)

// CoverageProblem is what a row's check found: Message is a fixed sentence
// (the pages translate it), Value the cell or row it is about.
type CoverageProblem struct{ Message, Value string }

// CoverageRow is one row of the file and what the import does with it.
type CoverageRow struct {
	Row      int
	Cells    []string // as the file has them
	Input    crm.CoverageInput
	Authors  []string // the authors' names, as found
	Status   string
	Problems []CoverageProblem // errors (Status error) or warnings
	badDate  bool              // the date's own problem is in Problems
}

// CoveragePlan is the dry run of a coverage file: every row and the counts.
type CoveragePlan struct {
	Header                  []string
	Mapping                 map[string]string
	Rows                    []CoverageRow
	New, Duplicates, Errors int
	Warnings                int // new rows with a warning
}

// PlanCoverage checks every row of f for campaign campaignID as mapping m
// says (nil: guessed) and finds the authors: nothing is written. A URL on
// record already, or met in an earlier row, is a duplicate and skipped.
func PlanCoverage(ctx context.Context, svc *crm.Campaigns, campaignID int, f *CoverageFile, m map[string]string) (*CoveragePlan, error) {
	if m == nil {
		m = GuessCoverage(f.Header)
	}
	if err := checkCoverageMapping(f.Header, m); err != nil {
		return nil, err
	}
	c, err := svc.Campaign(ctx, campaignID) // the actor may run it
	if err != nil {
		return nil, err
	}
	p := &CoveragePlan{Header: f.Header, Mapping: m}
	var refs []string
	for _, rec := range f.Rows {
		r := CoverageRow{Row: rec.Row, Cells: rec.Cells, Status: CoverageNew, Input: crm.CoverageInput{CampaignID: campaignID}}
		if rec.Err != "" {
			r.Status, r.Problems = CoverageError, []CoverageProblem{{"The row cannot be read.", rec.Err}}
			p.Rows = append(p.Rows, r)
			continue
		}
		var authors []string
		for i, h := range f.Header {
			if i >= len(rec.Cells) {
				break
			}
			v := strings.TrimSpace(deneutralize(rec.Cells[i])) // a file Rapport wrote (the skipped rows) reads back as it was
			if v == "" {
				continue
			}
			switch m[h] {
			case "url":
				r.Input.URL = v
			case "title":
				r.Input.Title = v
			case "outlet":
				r.Input.OutletName = v
			case "outlet_type":
				r.Input.OutletType = v
			case "published_at":
				if t, ok := parseCoverageDate(v); ok {
					r.Input.PublishedAt = t
				} else {
					r.Problems, r.badDate = append(r.Problems, CoverageProblem{"Write the date as 2026-11-30 or 30.11.2026.", v}), true
				}
			case "kind":
				if k, ok := coverageKind(v); ok {
					r.Input.Kind = k
				} else {
					r.Problems = append(r.Problems, CoverageProblem{"Unknown kind of piece.", v})
				}
			case "reach":
				if n, ok := parseCount(v); ok {
					r.Input.Reach = &n
				} else {
					r.Problems = append(r.Problems, CoverageProblem{"Reach is a number of people, 0 or more.", v})
				}
			case "sentiment":
				if s, ok := coverageSentiment(v); ok {
					r.Input.Sentiment = s
				} else {
					r.Problems = append(r.Problems, CoverageProblem{"Sentiment is positive, neutral or negative.", v})
				}
			case "authors":
				authors = append(authors, splitList(v, ";|\n")...)
			}
		}
		refs = append(refs, authors...)
		r.Authors = authors // resolved below
		p.Rows = append(p.Rows, r)
	}
	found, err := svc.FindAuthors(ctx, refs)
	if err != nil {
		return nil, err
	}
	var urls []string
	for _, r := range p.Rows {
		if r.Input.URL != "" {
			urls = append(urls, r.Input.URL)
		}
	}
	titles, err := svc.CoverageTitles(ctx, urls)
	if err != nil {
		return nil, err
	}
	p.check(found, titles, func(at time.Time) []string { return svc.DateWarnings(c, at) })
	return p, nil
}

// check resolves authors, validates each row as AddCoverage would and marks
// duplicates; then it counts.
func (p *CoveragePlan) check(found map[string]crm.AuthorMatch, onRecord map[string]string, dateWarnings func(time.Time) []string) {
	seen := map[string]int{}
	for i := range p.Rows {
		r := &p.Rows[i]
		if r.Status == CoverageError {
			p.Errors++
			continue
		}
		var names []string
		for _, ref := range r.Authors {
			switch a := found[ref]; {
			case a.Count == 1:
				r.Input.AuthorIDs, names = append(r.Input.AuthorIDs, a.ID), append(names, a.Name)
			case a.Count > 1:
				r.Problems = append(r.Problems, CoverageProblem{"Several contacts have this name; the piece is saved without this author. Give the e-mail address.", ref})
			default:
				r.Problems = append(r.Problems, CoverageProblem{"No contact has this name or address; the piece is saved without this author.", ref})
			}
		}
		r.Authors = names
		errs := len(r.Problems) > 0 && !isAuthorWarning(r.Problems)
		if fe := crm.CheckCoverage(&r.Input); len(fe) > 0 {
			keys := make([]string, 0, len(fe))
			for k := range fe {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if k == "published_at" && r.badDate {
					continue
				}
				r.Problems = append(r.Problems, CoverageProblem{fe[k], ""})
			}
			errs = true
		}
		if errs {
			r.Status = CoverageError
			p.Errors++
			continue
		}
		if r.Input.URL != "" {
			key, _ := crm.NormalizeURL(r.Input.URL)
			if first, ok := seen[key]; ok {
				r.Status, r.Problems = CoverageDuplicate, []CoverageProblem{{"The same web address as an earlier row.", fmt.Sprintf("%d", first)}}
				p.Duplicates++
				continue
			}
			seen[key] = r.Row
			if title, ok := onRecord[r.Input.URL]; ok {
				r.Status, r.Problems = CoverageDuplicate, []CoverageProblem{{"This piece is on record already.", title}}
				p.Duplicates++
				continue
			}
		}
		for _, w := range dateWarnings(r.Input.PublishedAt) {
			r.Problems = append(r.Problems, CoverageProblem{w, r.Input.PublishedAt.Format(time.DateOnly)})
		}
		p.New++
		if len(r.Problems) > 0 {
			p.Warnings++
		}
	}
}

// isAuthorWarning reports whether every problem so far is about an author
// (a warning: the piece is saved without that author).
func isAuthorWarning(ps []CoverageProblem) bool {
	for _, p := range ps {
		if !strings.Contains(p.Message, "without this author") {
			return false
		}
	}
	return true
}

// ApplyCoverage saves the new rows of p through the one coverage writer
// (crm.Campaigns.AddCoverage: one transaction per piece, audited, authors'
// timelines) and audits the import. It returns how many pieces it saved;
// a piece that became a duplicate meanwhile is skipped.
func ApplyCoverage(ctx context.Context, svc *crm.Campaigns, campaignID int, filename string, p *CoveragePlan) (int, error) {
	saved, skipped := 0, p.Duplicates
	for _, r := range p.Rows {
		if r.Status != CoverageNew {
			continue
		}
		if _, _, err := svc.AddCoverage(ctx, r.Input); err != nil {
			if crm.ErrorCode(err) == crm.EConflict || crm.ErrorCode(err) == crm.EInvalid {
				skipped++
				continue
			}
			return saved, fmt.Errorf("import coverage row %d: %w", r.Row, err)
		}
		saved++
	}
	return saved, svc.AuditCoverageImport(ctx, campaignID, filename, saved, skipped, p.Errors)
}

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
