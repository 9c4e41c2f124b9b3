package bench

import (
	"os"
	"testing"
)

// TestMain runs the benchmarks and then removes what the process's shared
// search dataset left on disk (its bleve index: ~300 MB at 100,000 contacts).
func TestMain(m *testing.M) {
	code := m.Run()
	if ds != nil {
		ds.search.Close()
		os.RemoveAll(ds.indexDir)
	}
	os.Exit(code)
}
