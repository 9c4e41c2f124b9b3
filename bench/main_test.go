package bench

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestMain prints the run's configuration (machine, Go, PostgreSQL and its
// settings, date) as benchmark configuration lines that benchstat and
// bench/summary keep with the results, runs the benchmarks, and then removes
// what the process's shared search dataset left on disk (its bleve index:
// ~300 MB at 100,000 contacts).
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		printConfig()
	}
	code := m.Run()
	if ds != nil {
		ds.search.Close()
		os.RemoveAll(ds.indexDir)
	}
	os.Exit(code)
}

// printConfig prints "key: value" lines describing where the figures come from.
func printConfig() {
	fmt.Printf("date: %s\n", time.Now().UTC().Format(time.RFC3339))
	fmt.Printf("machine-cpu: %s\nmachine-cores: %d\n", cpuModel(), runtime.NumCPU())
	fmt.Printf("go-version: %s\nbench-size: %d\n", runtime.Version(), Size())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	q, err := sql.Open("postgres", dbtest.AdminURL())
	if err != nil {
		return
	}
	defer q.Close()
	var version string
	if q.QueryRowContext(ctx, "SHOW server_version").Scan(&version) == nil {
		fmt.Printf("postgres-version: %s\n", version)
	}
	for _, s := range []string{"shared_buffers", "work_mem", "effective_cache_size", "jit", "max_parallel_workers_per_gather", "autovacuum"} {
		var v string
		if q.QueryRowContext(ctx, "SELECT current_setting($1)", s).Scan(&v) == nil {
			fmt.Printf("postgres-%s: %s\n", strings.ReplaceAll(s, "_", "-"), v)
		}
	}
}

// cpuModel is the processor's model name from /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
