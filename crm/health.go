package crm

import (
	"fmt"
	"math"
	"time"
)

// HealthWindow is how far back frequency, reciprocity and sentiment look.
const HealthWindow = 180 * 24 * time.Hour

// healthBase is where every score starts before its parts add or take away.
const healthBase = 50

// HealthInput is what the relationship health of one contact depends on.
type HealthInput struct {
	CadenceDays int        // the stage's expected contact cadence
	LastTouch   *time.Time // the newest interaction, nil if never
	Created     time.Time  // when the contact was added (due date of a never-touched contact)
	Recent      int        // interactions in the last HealthWindow
	Inbound     int        // of those, inbound
	Positive    int        // of those, positive
	Negative    int        // of those, negative
	Reach       int64      // followers over all channels
	Pitches     int        // outbound pitches in the last PitchWindow
	Inbound90   int        // inbound interactions in the last PitchWindow (replies)
	Posts       int        // posts of the contact's channel feeds this calendar month (UTC)
}

// PitchWindow is how far back the pitch line of the health score looks.
const PitchWindow = 90 * 24 * time.Hour

// HealthLine is one part of a score, in plain words, with its points.
// Text is English (the API and the logs); Key and Args say the same for a
// page that speaks another language (views/pages/health_words.go).
type HealthLine struct {
	Text   string
	Points int
	Key    string
	Args   map[string]int64
}

// args are a line's numbers by name.
type args = map[string]int64

// PointsText is the line's points as the page shows them: +20, −25, ±0.
func (l HealthLine) PointsText() string {
	switch {
	case l.Points > 0:
		return fmt.Sprintf("+%d", l.Points)
	case l.Points < 0:
		return fmt.Sprintf("−%d", -l.Points)
	}
	return "±0"
}

// HealthResult is a score 0–100 with the lines that explain it and the date
// the stage's cadence expects the next touch.
type HealthResult struct {
	Score int
	Lines []HealthLine
	DueAt *time.Time
}

// Stale reports whether the next touch was due before now.
func (r HealthResult) Stale(now time.Time) bool { return r.DueAt != nil && r.DueAt.Before(now) }

// ComputeHealth scores a relationship from 0 to 100 at now. It starts at 50;
// recency against the cadence adds up to 20 or takes up to 40 (5 points per
// started half cadence overdue); frequency in the last 180 days against what
// the cadence expects adds up to 15; reciprocity (the share of inbound
// interactions) moves it by up to 10 either way; sentiment adds up to 10 or
// takes up to 15; reach adds up to 5; pitches of the last 90 days add 5 when
// answered and take up to 20 when repeated without a reply; each post of the
// contact's channel feeds this month adds a point, at most 5. It is a pure function: the same input
// and clock give the same score and words.
func ComputeHealth(in HealthInput, now time.Time) HealthResult {
	cadence := max(in.CadenceDays, 1)
	r := HealthResult{Lines: []HealthLine{{Text: "starting point", Points: healthBase, Key: "start"}}}
	r.Lines = append(r.Lines, recencyLine(in, cadence, now), frequencyLine(in, cadence))
	if in.Recent > 0 {
		r.Lines = append(r.Lines, reciprocityLine(in), sentimentLine(in))
	}
	r.Lines = append(r.Lines, reachLine(in.Reach))
	if in.Pitches > 0 {
		r.Lines = append(r.Lines, pitchLine(in))
	}
	if in.Posts > 0 {
		r.Lines = append(r.Lines, postsLine(in.Posts))
	}
	for _, l := range r.Lines {
		r.Score += l.Points
	}
	r.Score = min(100, max(0, r.Score))
	base := in.Created
	if in.LastTouch != nil {
		base = *in.LastTouch
	}
	if !base.IsZero() {
		due := base.Add(time.Duration(cadence) * 24 * time.Hour).UTC()
		r.DueAt = &due
	}
	return r
}

func recencyLine(in HealthInput, cadence int, now time.Time) HealthLine {
	if in.LastTouch == nil {
		return HealthLine{Text: fmt.Sprintf("never in touch, cadence %d", cadence), Points: -40, Key: "never", Args: args{"Cadence": int64(cadence)}}
	}
	days := max(0, int(now.Sub(*in.LastTouch).Hours()/24))
	l := HealthLine{Text: fmt.Sprintf("last touch %s ago, cadence %d", daysText(days), cadence), Points: 20,
		Key: "recency", Args: args{"Days": int64(days), "Cadence": int64(cadence)}}
	if days > cadence {
		halves := math.Ceil(float64(days-cadence) / (float64(cadence) / 2))
		l.Points = -int(math.Min(40, 5*halves))
	}
	return l
}

func frequencyLine(in HealthInput, cadence int) HealthLine {
	expected := math.Max(1, HealthWindow.Hours()/24/float64(cadence))
	pts := int(math.Round(15 * math.Min(1, float64(in.Recent)/expected)))
	a := args{"Recent": int64(in.Recent), "Expected": int64(math.Round(expected))}
	if expected != math.Trunc(expected) {
		a["About"] = 1
	}
	return HealthLine{Text: fmt.Sprintf("%d %s in the last 180 days, %s expected", in.Recent,
		pluralWord(in.Recent, "interaction", "interactions"), roundText(expected)), Points: pts, Key: "frequency", Args: a}
}

func reciprocityLine(in HealthInput) HealthLine {
	share := float64(in.Inbound) / float64(in.Recent)
	pts := int(math.Round(20*math.Min(share, 0.4)/0.4)) - 10
	l := HealthLine{Text: fmt.Sprintf("%d of %d inbound", in.Inbound, in.Recent), Points: pts,
		Key: "reciprocity", Args: args{"Inbound": int64(in.Inbound), "Recent": int64(in.Recent)}}
	if in.Inbound == 0 {
		l.Text, l.Key = fmt.Sprintf("none of %d inbound: they never reached out", in.Recent), "reciprocity_none"
	}
	return l
}

func sentimentLine(in HealthInput) HealthLine {
	net := float64(in.Positive-in.Negative) / float64(in.Recent)
	weight := 10.0
	if net < 0 {
		weight = 15
	}
	return HealthLine{Text: fmt.Sprintf("%d positive, %d negative of %d", in.Positive, in.Negative, in.Recent),
		Points: int(math.Round(weight * net)), Key: "sentiment",
		Args: args{"Positive": int64(in.Positive), "Negative": int64(in.Negative), "Recent": int64(in.Recent)}}
}

// pitchLine is what campaigns teach the score: a reply to pitches in the
// last 90 days adds 5; two or more pitches without any reply take 5 per
// pitch after the first, at most 20.
func pitchLine(in HealthInput) HealthLine {
	if in.Inbound90 > 0 {
		return HealthLine{Text: fmt.Sprintf("pitched %s in 90 days, replied", timesText(in.Pitches)), Points: 5,
			Key: "pitch_replied", Args: args{"Pitches": int64(in.Pitches)}}
	}
	if in.Pitches < 2 {
		return HealthLine{Text: "pitched once in 90 days, no reply yet", Points: 0, Key: "pitch_once"}
	}
	return HealthLine{Text: fmt.Sprintf("pitched %s in 90 days, no reply", timesText(in.Pitches)),
		Points: -min(20, 5*(in.Pitches-1)), Key: "pitch_no_reply", Args: args{"Pitches": int64(in.Pitches)}}
}

func timesText(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// postsLine is the contact's own activity: each post of their channel feeds
// this month adds a point, at most 5.
func postsLine(n int) HealthLine {
	return HealthLine{Text: fmt.Sprintf("posted %s this month", timesText(n)), Points: min(5, n),
		Key: "posts", Args: args{"Posts": int64(n)}}
}

// reachTiers are the follower counts that earn 1 to 5 points.
var reachTiers = []int64{100, 1_000, 10_000, 100_000, 1_000_000}

func reachLine(reach int64) HealthLine {
	pts := 0
	for _, t := range reachTiers {
		if reach >= t {
			pts++
		}
	}
	return HealthLine{Text: "reach " + formatCount(reach), Points: pts, Key: "reach", Args: args{"Reach": reach}}
}

func daysText(d int) string {
	if d == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", d)
}

func roundText(f float64) string {
	if f == math.Trunc(f) {
		return fmt.Sprintf("%d", int(f))
	}
	return fmt.Sprintf("about %d", int(math.Round(f)))
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// formatCount writes n with thousands separators: 52,300.
func formatCount(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + formatCount(-n)
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
