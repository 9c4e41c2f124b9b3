package crm

import "testing"

func TestCoverageLevel(t *testing.T) {
	for _, tc := range []struct{ fresh, max, want int }{{0, 10, 0}, {1, 10, 1}, {3, 10, 2}, {5, 10, 2}, {6, 10, 3}, {10, 10, 4}, {1, 1, 4}, {0, 0, 0}} {
		if got := coverageLevel(tc.fresh, tc.max); got != tc.want {
			t.Errorf("level(%d of %d) = %d, want %d", tc.fresh, tc.max, got, tc.want)
		}
	}
}
