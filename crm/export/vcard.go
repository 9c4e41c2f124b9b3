package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// vcardWriter writes vCard 4.0 (RFC 6350) cards: text escaped (backslash,
// comma, semicolon, newline), structured values (N, ADR) escaped per
// component, lists (CATEGORIES) per item, and lines folded by folder. It is
// written by hand because go-vcard escapes neither semicolons nor list items.
type vcardWriter struct {
	fold *folder
}

func newVCard(w io.Writer) *vcardWriter { return &vcardWriter{fold: &folder{w: bufio.NewWriter(w)}} }

var textEscaper = strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// text escapes a TEXT value or one component of a structured value.
func text(s string) string { return textEscaper.Replace(s) }

func structured(parts ...string) string {
	for i, p := range parts {
		parts[i] = text(p)
	}
	return strings.Join(parts, ";")
}

func list(items []string) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = text(it)
	}
	return strings.Join(out, ",")
}

// paramValue quotes a parameter value when it holds characters that need it.
func paramValue(s string) string {
	s = strings.NewReplacer("\"", "'", "\r", " ", "\n", " ").Replace(s)
	if strings.ContainsAny(s, ",;:") {
		return `"` + s + `"`
	}
	return s
}

func (v *vcardWriter) row(r *Row) error {
	var b strings.Builder
	line := func(s string) { b.WriteString(s); b.WriteString("\r\n") }
	line("BEGIN:VCARD")
	line("VERSION:4.0")
	line(fmt.Sprintf("UID:urn:rapport:contact:%d", r.ID))
	line("FN:" + text(strings.TrimSpace(r.FirstName+" "+r.LastName)))
	line("N:" + structured(r.LastName, r.FirstName, "", "", ""))
	for i, e := range r.Emails {
		pref := ""
		if i == 0 {
			pref = ";PREF=1"
		}
		line("EMAIL" + pref + ":" + text(e))
	}
	for _, p := range r.Phones {
		line("TEL;VALUE=text:" + text(p))
	}
	if len(r.Jobs) > 0 {
		line("ORG:" + text(r.Jobs[0].Outlet))
		if r.Jobs[0].Role != "" {
			line("ROLE:" + text(r.Jobs[0].Role))
		}
	}
	if r.Title != "" {
		line("TITLE:" + text(r.Title))
	}
	if r.City != "" || r.Region != "" || r.Country != "" {
		line("ADR:" + structured("", "", "", r.City, r.Region, "", r.Country))
	}
	if cats := append(append([]string{}, r.Topics...), r.Tags...); len(cats) > 0 {
		line("CATEGORIES:" + list(cats))
	}
	for _, ch := range r.Channels {
		line("X-SOCIALPROFILE;TYPE=" + paramValue(ch.Platform) + ":" + text(ch.Handle))
	}
	line("END:VCARD")
	_, err := io.WriteString(v.fold, b.String())
	if err == nil {
		err = v.fold.err
	}
	return err
}

func (v *vcardWriter) close() error {
	if err := v.fold.flush(); err != nil {
		return err
	}
	return v.fold.w.Flush()
}

// folder folds lines longer than 75 octets as RFC 6350 asks.
type folder struct {
	w    *bufio.Writer
	line []byte
	err  error
}

func (f *folder) Write(p []byte) (int, error) {
	for _, b := range p {
		f.line = append(f.line, b)
		if b == '\n' {
			if err := f.flush(); err != nil {
				return 0, err
			}
		}
	}
	return len(p), nil
}

// flush writes the buffered line, folded.
func (f *folder) flush() error {
	line := f.line
	f.line = f.line[:0]
	limit := 75
	for len(line) > limit+2 { // +2: the CRLF does not count
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		if _, err := f.w.Write(line[:cut]); err != nil {
			f.err = err
			return err
		}
		if _, err := f.w.WriteString("\r\n "); err != nil {
			f.err = err
			return err
		}
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	_, err := f.w.Write(line)
	f.err = err
	return err
}
