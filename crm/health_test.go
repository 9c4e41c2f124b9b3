package crm

import (
	"strings"
	"testing"
	"time"
)

func TestComputeHealth(t *testing.T) {
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	ago := func(days int) *time.Time { t := now.Add(-time.Duration(days) * 24 * time.Hour); return &t }
	for _, tc := range []struct {
		name      string
		in        HealthInput
		score     int
		stale     bool
		wantLines []string // lines with their points, as the page shows them
	}{
		{"ok_warm_advocate_capped_at_100",
			HealthInput{CadenceDays: 21, LastTouch: ago(5), Recent: 9, Inbound: 4, Positive: 3, Reach: 52_300},
			100, false, []string{"last touch 5 days ago, cadence 21 → +20", "9 interactions in the last 180 days, about 9 expected → +15",
				"4 of 9 inbound → +10", "3 positive, 0 negative of 9 → +3", "reach 52,300 → +3"}},
		{"stale_supporter_94_days",
			HealthInput{CadenceDays: 30, LastTouch: ago(94), Recent: 2, Negative: 1},
			12, true, []string{"last touch 94 days ago, cadence 30 → −25", "2 interactions in the last 180 days, 6 expected → +5",
				"none of 2 inbound: they never reached out → −10", "0 positive, 1 negative of 2 → −8", "reach 0 → ±0"}},
		{"never_touched_new_contact",
			HealthInput{CadenceDays: 180, Created: now.Add(-10 * 24 * time.Hour)},
			10, false, []string{"never in touch, cadence 180 → −40", "0 interactions in the last 180 days, 1 expected → ±0"}},
		{"never_touched_past_cadence",
			HealthInput{CadenceDays: 90, Created: now.Add(-100 * 24 * time.Hour)},
			10, true, nil},
		{"overdue_penalty_capped_at_40",
			HealthInput{CadenceDays: 21, LastTouch: ago(400), Reach: 1_000_000},
			15, true, []string{"last touch 400 days ago, cadence 21 → −40", "reach 1,000,000 → +5"}},
		{"exactly_on_cadence_is_fresh",
			HealthInput{CadenceDays: 30, LastTouch: ago(30), Recent: 3, Inbound: 3, Reach: 999},
			89, false, []string{"last touch 30 days ago, cadence 30 → +20", "3 interactions in the last 180 days, 6 expected → +8",
				"3 of 3 inbound → +10", "reach 999 → +1"}},
		{"one_day_over_costs_5",
			HealthInput{CadenceDays: 30, LastTouch: ago(31)},
			45, true, []string{"last touch 31 days ago, cadence 30 → −5"}},
		{"all_negative_floors_at_0",
			HealthInput{CadenceDays: 21, LastTouch: ago(300), Recent: 4, Negative: 4},
			0, true, []string{"0 positive, 4 negative of 4 → −15"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ComputeHealth(tc.in, now)
			if r.Score != tc.score {
				t.Errorf("score %d, want %d; lines %v", r.Score, tc.score, r.Lines)
			}
			if got := r.Stale(now); got != tc.stale {
				t.Errorf("stale %v, want %v (due %v)", got, tc.stale, r.DueAt)
			}
			var all []string
			for _, l := range r.Lines {
				all = append(all, l.Text+" → "+l.PointsText())
			}
			for _, w := range tc.wantLines {
				if !strings.Contains(strings.Join(all, "\n"), w) {
					t.Errorf("no line %q in\n%s", w, strings.Join(all, "\n"))
				}
			}
			if again := ComputeHealth(tc.in, now); again.Score != r.Score || len(again.Lines) != len(r.Lines) {
				t.Error("not deterministic")
			}
		})
	}
}

func TestComputeHealthDueDate(t *testing.T) {
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	last := now.Add(-10 * 24 * time.Hour)
	r := ComputeHealth(HealthInput{CadenceDays: 30, LastTouch: &last, Created: now.AddDate(-1, 0, 0)}, now)
	if want := last.Add(30 * 24 * time.Hour); r.DueAt == nil || !r.DueAt.Equal(want) {
		t.Errorf("due %v, want %v (last touch + cadence)", r.DueAt, want)
	}
	if r := ComputeHealth(HealthInput{CadenceDays: 30}, now); r.DueAt != nil {
		t.Errorf("no touch and no creation date: due %v, want none", r.DueAt)
	}
}
