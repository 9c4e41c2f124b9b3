package crm

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/ent/schema"
)

// Messages of invalid custom values (catalogue IDs: the form shows them
// in the user's language beside the field).
const (
	msgCustomNumber  = "Enter a number such as 12 or 12.5."
	msgCustomDate    = "Enter a date such as 2026-12-24 or 24.12.2026."
	msgCustomChoice  = "Choose one of the offered values."
	msgCustomURL     = "Enter an address starting with https://."
	msgCustomBool    = "Choose yes or no."
	msgCustomLong    = "At most 1,000 characters."
	msgCustomUnknown = "This field does not exist (any more)."
)

// CustomFormName is the form field of a custom field's value.
func CustomFormName(key string) string { return "custom." + key }

// Parse reads a value of f from what a form or an import cell says: one
// string for most types, several (or one comma-separated) for multi-choice.
// Nothing entered is nil; a value that does not fit is an error message.
func (f CustomField) Parse(raw []string) (any, string) {
	var parts []string
	for _, r := range raw {
		if f.Type == FieldMulti {
			parts = append(parts, strings.Split(r, ",")...)
		} else {
			parts = append(parts, r)
		}
	}
	parts = cleanList(parts)
	if len(parts) == 0 {
		return nil, ""
	}
	s := strings.Join(parts, " ")
	switch f.Type {
	case FieldText:
		if utf8.RuneCountInString(s) > maxCustomText {
			return nil, msgCustomLong
		}
		return s, ""
	case FieldNumber:
		n, ok := parseNumber(s)
		if !ok {
			return nil, msgCustomNumber
		}
		return n, ""
	case FieldDate:
		d, ok := parseDay(s)
		if !ok {
			return nil, msgCustomDate
		}
		return d, ""
	case FieldURL:
		if !validURL(s) {
			return nil, msgCustomURL
		}
		return s, ""
	case FieldBool:
		b, ok := parseYesNo(s)
		if !ok {
			return nil, msgCustomBool
		}
		return b, ""
	case FieldChoice:
		c, ok := f.choice(s)
		if !ok {
			return nil, msgCustomChoice
		}
		return c, ""
	case FieldMulti:
		var out []string
		for _, p := range parts {
			c, ok := f.choice(p)
			if !ok {
				return nil, msgCustomChoice
			}
			out = append(out, c)
		}
		return out, ""
	}
	return nil, msgCustomUnknown
}

// choice is the offered spelling of s (case-blind).
func (f CustomField) choice(s string) (string, bool) {
	for _, c := range f.Choices {
		if strings.EqualFold(c, s) {
			return c, true
		}
	}
	return "", false
}

// parseNumber reads 12, -3, 12.5 or 12,5 (the last of a point and a comma
// is the decimal mark: 1.234,5 and 1,234.5 are the same number).
func parseNumber(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case comma > dot:
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	case dot > comma && comma >= 0:
		s = strings.ReplaceAll(s, ",", "")
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
		return 0, false
	}
	return n, true
}

// parseDay reads 2026-12-24, 24.12.2026 or 24.12.26 as "2026-12-24".
func parseDay(s string) (string, bool) {
	for _, layout := range []string{time.DateOnly, "2.1.2006", "2.1.06"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && utf8.RuneCountInString(s) <= 500
}

// parseYesNo reads yes/no in English and German (ja/nein), true/false, 1/0.
func parseYesNo(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "ja", "j", "true", "1", "x":
		return true, true
	case "no", "n", "nein", "false", "0":
		return false, true
	}
	return false, false
}

// ParseForm reads the values of fs from a form (name "custom.KEY"); every
// field of fs is read, so a field left empty loses its value. Errors are
// keyed by the form names.
func (fs CustomFields) ParseForm(get func(name string) []string) (schema.CustomValues, FieldErrors) {
	out, fe := schema.CustomValues{}, FieldErrors{}
	for _, f := range fs {
		v, msg := f.Parse(get(CustomFormName(f.Key)))
		if msg != "" {
			fe.Add(CustomFormName(f.Key), msg)
			continue
		}
		if v != nil {
			out[f.Key] = v
		}
	}
	if len(out) == 0 {
		out = nil
	}
	return out, fe
}

// Check validates typed values (the API's, the writer's): each key must be a
// field of fs and each value of its type, as Parse would give it.
func (fs CustomFields) Check(vals schema.CustomValues) FieldErrors {
	fe := FieldErrors{}
	for k, v := range vals {
		f, ok := fs.ByKey(k)
		if !ok {
			fe.Add(CustomFormName(k), msgCustomUnknown)
			continue
		}
		got, msg := f.Parse(CustomStrings(v))
		if msg == "" && !sameCustom(got, v) {
			msg = f.typeMessage()
		}
		if msg != "" {
			fe.Add(CustomFormName(k), msg)
		}
	}
	return fe
}

func (f CustomField) typeMessage() string {
	switch f.Type {
	case FieldNumber:
		return msgCustomNumber
	case FieldDate:
		return msgCustomDate
	case FieldURL:
		return msgCustomURL
	case FieldBool:
		return msgCustomBool
	case FieldChoice, FieldMulti:
		return msgCustomChoice
	}
	return msgCustomLong
}

// CustomStrings is a stored value as the strings a form or a cell shows:
// a number without trailing zeros, yes/no, each choice of a multi-choice.
func CustomStrings(v any) []string {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return []string{v}
	case float64:
		return []string{strconv.FormatFloat(v, 'f', -1, 64)}
	case int:
		return []string{strconv.Itoa(v)}
	case int64:
		return []string{strconv.FormatInt(v, 10)}
	case json.Number:
		return []string{v.String()}
	case bool:
		if v {
			return []string{"yes"}
		}
		return []string{"no"}
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			out = append(out, CustomStrings(x)...)
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}

// CustomText is a stored value as one line of text (multi-choice joined by
// ", "): what an export cell, the search document and the audit trail hold.
func CustomText(v any) string { return strings.Join(CustomStrings(v), ", ") }

// normalizeCustom brings values read from JSON to the types Parse gives
// (lists of strings, float64 numbers) and drops empty ones; nil when none.
func normalizeCustom(vals schema.CustomValues) schema.CustomValues {
	if len(vals) == 0 {
		return nil
	}
	out := make(schema.CustomValues, len(vals))
	for k, v := range vals {
		switch x := v.(type) {
		case nil:
			continue
		case string:
			if x = strings.TrimSpace(x); x == "" {
				continue
			}
			v = x
		case []any:
			l := CustomStrings(x)
			if len(l) == 0 {
				continue
			}
			v = l
		case []string:
			if len(x) == 0 {
				continue
			}
		case int:
			v = float64(x)
		case int64:
			v = float64(x)
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				continue
			}
			v = f
		}
		out[k] = v
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// sameCustom reports whether two values are alike: lists element-wise
// (as JSON decodes them or as Parse makes them), anything else by value
// (never a panic on values a client sent, such as objects).
func sameCustom(a, b any) bool {
	if isList(a) || isList(b) {
		return isList(a) && isList(b) && slices.Equal(CustomStrings(a), CustomStrings(b))
	}
	return reflect.DeepEqual(a, b)
}

func isList(v any) bool {
	switch v.(type) {
	case []string, []any:
		return true
	}
	return false
}

// sameCustomValues reports whether two records' values are alike.
func sameCustomValues(a, b schema.CustomValues) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !sameCustom(v, w) {
			return false
		}
	}
	return true
}
