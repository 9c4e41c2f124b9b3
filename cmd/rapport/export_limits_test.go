package main

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExportQueryOverTheLimits: `rapport export --query` refuses text over
// the limits on search text at once, saying the limit, before it opens the
// database (before, 600 KB went to a LIKE over every contact).
func TestExportQueryOverTheLimits(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RAPPORT_DATA_DIR", dir)
	for _, tt := range []struct{ name, q, want string }{
		{"err_600k", strings.Repeat("x", 600_000), "--query: The search text is too long: at most 500 characters."},
		{"err_21_words", strings.Repeat("Müller ", 21), "--query: The search text has too many words: at most 20 words."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := run(t.Context(), []string{"export", "--query", tt.q, "--format", "csv", "--purpose", "Presse",
				"--out", filepath.Join(dir, "out.csv")}, nil, io.Discard, io.Discard)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
			if took := time.Since(start); took > time.Second {
				t.Errorf("refusing took %v", took)
			}
		})
	}
}
