package crm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// PageMeta is what a coverage page's metadata says about it.
type PageMeta struct {
	Title, SiteName string
	Published       time.Time // zero when the page does not say
}

// PageFetcher reads the metadata of the page at a URL.
type PageFetcher func(ctx context.Context, url string) (PageMeta, error)

// Limits of reading a coverage page.
const (
	FetchTimeout  = 5 * time.Second
	FetchMaxBytes = 1 << 20
)

// NewPageFetcher returns a fetcher that reads at most FetchMaxBytes within
// FetchTimeout, follows at most 3 redirects, and refuses to connect to
// loopback, private, link-local and unspecified addresses unless
// allowPrivate (an admin setting: RAPPORT_FETCH_PRIVATE). The check runs on
// the address actually dialled, so a name that resolves to one, or a
// redirect to one, is refused too.
func NewPageFetcher(allowPrivate bool) PageFetcher {
	client := safeClient(allowPrivate, FetchTimeout, 3, 4)
	return func(ctx context.Context, url string) (PageMeta, error) {
		if _, err := NormalizeURL(url); err != nil {
			return PageMeta{}, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return PageMeta{}, err
		}
		req.Header.Set("User-Agent", "Rapport coverage reader")
		req.Header.Set("Accept", "text/html")
		resp, err := client.Do(req)
		if err != nil {
			return PageMeta{}, fmt.Errorf("fetch page: %w", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return PageMeta{}, fmt.Errorf("fetch page: status %d", resp.StatusCode)
		}
		return ParsePageMeta(io.LimitReader(resp.Body, FetchMaxBytes))
	}
}

// ParsePageMeta reads the title (og:title, else <title>), the site name
// (og:site_name) and the publication time (article:published_time,
// datePublished, date, DC.date) from an HTML document's head.
func ParsePageMeta(r io.Reader) (PageMeta, error) {
	var m PageMeta
	z := html.NewTokenizer(r)
	inTitle := false
	var title string
	for {
		switch z.Next() {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				if m.Title == "" {
					m.Title = strings.TrimSpace(title)
				}
				return m, nil
			}
			return m, z.Err()
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			switch t.Data {
			case "title":
				inTitle = true
			case "meta":
				m.meta(t)
			case "body":
				if m.Title == "" {
					m.Title = strings.TrimSpace(title)
				}
				return m, nil
			}
		case html.TextToken:
			if inTitle && title == "" {
				title = string(z.Text())
			}
		case html.EndTagToken:
			inTitle = false
		}
	}
}

func (m *PageMeta) meta(t html.Token) {
	var key, content string
	for _, a := range t.Attr {
		switch strings.ToLower(a.Key) {
		case "property", "name", "itemprop":
			key = strings.ToLower(a.Val)
		case "content":
			content = strings.TrimSpace(a.Val)
		}
	}
	switch key {
	case "og:title":
		m.Title = Truncate(content, 500)
	case "og:site_name":
		m.SiteName = Truncate(content, 200)
	case "article:published_time", "datepublished", "date", "dc.date", "pubdate":
		if !m.Published.IsZero() {
			return
		}
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02"} {
			if at, err := time.Parse(layout, content); err == nil {
				m.Published = at
				return
			}
		}
	}
}
