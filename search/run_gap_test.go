package search

import (
	"testing"
	"time"
)

// TestPassGap: a quick pass leaves the next change searchable within
// minPass, a slow one spaces passes by five times its length, never more
// than maxPass.
func TestPassGap(t *testing.T) {
	for _, c := range []struct{ took, want time.Duration }{
		{0, minPass},
		{2 * time.Millisecond, minPass},
		{10 * time.Millisecond, 50 * time.Millisecond},
		{39 * time.Millisecond, 195 * time.Millisecond},
		{time.Second, maxPass},
	} {
		if got := passGap(c.took); got != c.want {
			t.Errorf("passGap(%s) = %s, want %s", c.took, got, c.want)
		}
	}
}
