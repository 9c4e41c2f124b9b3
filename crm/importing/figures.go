package importing

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
)

// FigureFields are the targets a column of a figures file (a platform's
// analytics export) maps to, with the spellings of those exports, German
// and English.
var FigureFields = []Field{
	{Key: "date", Label: "Date", aliases: []string{"date", "datum", "day", "tag", "week", "woche", "period", "zeitraum", "stichtag"}},
	{Key: "channel", Label: "Channel (handle or URL)", aliases: []string{"channel", "kanal", "account", "konto", "handle", "profile", "profil", "profile url", "profil-url", "url", "page", "seite", "username", "benutzername"}},
	{Key: "platform", Label: "Platform", aliases: []string{"platform", "plattform", "network", "netzwerk", "social network"}},
	{Key: "followers", Label: "Followers", aliases: []string{"followers", "follower", "fans", "abonnenten", "subscribers", "total followers", "follower gesamt", "page likes", "audience"}},
	{Key: "engagement", Label: "Engagement (interactions)", aliases: []string{"engagement", "engagements", "interactions", "interaktionen", "total engagement", "reactions", "reaktionen"}},
	{Key: "impressions", Label: "Impressions", aliases: []string{"impressions", "impressionen", "views", "aufrufe", "reach", "reichweite", "video views"}},
	{Key: "posts", Label: "Posts", aliases: []string{"posts", "beiträge", "beitraege", "tweets", "videos", "published posts", "veröffentlichte beiträge"}},
}

var figureAlias = func() map[string]string {
	m := map[string]string{}
	for _, f := range FigureFields {
		for _, a := range append([]string{f.Key, f.Label}, f.aliases...) {
			if _, taken := m[headerKey(a)]; !taken {
				m[headerKey(a)] = f.Key
			}
		}
	}
	return m
}()

// GuessFigures maps each column to a figures field by its name; unknown
// columns are ignored (""), each field goes to its first column.
func GuessFigures(header []string) map[string]string {
	m := make(map[string]string, len(header))
	used := map[string]bool{}
	for _, h := range header {
		if k := figureAlias[headerKey(h)]; k != "" && !used[k] {
			m[h], used[k] = k, true
		} else {
			m[h] = ""
		}
	}
	return m
}

func checkFiguresMapping(header []string, m map[string]string) error {
	cols := map[string][]string{}
	for _, h := range header {
		if k := m[h]; k != "" {
			if !slices.ContainsFunc(FigureFields, func(f Field) bool { return f.Key == k }) {
				return invalid("Column %q is mapped to an unknown field.", h)
			}
			cols[k] = append(cols[k], h)
		}
	}
	for _, cs := range cols {
		if len(cs) > 1 {
			return invalid("Several columns are mapped to a field that takes one value: %s. Map one of them, ignore the others.", strings.Join(cs, ", "))
		}
	}
	if len(cols["date"]) == 0 || len(cols["channel"]) == 0 || len(cols["followers"]) == 0 {
		return invalid("Map a column to the date, one to the channel and one to the followers.")
	}
	return nil
}

// ReadFigures reads a CSV or XLSX figures file like a coverage file.
func ReadFigures(name string, data []byte) (*CoverageFile, error) {
	return readSmallFile(name, data, "This is a vCard file. A figures file is CSV or XLSX, one channel and date per row.")
}

// FigureRow is one row of a figures file and what the import does with it.
type FigureRow struct {
	Row      int
	Cells    []string
	Input    crm.FigureInput
	Key      crm.ChannelKey
	Channel  string // the channel found: platform and handle
	Status   string // CoverageNew or CoverageError
	Problems []CoverageProblem
}

// FigurePlan is the dry run of a figures file.
type FigurePlan struct {
	Header      []string
	Mapping     map[string]string
	Rows        []FigureRow
	New, Errors int
}

// PlanFigures checks every row of f as mapping m says (nil: guessed) and
// finds the channels; nothing is written.
func PlanFigures(ctx context.Context, svc *crm.ChannelFigures, f *CoverageFile, m map[string]string, now time.Time) (*FigurePlan, error) {
	if m == nil {
		m = GuessFigures(f.Header)
	}
	if err := checkFiguresMapping(f.Header, m); err != nil {
		return nil, err
	}
	p := &FigurePlan{Header: f.Header, Mapping: m}
	var keys []crm.ChannelKey
	for _, rec := range f.Rows {
		r := readFigureRow(rec, f.Header, m)
		keys = append(keys, r.Key)
		p.Rows = append(p.Rows, r)
	}
	found, err := svc.FindChannels(ctx, keys)
	if err != nil {
		return nil, err
	}
	for i := range p.Rows {
		r := &p.Rows[i]
		ch, ok := found[r.Key]
		switch {
		case r.Key.Handle == "":
		case !ok || ch.NotFound:
			r.Problems = append(r.Problems, CoverageProblem{Message: "No channel of ours or of a contact has this handle.", Value: r.Key.Handle})
		case ch.Several:
			r.Problems = append(r.Problems, CoverageProblem{Message: "Several channels have this handle; add the platform.", Value: r.Key.Handle})
		case ch.Owned:
			r.Input.OwnedChannelID, r.Channel = ch.ID, ch.Label
		default:
			r.Input.SocialProfileID, r.Channel = ch.ID, ch.Label
		}
		if len(r.Problems) == 0 {
			fe := r.Input.Check(now)
			for _, k := range slices.Sorted(maps.Keys(fe)) {
				r.Problems = append(r.Problems, CoverageProblem{Message: fe[k]})
			}
		}
		if len(r.Problems) > 0 {
			r.Status = CoverageError
			p.Errors++
			continue
		}
		p.New++
	}
	return p, nil
}

// ApplyFigures records the good rows of p through the one figures writer
// (crm.ChannelFigures.Record: one transaction, audited) and returns how many.
func ApplyFigures(ctx context.Context, svc *crm.ChannelFigures, filename string, p *FigurePlan) (int, error) {
	var ins []crm.FigureInput
	for _, r := range p.Rows {
		if r.Status == CoverageNew {
			ins = append(ins, r.Input)
		}
	}
	n, err := svc.Record(ctx, ins, crm.MsgFiguresImport(filename))
	if err != nil {
		return 0, fmt.Errorf("import figures: %w", err)
	}
	return n, nil
}
