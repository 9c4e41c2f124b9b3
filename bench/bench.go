// Package bench holds Rapport's benchmarks. Each workload runs next to the
// peer a user would otherwise pick, in the same run, and reports latency
// percentiles beside Go's ns/op so that benchstat can compare commits:
//
//	make bench                      # 10,000 contacts
//	make bench BENCH_SIZE=100000    # the real size
package bench

import (
	"slices"
	"testing"
	"time"
)

// latencies records per-operation durations and reports p50 and p95.
type latencies []time.Duration

func (l *latencies) time(f func()) {
	start := time.Now()
	f()
	*l = append(*l, time.Since(start))
}

// report adds p50-ms and p95-ms metrics to the benchmark.
func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	p50, p95, _ := l.percentiles()
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p95, "p95-ms")
}

// percentiles are the median and the 95th percentile in milliseconds
// (ok false when there are no latencies).
func (l latencies) percentiles() (p50, p95 float64, ok bool) {
	if len(l) == 0 {
		return 0, 0, false
	}
	s := slices.Clone(l)
	slices.Sort(s)
	pct := func(p float64) float64 { return float64(s[int(float64(len(s)-1)*p)].Microseconds()) / 1000 }
	return pct(0.50), pct(0.95), true
}
