package importing

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// vcardHeader is the fixed set of columns a vCard card turns into; each is a
// field key, so the mapping of a vCard file is the identity.
var vcardHeader = []string{"id", "first_name", "last_name", "name", "title", "outlet", "role",
	"email", "email_private", "email_other", "phone", "phone_mobile", "phone_private",
	"city", "region", "country", "bio", "categories",
	"x", "instagram", "youtube", "tiktok", "facebook", "linkedin", "xing", "mastodon", "bluesky", "twitch", "blog", "podcast", "newsletter"}

var vcardCol = func() map[string]int {
	m := map[string]int{}
	for i, k := range vcardHeader {
		m[k] = i
	}
	return m
}()

// maxVCardLine bounds one logical line (a photo can be megabytes; it is skipped).
const maxVCardLine = 8 << 20

// vcardSource reads vCard 2.1, 3.0 and 4.0 cards, one record per card. A card
// cut off (no END:VCARD) becomes a record with Err and whatever it held.
type vcardSource struct {
	r       *bufio.Reader
	pending *string // a line read ahead
	card    int
}

func openVCard(data []byte, enc string) Source {
	if enc == "" {
		enc = DetectEncoding(data)
	}
	return &vcardSource{r: bufio.NewReaderSize(Decoder(enc, bytes.NewReader(data)), 64<<10)}
}

func (s *vcardSource) Header() []string { return vcardHeader }

func (s *vcardSource) Close() error { return nil }

// line returns the next physical line without its line break.
func (s *vcardSource) line() (string, error) {
	if s.pending != nil {
		l := *s.pending
		s.pending = nil
		return l, nil
	}
	var b []byte
	for {
		chunk, err := s.r.ReadSlice('\n')
		if len(b)+len(chunk) <= maxVCardLine {
			b = append(b, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && len(b) == 0 {
			return "", err
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
}

func (s *vcardSource) unread(l string) { s.pending = &l }

// logical returns the next unfolded content line: lines that begin with a
// space or tab continue the previous one (RFC 6350 §3.2), and a
// quoted-printable value ending in "=" continues on the next line verbatim
// (vCard 2.1 soft line break).
func (s *vcardSource) logical() (string, error) {
	l, err := s.line()
	if err != nil {
		return "", err
	}
	qp := strings.Contains(strings.ToUpper(nameOf(l)), "QUOTED-PRINTABLE")
	for len(l) < maxVCardLine {
		next, err := s.line()
		if err != nil {
			break
		}
		switch {
		case qp && strings.HasSuffix(l, "="):
			l = l[:len(l)-1] + next
		case len(next) > 0 && (next[0] == ' ' || next[0] == '\t'):
			l += next[1:]
		default:
			s.unread(next)
			return l, nil
		}
	}
	return l, nil
}

// nameOf is the part of a content line before its value.
func nameOf(l string) string {
	if i := valueColon(l); i >= 0 {
		return l[:i]
	}
	return l
}

// valueColon finds the colon that starts the value, skipping quoted parameters.
func valueColon(l string) int {
	quoted := false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return i
			}
		}
	}
	return -1
}

// Next returns the next card as a record.
func (s *vcardSource) Next() (Record, error) {
	for {
		l, err := s.logical()
		if errors.Is(err, io.EOF) {
			return Record{}, io.EOF
		}
		if err != nil {
			return Record{}, fmt.Errorf("read vcard: %w", err)
		}
		if strings.EqualFold(strings.TrimSpace(l), "BEGIN:VCARD") {
			break
		}
	}
	s.card++
	c := newCard()
	for {
		l, err := s.logical()
		if errors.Is(err, io.EOF) {
			return c.record(s.card, "the file ends before this card's END:VCARD: the card may be cut off"), nil
		}
		if err != nil {
			return Record{}, fmt.Errorf("read vcard: %w", err)
		}
		t := strings.TrimSpace(l)
		switch {
		case strings.EqualFold(t, "END:VCARD"):
			return c.record(s.card, ""), nil
		case strings.EqualFold(t, "BEGIN:VCARD"):
			s.unread(l)
			return c.record(s.card, "the next card begins before this card's END:VCARD: the card may be cut off"), nil
		case t == "":
			continue
		}
		c.add(parseProp(l))
	}
}
