package bench

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// rssKB reads a field (VmRSS, VmHWM) of /proc/self/status in KiB, or -1.
func rssKB(field string) int64 { return procKB("self", field) }

// procKB reads a field of /proc/<pid>/status in KiB, or -1.
func procKB(pid, field string) int64 {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return -1
}

// peakRSSGrowth runs f and reports how far the process's resident memory rose
// above where it started (Linux: the high-water mark is reset first).
func peakRSSGrowth(b *testing.B, f func()) {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	before := rssKB("VmRSS")
	f()
	if peak := rssKB("VmHWM"); peak >= 0 && before >= 0 {
		b.ReportMetric(float64(peak-before)/1024, "peak-rss-growth-MB")
	}
}
