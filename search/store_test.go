package search

import (
	"os"
	"path/filepath"
	"testing"
)

// TestNewGenerationAfterAKilledBuild: a build killed before it cleaned up
// leaves gen-000002 and its scratch gen-000002.build; the next build must
// take gen-000003 (never a name that exists, such as the live gen-000001),
// and it creates the directory it will write into.
func TestNewGenerationAfterAKilledBuild(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	for _, d := range []string{"gen-000001", "gen-000002", "gen-000002.build"} {
		if err := os.Mkdir(filepath.Join(s.Dir, d), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.newGeneration()
	if err != nil || got != "gen-000003" {
		t.Fatalf("newGeneration = %q, %v; want gen-000003", got, err)
	}
	if fi, err := os.Stat(s.Path(got)); err != nil || !fi.IsDir() {
		t.Errorf("%s not created: %v", got, err)
	}
	gens, err := s.generations()
	if err != nil || len(gens) != 3 || gens[2] != "gen-000003" {
		t.Errorf("generations = %v, %v", gens, err)
	}
}
