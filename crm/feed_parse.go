package crm

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// FeedItem is one post of a feed as Rapport keeps it.
type FeedItem struct {
	Key                  string // the GUID, else the normalised link, else a hash of the text
	Title, Link, Summary string
	Published            time.Time // the fetch time when the feed gives none; never after it
	FutureDate, Undated  bool
}

// ErrNotAFeed is a document that is no RSS, Atom or JSON Feed (a web page, say).
var ErrNotAFeed = errors.New("the address serves no RSS, Atom or JSON feed")

// maxFeedItems bounds the items read from one document.
const maxFeedItems = 500

// ParseFeed reads an RSS 0.9x/1.0/2.0, Atom or JSON Feed document fetched at
// now. Items whose key repeats are kept once; dates in the future become now.
// Text is plain (markup removed), valid UTF-8 (any declared encoding is
// decoded) and bounded like the columns it goes to.
func ParseFeed(data []byte, now time.Time) ([]FeedItem, error) {
	data = bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	var raw []rawItem
	var err error
	switch {
	case len(data) == 0:
		return nil, fmt.Errorf("%w: the document is empty", ErrNotAFeed)
	case data[0] == '{':
		raw, err = parseJSONFeed(data)
	default:
		raw, err = parseXMLFeed(data)
	}
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := make([]FeedItem, 0, len(raw))
	for _, r := range raw {
		it := r.item(now)
		if it.Key == "" || seen[it.Key] {
			continue
		}
		seen[it.Key] = true
		out = append(out, it)
		if len(out) == maxFeedItems {
			break
		}
	}
	return out, nil
}

// rawItem is an item as the document has it.
type rawItem struct{ guid, link, title, summary, date string }

func (r rawItem) item(now time.Time) FeedItem {
	it := FeedItem{Title: Truncate(plainText(r.title), 500), Summary: Truncate(plainText(r.summary), 2000)}
	if link := strings.TrimSpace(r.link); len(link) <= 2000 {
		if _, err := NormalizeURL(link); err == nil {
			it.Link = link
		}
	}
	switch guid := cleanText(r.guid); {
	case guid != "" && len(guid) <= 500:
		it.Key = guid
	case guid != "":
		it.Key = "sha256:" + hashText(guid)
	case it.Link != "":
		it.Key, _ = NormalizeURL(it.Link)
		it.Key = Truncate(it.Key, 500)
	case it.Title != "" || it.Summary != "":
		it.Key = "sha256:" + hashText(it.Title+"\n"+it.Summary)
	}
	it.Published, it.Undated = parseFeedDate(r.date), false
	switch {
	case it.Published.IsZero():
		it.Published, it.Undated = now, true
	case it.Published.After(now):
		it.Published, it.FutureDate = now, true
	}
	it.Published = it.Published.UTC()
	return it
}

func hashText(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}

var feedDateLayouts = []string{time.RFC1123Z, time.RFC1123, time.RFC3339, time.RFC822Z, time.RFC822,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}

func parseFeedDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, l := range feedDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// cleanText is s as valid UTF-8 without NUL and surrounding space.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.TrimSpace(strings.ReplaceAll(s, "\x00", ""))
}

// plainText removes markup (feeds put HTML in titles and summaries) and
// collapses white space.
func plainText(s string) string {
	s = cleanText(s)
	if !strings.ContainsAny(s, "<&") {
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			b.Write(z.Text())
			b.WriteByte(' ')
		}
	}
}

type jsonFeed struct {
	Version string `json:"version"`
	Items   []struct {
		ID            json.RawMessage `json:"id"` // a string by the spec; some write numbers
		URL           string          `json:"url"`
		Title         string          `json:"title"`
		Summary       string          `json:"summary"`
		ContentText   string          `json:"content_text"`
		ContentHTML   string          `json:"content_html"`
		DatePublished string          `json:"date_published"`
	} `json:"items"`
}

func parseJSONFeed(data []byte) ([]rawItem, error) {
	var f jsonFeed
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: broken JSON (%s)", ErrNotAFeed, jsonErrorText(err))
	}
	if !strings.Contains(f.Version, "jsonfeed.org") {
		return nil, fmt.Errorf("%w: JSON without a JSON Feed version", ErrNotAFeed)
	}
	out := make([]rawItem, 0, len(f.Items))
	for _, it := range f.Items {
		id := strings.Trim(string(it.ID), `"`)
		summary := it.Summary
		for _, alt := range []string{it.ContentText, it.ContentHTML} {
			if summary == "" {
				summary = alt
			}
		}
		out = append(out, rawItem{guid: id, link: it.URL, title: it.Title, summary: summary, date: it.DatePublished})
	}
	return out, nil
}

func jsonErrorText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("at byte %d", se.Offset)
	}
	return "wrong structure"
}

type xmlItem struct {
	GUID string `xml:"guid"`
	ID   string `xml:"id"`
	Link []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
		Text string `xml:",chardata"`
	} `xml:"link"`
	Title       string `xml:"title"`
	Description string `xml:"description"`
	Summary     string `xml:"summary"`
	Content     string `xml:"content"`
	PubDate     string `xml:"pubDate"`
	Date        string `xml:"date"` // dc:date (RSS 1.0)
	Published   string `xml:"published"`
	Updated     string `xml:"updated"`
}

func (x xmlItem) raw() rawItem {
	r := rawItem{guid: x.GUID, title: x.Title, summary: x.Description}
	if r.guid == "" {
		r.guid = x.ID
	}
	for _, l := range x.Link {
		if l.Href != "" && (l.Rel == "" || l.Rel == "alternate") && r.link == "" {
			r.link = l.Href
		} else if l.Href == "" && r.link == "" {
			r.link = l.Text
		}
	}
	for _, alt := range []string{x.Summary, x.Content} {
		if r.summary == "" {
			r.summary = alt
		}
	}
	for _, d := range []string{x.PubDate, x.Published, x.Date, x.Updated} {
		if r.date == "" {
			r.date = d
		}
	}
	return r
}

// parseXMLFeed reads RSS (items under channel, or under the root in RSS
// 1.0) or Atom (entries under feed); a root of html is a web page.
func parseXMLFeed(data []byte) ([]rawItem, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil, fmt.Errorf("%w: no elements", ErrNotAFeed)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: broken XML (%s)", ErrNotAFeed, xmlErrorText(err))
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		var doc struct {
			Channel struct {
				Items []xmlItem `xml:"item"`
			} `xml:"channel"`
			Items   []xmlItem `xml:"item"`
			Entries []xmlItem `xml:"entry"`
		}
		switch strings.ToLower(start.Name.Local) {
		case "rss", "rdf", "feed":
		case "html":
			return nil, fmt.Errorf("%w: it is a web page", ErrNotAFeed)
		default:
			return nil, fmt.Errorf("%w: the document is <%s>", ErrNotAFeed, Truncate(start.Name.Local, 40))
		}
		if err := dec.DecodeElement(&doc, &start); err != nil {
			return nil, fmt.Errorf("%w: broken XML (%s)", ErrNotAFeed, xmlErrorText(err))
		}
		items := append(append(doc.Channel.Items, doc.Items...), doc.Entries...)
		out := make([]rawItem, len(items))
		for i, x := range items {
			out[i] = x.raw()
		}
		return out, nil
	}
}

// xmlErrorText says where the XML broke, without quoting the document.
func xmlErrorText(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("line %d", se.Line)
	}
	if strings.Contains(err.Error(), "charset") {
		return "unknown character encoding"
	}
	return "wrong structure"
}
