package importing

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
)

// Statuses of a row of a coverage import.
const (
	CoverageNew       = "new"
	CoverageDuplicate = "duplicate"
	CoverageError     = "error"
)

// CoverageProblem is what a row's check found: Message is a fixed sentence
// (the pages translate it), Value the cell or row it is about. A warning
// lets the row be imported.
type CoverageProblem struct {
	Message, Value string
	Warning        bool
}

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
		r := readCoverageRow(rec, f.Header, m, campaignID)
		refs = append(refs, r.Authors...)
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
				r.Problems = append(r.Problems, CoverageProblem{"Several contacts have this name; the piece is saved without this author. Give the e-mail address.", ref, true})
			default:
				r.Problems = append(r.Problems, CoverageProblem{"No contact has this name or address; the piece is saved without this author.", ref, true})
			}
		}
		r.Authors = names
		errs := slices.ContainsFunc(r.Problems, func(p CoverageProblem) bool { return !p.Warning })
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
				r.Problems = append(r.Problems, CoverageProblem{Message: fe[k]})
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
				r.Status, r.Problems = CoverageDuplicate, []CoverageProblem{{Message: "The same web address as an earlier row.", Value: fmt.Sprintf("%d", first)}}
				p.Duplicates++
				continue
			}
			seen[key] = r.Row
			if title, ok := onRecord[r.Input.URL]; ok {
				r.Status, r.Problems = CoverageDuplicate, []CoverageProblem{{Message: "This piece is on record already.", Value: title}}
				if title == "" { // in a campaign the user may not see (CoverageTitles)
					r.Problems = []CoverageProblem{{Message: "This piece is on record already, in a campaign you cannot see."}}
				}
				p.Duplicates++
				continue
			}
		}
		for _, w := range dateWarnings(r.Input.PublishedAt) {
			r.Problems = append(r.Problems, CoverageProblem{w, r.Input.PublishedAt.Format(time.DateOnly), true})
		}
		p.New++
		if len(r.Problems) > 0 {
			p.Warnings++
		}
	}
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

// readCoverageRow reads one record as mapping m says: the piece's values,
// the authors as the file names them, and the problems of values it cannot
// read.
func readCoverageRow(rec Record, header []string, m map[string]string, campaignID int) CoverageRow {
	r := CoverageRow{Row: rec.Row, Cells: rec.Cells, Status: CoverageNew, Input: crm.CoverageInput{CampaignID: campaignID}}
	if rec.Err != "" {
		r.Status, r.Problems = CoverageError, []CoverageProblem{{Message: "The row cannot be read.", Value: rec.Err}}
		return r
	}
	var authors []string
	for i, h := range header {
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
				r.Problems, r.badDate = append(r.Problems, CoverageProblem{Message: "Write the date as 2026-11-30 or 30.11.2026.", Value: v}), true
			}
		case "kind":
			if k, ok := coverageKind(v); ok {
				r.Input.Kind = k
			} else {
				r.Problems = append(r.Problems, CoverageProblem{Message: "Unknown kind of piece.", Value: v})
			}
		case "reach":
			if n, ok := parseCount(v); ok {
				r.Input.Reach = &n
			} else {
				r.Problems = append(r.Problems, CoverageProblem{Message: "Reach is a number of people, 0 or more.", Value: v})
			}
		case "sentiment":
			if s, ok := coverageSentiment(v); ok {
				r.Input.Sentiment = s
			} else {
				r.Problems = append(r.Problems, CoverageProblem{Message: "Sentiment is positive, neutral or negative.", Value: v})
			}
		case "authors":
			authors = append(authors, splitList(v, ";|\n")...)
		}
	}
	r.Authors = authors // their names or addresses; check resolves them
	return r
}
