package docfacts

import (
	"os"
	"path/filepath"
	"testing"
)

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 950: "950", 1000: "1,000", 5000: "5,000", 100000: "100,000", 250000: "250,000", 1000000: "1,000,000"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestCheckFails: a wrong figure, and a sentence that is gone, fail.
func TestCheckFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc.md")
	if err := os.WriteFile(path, []byte("rows are committed\nin transactions of 1,000 together"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, f := range []Fact{F(`transactions of ([\d,]+)`, Thousands(5000)), F(`batches of (\d+)`, "7")} {
		var rec recorder
		Check(&rec, path, []Fact{f})
		if !rec.failed {
			t.Errorf("%v passed", f)
		}
	}
	var rec recorder
	Check(&rec, path, []Fact{F(`committed in transactions of ([\d,]+)`, "1,000")})
	if rec.failed {
		t.Error("a wrapped sentence with the right figure failed")
	}
}

type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatal(...any)          { r.failed = true }
