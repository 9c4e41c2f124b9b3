package schema

import "regexp"

// customKey is what a custom field's key looks like: safe inside a JSON path
// and a SQL string literal on both databases.
var customKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// CustomValues are a record's custom-field values by field key: a string
// (text, date as YYYY-MM-DD, choice, URL), a number, a list of strings
// (multi-choice) or a bool (yes/no). A field without a value has no key.
type CustomValues = map[string]any
