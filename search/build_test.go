package search

import (
	"runtime/debug"
	"testing"
)

// gcPercent is the current GOGC.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// TestRelaxGC: builds raise GOGC while any of them runs, never lower it,
// and the last one to end puts it back.
func TestRelaxGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	first := relaxGC()
	second := relaxGC()
	if got := gcPercent(); got != buildGCPercent {
		t.Errorf("during builds GOGC = %d, want %d", got, buildGCPercent)
	}
	first()
	if got := gcPercent(); got != buildGCPercent {
		t.Errorf("while one build still runs GOGC = %d, want %d", got, buildGCPercent)
	}
	second()
	if got := gcPercent(); got != 100 {
		t.Errorf("after the builds GOGC = %d, want 100", got)
	}
	debug.SetGCPercent(500)
	relaxGC()()
	if got := gcPercent(); got != 500 {
		t.Errorf("a higher GOGC became %d, want 500 kept", got)
	}
}
