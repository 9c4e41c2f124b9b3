package crm

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseFeed(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	latin1 := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><item><guid>g1</guid><title>Gr\xfc\xdfe aus M\xfcnchen</title></item></channel></rss>"
	for _, tc := range []struct {
		name, doc, want string // want: titles and keys joined, or the error's text
		wantErr         bool
	}{
		{"ok_rss2", `<rss version="2.0"><channel><title>B</title><item><title>Erster &amp;amp; &lt;b&gt;Post&lt;/b&gt;</title><link>https://blog.example/1?utm_source=x</link><pubDate>Tue, 01 Dec 2026 10:00:00 +0100</pubDate></item></channel></rss>`,
			"Erster & Post|blog.example/1|2026-12-01T09:00:00Z", false},
		{"ok_atom", `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>tag:a,1</id><title>Atom</title><link rel="alternate" href="https://a.example/p"/><published>2026-11-30T08:00:00Z</published></entry></feed>`,
			"Atom|tag:a,1|2026-11-30T08:00:00Z", false},
		{"ok_jsonfeed", `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"7","url":"https://j.example/7","title":"JSON","date_published":"2026-12-02T00:00:00+01:00"}]}`,
			"JSON|7|2026-12-01T23:00:00Z", false},
		{"ok_rss1", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><item><title>RDF</title><link>https://r.example/x</link><dc:date>2026-12-03T00:00:00Z</dc:date></item></rdf:RDF>`,
			"RDF|r.example/x|2026-12-03T00:00:00Z", false},
		{"ok_latin1", latin1, "Grüße aus München|g1|2026-12-04T12:00:00Z", false},
		{"ok_duplicate_guids", `<rss><channel><item><guid>x</guid><title>A</title></item><item><guid>x</guid><title>B</title></item></channel></rss>`,
			"A|x|2026-12-04T12:00:00Z", false},
		{"ok_future_date", `<rss><channel><item><guid>f</guid><title>F</title><pubDate>Fri, 01 Jan 2100 00:00:00 +0000</pubDate></item></channel></rss>`,
			"F|f|2026-12-04T12:00:00Z", false},
		{"err_broken_xml", `<rss><channel><item><title>x</item></channel>`, "broken XML", true},
		{"err_html", `<!DOCTYPE html><html><head><title>Blog</title></head><body>hi</body></html>`, "web page", true},
		{"err_json_not_feed", `{"hello": "world"}`, "JSON Feed version", true},
		{"err_broken_json", `{"version": `, "broken JSON", true},
		{"err_empty", ``, "empty", true},
		{"err_unknown_encoding", `<?xml version="1.0" encoding="x-klingon"?><rss></rss>`, "encoding", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := ParseFeed([]byte(tc.doc), now)
			if tc.wantErr {
				if err == nil || !errors.Is(err, ErrNotAFeed) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("error %v, want one saying %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range items {
				got = append(got, it.Title+"|"+it.Key+"|"+it.Published.Format(time.RFC3339))
			}
			if strings.Join(got, ";") != tc.want {
				t.Errorf("items %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseFeedInvalidUTF8(t *testing.T) {
	items, err := ParseFeed([]byte("<rss><channel><item><guid>u</guid><title>bad \xff\xfe byte\x00</title></item></channel></rss>"), time.Now())
	if err == nil && (len(items) != 1 || strings.ContainsRune(items[0].Title, 0) || !strings.Contains(items[0].Title, "bad")) {
		t.Errorf("items %+v", items)
	}
}
