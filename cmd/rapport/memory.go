package main

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// defaultMemoryLimit is the Go runtime's soft memory limit while serving when
// GOMEMLIMIT is not set: the garbage collector works harder as the heap nears
// it instead of letting it grow with the garbage of a burst. It is soft: a
// larger live heap (a big import) is still allowed, at the cost of GC time.
const defaultMemoryLimit = 256 << 20

// settleMemory returns to the operating system what start-up (an index build
// reads every contact) left free, and sets the default soft memory limit
// unless GOMEMLIMIT chose one. The limit is set after start-up, so an index
// build runs at full speed.
func settleMemory(log *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	debug.FreeOSMemory()
	log.Debug("memory settled", "limit_bytes", debug.SetMemoryLimit(-1))
}
