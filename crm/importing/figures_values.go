package importing

import (
	"strings"

	"github.com/rapport-crm/rapport/crm"
)

// readFigureRow reads one record as mapping m says: the channel's key, the
// figures, and the problems of values it cannot read (each in the row's
// words, so a user can correct the file).
func readFigureRow(rec Record, header []string, m map[string]string) FigureRow {
	r := FigureRow{Row: rec.Row, Cells: rec.Cells, Status: CoverageNew, Input: crm.FigureInput{Source: "import"}}
	if rec.Err != "" {
		r.Status, r.Problems = CoverageError, []CoverageProblem{{Message: "The row cannot be read.", Value: rec.Err}}
		return r
	}
	var channel, platform string
	for i, h := range header {
		if i >= len(rec.Cells) {
			break
		}
		v := strings.TrimSpace(deneutralize(rec.Cells[i]))
		if v == "" {
			continue
		}
		switch m[h] {
		case "date":
			if t, ok := parseCoverageDate(v); ok {
				r.Input.At = t
			} else {
				r.Problems = append(r.Problems, CoverageProblem{Message: "Write the date as 2026-11-30 or 30.11.2026.", Value: v})
			}
		case "channel":
			channel = v
		case "platform":
			if platform = platformOf(v, ""); platform == "" {
				r.Problems = append(r.Problems, CoverageProblem{Message: "Unknown platform.", Value: v})
			}
		case "followers":
			if n, ok := parseCount(v); ok {
				r.Input.Followers = n
			} else {
				r.Problems = append(r.Problems, CoverageProblem{Message: "Followers are a number, 0 or more.", Value: v})
			}
		case "engagement", "impressions", "posts":
			n, ok := parseCount(v)
			if !ok {
				r.Problems = append(r.Problems, CoverageProblem{Message: "A number, 0 or more.", Value: v})
				continue
			}
			switch m[h] {
			case "engagement":
				r.Input.Engagement = &n
			case "impressions":
				r.Input.Impressions = &n
			default:
				k := int(min(n, 1<<31-1))
				r.Input.Posts = &k
			}
		}
	}
	if channel == "" {
		r.Problems = append(r.Problems, CoverageProblem{Message: "The row names no channel."})
	} else {
		if platform == "" {
			platform = platformOf("", channel)
			if platform == "blog" && webURL(channel) == nil {
				platform = ""
			}
		}
		r.Key = crm.ChannelKey{Platform: platform, Handle: crm.NormalizeHandle(platform, channel)}
		if r.Key.Handle == "" { // "@" alone
			r.Problems = append(r.Problems, CoverageProblem{Message: "The row names no channel.", Value: channel})
		}
	}
	if r.Input.At.IsZero() && !hasDateProblem(r.Problems) {
		r.Problems = append(r.Problems, CoverageProblem{Message: "Enter the date of the figures."})
	}
	if len(r.Problems) > 0 {
		r.Status = CoverageError
	}
	return r
}

func hasDateProblem(ps []CoverageProblem) bool {
	for _, p := range ps {
		if p.Message == "Write the date as 2026-11-30 or 30.11.2026." {
			return true
		}
	}
	return false
}
