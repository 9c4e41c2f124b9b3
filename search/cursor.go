package search

import (
	"encoding/base64"
	"encoding/json"
	"errors"
)

// ErrBadCursor is returned for a cursor that this search did not make.
var ErrBadCursor = errors.New("search: malformed page cursor")

// encodeAfter is the cursor of the page after the hit with sort keys keys
// (Result.Next); decodeAfter reads it back for an order of n keys.
func encodeAfter(keys []string) string {
	b, _ := json.Marshal(keys)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeAfter(s string, n int) ([]string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var keys []string
	if err == nil {
		err = json.Unmarshal(b, &keys)
	}
	if err != nil || len(keys) != n {
		return nil, ErrBadCursor
	}
	return keys, nil
}
