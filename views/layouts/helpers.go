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

// testID is id when the element is the one tests look for, else nothing
// (templ leaves out an empty attribute's value but not the attribute, so
// the other copy gets a distinct one).
func testID(mark bool, id string) string {
	if mark {
		return id
	}
	return "menu-" + id
}
