package bench

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
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

// rssPeaks samples a process's anonymous and file-backed resident memory
// (RssAnon, RssFile of /proc/<pid>/status) every 200 ms until stop is
// called, which returns the highest of each in MiB. VmHWM alone does not
// say which of the two set the peak: file-backed pages (the index's
// mapped segment files) are clean and the kernel takes them back under
// pressure; anonymous ones are the heap and what the process holds.
func rssPeaks(pid string) (stop func() (anonMB, fileMB float64)) {
	done, out := make(chan struct{}), make(chan [2]int64, 1)
	go func() {
		var anon, file int64
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			anon, file = max(anon, procKB(pid, "RssAnon")), max(file, procKB(pid, "RssFile"))
			select {
			case <-done:
				out <- [2]int64{anon, file}
				return
			case <-t.C:
			}
		}
	}()
	return func() (float64, float64) {
		close(done)
		p := <-out
		return float64(p[0]) / 1024, float64(p[1]) / 1024
	}
}
