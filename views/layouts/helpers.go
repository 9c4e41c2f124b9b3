package layouts

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/search"
)

// maxText is the maxlength of the search box: the limit on search text.
var maxText = strconv.Itoa(search.MaxTextChars)

func hasPrefix(s, p string) bool { return strings.HasPrefix(s, p) }

// csrfHeader is the hx-headers value that makes htmx send the CSRF token.
func csrfHeader(token string) string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": token})
	return string(b)
}
