package layouts

import (
	"encoding/json"
	"strings"
)

func hasPrefix(s, p string) bool { return strings.HasPrefix(s, p) }

// csrfHeader is the hx-headers value that makes htmx send the CSRF token.
func csrfHeader(token string) string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": token})
	return string(b)
}
