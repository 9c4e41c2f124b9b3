package routes

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// splitURL is URL as it was first written (split the path, replace the
// parameters): the one-pass URL must give the same for every route.
func splitURL(path string, args ...any) string {
	parts := strings.Split(path, "/")
	n := 0
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = url.PathEscape(fmt.Sprint(args[n]))
			n++
		}
	}
	return strings.Join(parts, "/")
}

func TestURLEveryRoute(t *testing.T) {
	for _, r := range Table {
		n := strings.Count(r.Path, "/:")
		for _, arg := range []any{42, "a b/ü", int64(7)} {
			args := make([]any, n)
			for i := range args {
				args[i] = arg
			}
			if got, want := URL(r.Name, args...), splitURL(r.Path, args...); got != want {
				t.Errorf("%s %v: %q, want %q", r.Name, args, got, want)
			}
		}
	}
}
