// Package testseed gives randomised tests (crash and kill tests, property
// tests) their seed: $RAPPORT_TEST_SEED when set, else the clock. The seed is
// logged when the test starts and again when it fails, so a failure can be
// rerun with the same random choices.
package testseed

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// Env is the variable that fixes the seed.
const Env = "RAPPORT_TEST_SEED"

// Get returns the seed of t and logs it.
func Get(t testing.TB) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(Env); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("%s=%q is not a seed (a number): %v", Env, v, err)
		}
	}
	t.Logf("random seed %d (rerun with %s=%d)", seed, Env, seed)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("failed with random seed %d: rerun with %s=%d", seed, Env, seed)
		}
	})
	return seed
}
