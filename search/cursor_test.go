package search

import (
	"testing"
	"time"
)

func TestCursor(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newCursor(3, 30*time.Second)
	steps := []struct {
		name    string
		ids     []int
		at      time.Duration
		wantPos int
		wantHi  int
	}{
		{"contiguous", []int{4, 5}, 0, 5, 5},
		{"gap_holds_position", []int{7, 8}, time.Second, 5, 8},
		{"still_waiting", nil, 20 * time.Second, 5, 8},
		{"gap_filled", []int{6}, 21 * time.Second, 8, 8},
		{"second_gap", []int{10}, 22 * time.Second, 8, 10},
		{"gap_given_up_after_timeout", nil, 53 * time.Second, 10, 10},
		{"late_row_below_position_is_ignored", []int{9}, 54 * time.Second, 10, 10},
	}
	for _, s := range steps {
		pos := c.seen(s.ids, t0.Add(s.at))
		if pos != s.wantPos || c.hi != s.wantHi {
			t.Errorf("%s: pos %d hi %d, want %d %d (missing %v)", s.name, pos, c.hi, s.wantPos, s.wantHi, c.missingIDs())
		}
	}
}
