package importing

import (
	"net/url"
	"strings"

	"github.com/rapport-crm/rapport/crm"
)

// platformLabels maps what address books and spreadsheets call a channel to
// Rapport's platform.
var platformLabels = map[string]string{
	"twitter": "x", "x": "x", "x/twitter": "x", "twitter/x": "x",
	"instagram": "instagram", "insta": "instagram", "youtube": "youtube", "yt": "youtube",
	"tiktok": "tiktok", "facebook": "facebook", "fb": "facebook", "linkedin": "linkedin",
	"xing": "xing", "mastodon": "mastodon", "bluesky": "bluesky", "bsky": "bluesky",
	"twitch": "twitch", "blog": "blog", "homepage": "blog", "home": "blog", "website": "blog",
	"webseite": "blog", "web": "blog", "work": "blog", "podcast": "podcast", "newsletter": "newsletter",
}

// platformOf names the platform of a web address or handle: by its label
// when the label is a platform, else by the host; other web addresses are
// filed as blogs. It returns "" for a bare handle without a label.
func platformOf(label, v string) string {
	if p, ok := platformLabels[strings.ToLower(strings.TrimSpace(label))]; ok && p != "blog" {
		return p
	}
	if u := webURL(v); u != nil {
		if p := crm.PlatformOfHost(u.Host); p != "" {
			return p
		}
		if strings.HasPrefix(u.Path, "/@") {
			return "mastodon"
		}
		return "blog"
	}
	if p, ok := platformLabels[strings.ToLower(strings.TrimSpace(label))]; ok {
		return p
	}
	return ""
}

func webURL(v string) *url.URL {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "@") || !strings.Contains(v, ".") || strings.ContainsAny(v, " \t") {
		return nil
	}
	if !strings.Contains(v, "://") {
		if !strings.Contains(v, "/") {
			return nil
		}
		v = "https://" + v
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return nil
	}
	return u
}
