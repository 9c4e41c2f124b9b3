package crm

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// appendChangesJSON appends ch as JSON, as json.Marshal would give it back
// to a reader (keys sorted), without reflection for the values a contact's
// snapshot holds (strings, lists of strings, booleans, ints, nil): an
// import writes one snapshot per new contact, thousands per batch. Other
// values go through json.Marshal.
func appendChangesJSON(b []byte, ch Changes) ([]byte, error) {
	keys := make([]string, 0, len(ch))
	for k := range ch {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':', '[')
		var err error
		if b, err = appendJSONValue(b, ch[k][0]); err != nil {
			return nil, err
		}
		b = append(b, ',')
		if b, err = appendJSONValue(b, ch[k][1]); err != nil {
			return nil, err
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendJSONString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case []string:
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		return append(b, ']'), nil
	}
	j, err := json.Marshal(v)
	return append(b, j...), err
}

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes U+FFFD
// as with json.Marshal.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\\ufffd"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// appendArgsJSON appends an audit message's arguments as a JSON object,
// keys sorted.
func appendArgsJSON(b []byte, args map[string]string) []byte {
	b = append(b, '{')
	for i, k := range slices.Sorted(mapKeys(args)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, args[k])
	}
	return append(b, '}')
}
