package crm

import (
	"errors"

	"github.com/rapport-crm/rapport/search"
)

// CheckText applies the limits on search text (search.CheckText: length,
// words, valid UTF-8) to the value of a form field, as an EInvalid error
// whose message and field message say the limit. Every path that takes free
// text calls it before the text reaches the index or a LIKE: the search
// page, the contact list, segments, exports (web and command line).
func CheckText(field, text string) error {
	var te *search.TextError
	if err := search.CheckText(text); errors.As(err, &te) {
		return &Error{Code: EInvalid, Message: te.Message, Fields: map[string]string{field: te.Message}}
	}
	return nil
}
