package importing

import (
	"bytes"
	"io"
	"strings"
)

// prop is one parsed content line: group.NAME;params:value.
type prop struct {
	group, name string
	params      map[string][]string // upper-cased keys; bare 2.1 types under TYPE
	value       string              // decoded (quoted-printable, charset), still escaped
}

func parseProp(l string) prop {
	i := valueColon(l)
	if i < 0 {
		return prop{}
	}
	head, value := l[:i], l[i+1:]
	parts := splitQuoted(head, ';')
	p := prop{params: map[string][]string{}}
	p.name = strings.ToUpper(strings.TrimSpace(parts[0]))
	if g, n, ok := strings.Cut(p.name, "."); ok {
		p.group, p.name = g, n
	}
	for _, raw := range parts[1:] {
		k, v, ok := strings.Cut(raw, "=")
		if !ok { // vCard 2.1: ;WORK;VOICE;PREF;QUOTED-PRINTABLE
			k, v = "TYPE", raw
			if u := strings.ToUpper(raw); u == "QUOTED-PRINTABLE" || u == "BASE64" {
				k = "ENCODING"
			}
		}
		k = strings.ToUpper(strings.TrimSpace(k))
		for _, x := range splitQuoted(v, ',') {
			p.params[k] = append(p.params[k], strings.ToLower(strings.Trim(strings.TrimSpace(x), `"`)))
		}
	}
	enc := strings.ToUpper(p.param("ENCODING"))
	switch enc {
	case "QUOTED-PRINTABLE":
		value = decodeQP(value)
	case "B", "BASE64":
		value = "" // photos, sounds, keys: nothing a contact list imports
	}
	if cs := p.param("CHARSET"); cs != "" && cs != "utf-8" {
		value = decodeCharset(cs, value)
	}
	p.value = value
	return p
}

func (p prop) param(k string) string {
	if v := p.params[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (p prop) hasType(types ...string) bool {
	for _, t := range p.params["TYPE"] {
		for _, want := range types {
			if t == want {
				return true
			}
		}
	}
	return false
}

// splitQuoted splits s at sep outside double quotes.
func splitQuoted(s string, sep byte) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// decodeQP decodes quoted-printable leniently: =XX is a byte, anything else
// (a stray "=") stays as it is.
func decodeQP(s string) string {
	var b bytes.Buffer
	for i := 0; i < len(s); i++ {
		if s[i] == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// decodeCharset converts bytes in a 2.1 CHARSET to UTF-8.
func decodeCharset(cs, s string) string {
	enc := ""
	switch cs {
	case "iso-8859-1", "latin1":
		enc = "iso-8859-1"
	case "windows-1252", "cp1252":
		enc = "windows-1252"
	case "iso-8859-15":
		enc = "iso-8859-15"
	default:
		return s
	}
	out, err := io.ReadAll(Decoder(enc, strings.NewReader(s)))
	if err != nil {
		return s
	}
	return string(out)
}

// unescape undoes vCard text escaping: \n \N \, \; \\ (and \: seen in the wild).
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// components splits a structured value at unescaped sep and unescapes each part.
func components(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == sep {
			out = append(out, unescape(s[start:i]))
			start = i + 1
		}
	}
	return append(out, unescape(s[min(start, len(s)):]))
}
