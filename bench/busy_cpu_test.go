package bench

import (
	"fmt"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/rapport-crm/rapport/db"
)

// busyWindow measures where the load window of BenchmarkBusyTeam spends
// CPU: this process (server and load generator, and with
// RAPPORT_BENCH_BUSY_PROFILE=file a CPU profile of the window only) and
// the PostgreSQL backends of the benchmark's database (backendCPU).
type busyWindow struct {
	d       *db.DB
	goCPU   float64
	pgCPU   map[int]float64
	profile *os.File
	load    string
}

func startBusyWindow(d *db.DB) *busyWindow {
	w := &busyWindow{d: d, goCPU: processCPU(), pgCPU: backendCPU(d), load: loadavg()}
	if path := os.Getenv("RAPPORT_BENCH_BUSY_PROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			w.profile = f
		}
	}
	return w
}

// stop returns the CPU seconds of this process and of the backends in the
// window, and prints the load averages at its start and end.
func (w *busyWindow) stop() (goSec, pgSec float64) {
	if w.profile != nil {
		pprof.StopCPUProfile()
		w.profile.Close()
	}
	fmt.Printf("busy-loadavg: %s → %s\n", w.load, loadavg())
	return processCPU() - w.goCPU, subCPU(backendCPU(w.d), w.pgCPU)
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}
