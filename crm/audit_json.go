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

// appendCreatedJSON appends what created(snapshotOf(in)) encodes to, built
// straight from in: a new contact's audit snapshot without the maps, for
// the thousands of new contacts of an import batch.
func appendCreatedJSON(b []byte, in ContactInput) []byte {
	first := true
	key := func(k string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, k)
		b = append(b, ":[null,"...)
	}
	str := func(k, v string) {
		if v != "" {
			key(k)
			b = append(appendJSONString(b, v), ']')
		}
	}
	list := func(k string, vs []string) {
		if len(vs) == 0 {
			return
		}
		slices.Sort(vs)
		key(k)
		b = append(b, '[')
		for i, v := range vs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, v)
		}
		b = append(b, "]]"...)
	}
	var emails, phones, channels, outlets []string
	for _, e := range in.Emails {
		emails = append(emails, e.Address+" ("+emailType(e.Type)+")")
	}
	for _, p := range in.Phones {
		phones = append(phones, p.Number+" ("+p.Label+")")
	}
	for _, c := range in.Channels {
		channels = append(channels, c.Platform+"/"+c.Handle+": "+strconv.FormatInt(c.Followers, 10))
	}
	for _, o := range in.Outlets {
		outlets = append(outlets, o.Outlet+" – "+o.Role)
	}
	owner := 0
	if in.OwnerID != nil {
		owner = *in.OwnerID
	}
	b = append(b, '{')
	str("bio", in.Bio)
	list("channels", channels)
	str("city", in.City)
	str("consent_source", in.ConsentSource)
	str("consent_state", in.ConsentState)
	str("country", in.Country)
	if in.DoNotContact {
		key("do_not_contact")
		b = append(b, "true]"...)
	}
	list("emails", emails)
	str("first_name", in.FirstName)
	str("kind", in.Kind)
	list("languages", slices.Clone(in.Languages))
	str("last_name", in.LastName)
	str("lawful_basis", in.LawfulBasis)
	list("outlets", outlets)
	key("owner_id")
	b = append(strconv.AppendInt(b, int64(owner), 10), ']')
	list("phones", phones)
	str("region", in.Region)
	str("stage", in.Stage)
	list("tags", slices.Clone(in.Tags))
	str("title", in.Title)
	list("topics", slices.Clone(in.Topics))
	return append(b, '}')
}
