package handlers

import (
	"encoding/base64"
	"unicode/utf8"
)

// Flash messages travel in a short-lived cookie, base64 so that any text fits.
// They are shown as text, escaped like everything else.
func encodeFlash(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func decodeFlash(s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 300 || !utf8.Valid(b) {
		return ""
	}
	return string(b)
}
