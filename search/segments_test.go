package search_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/graph"
	"github.com/rapport-crm/rapport/search"
)

// envSegmentFigures, when set to a number of contacts, makes
// TestSegmentPluginFigures measure the rebuild with and without the
// parallel segment plugin (on PostgreSQL), alternating.
const envSegmentFigures = "RAPPORT_SEGMENT_FIGURES"

func TestSegmentPluginFigures(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv(envSegmentFigures))
	if n <= 0 {
		t.Skip("set " + envSegmentFigures + "=contacts to measure")
	}
	d := dbtest.Open(t, "postgres", nil)
	ctx := context.Background()
	if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: n, Interactions: 5 * n, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	build := func(stock bool) (wall, cpu time.Duration, peak uint64) {
		if stock {
			restore := search.SetStockSegments()
			defer restore()
		}
		runtime.GC()
		stop := make(chan struct{})
		peaked := make(chan uint64)
		go func() { peaked <- samplePeakHeap(stop) }()
		cpu0, start := processCPU(), time.Now()
		st, err := search.Build(ctx, search.Store{Dir: filepath.Join(t.TempDir(), "index")}, graph.Loader{DB: d.SQL, Dialect: d.Dialect}, 30*time.Second, nil)
		wall, cpu = time.Since(start), processCPU()-cpu0
		close(stop)
		peak = <-peaked
		if err != nil {
			t.Fatal(err)
		}
		if st.Contacts < n {
			t.Fatalf("built %d contacts, want %d", st.Contacts, n)
		}
		return wall, cpu, peak
	}
	build(false) // warm up (page cache, PostgreSQL buffers)
	var wallRatios, cpuRatios []float64
	for pair := range 4 {
		var wall, cpu [2]time.Duration // plugin, stock
		for _, stock := range []bool{pair%2 == 1, pair%2 == 0} {
			w, c, p := build(stock)
			name, i := "plugin", 0
			if stock {
				name, i = "stock zap", 1
			}
			wall[i], cpu[i] = w, c
			load, _ := os.ReadFile("/proc/loadavg")
			t.Logf("pair %d %-9s wall %6.2f s  cpu %6.2f s  peak heap %4d MB  loadavg %.14s", pair, name, w.Seconds(), c.Seconds(), p>>20, load)
		}
		wallRatios = append(wallRatios, wall[0].Seconds()/wall[1].Seconds())
		cpuRatios = append(cpuRatios, cpu[0].Seconds()/cpu[1].Seconds())
	}
	t.Logf("plugin/stock, median of pairs: wall %.3f, cpu %.3f (wall %v, cpu %v)", median(wallRatios), median(cpuRatios), wallRatios, cpuRatios)
}

func median(xs []float64) float64 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

// processCPU is the user and system CPU time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// samplePeakHeap samples the live and unswept heap every 10 ms until stop
// is closed and returns the highest.
func samplePeakHeap(stop chan struct{}) uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(s)
		peak = max(peak, s[0].Value.Uint64())
		select {
		case <-stop:
			return peak
		case <-tick.C:
		}
	}
}
