package crm

import (
	"net/url"
	"strings"
)

// profileHosts maps a platform to the hosts whose URLs name a handle, and the
// path prefix before the handle.
var profileHosts = map[string]struct {
	hosts  []string
	prefix string
}{
	"x":         {[]string{"x.com", "twitter.com", "mobile.twitter.com"}, ""},
	"instagram": {[]string{"instagram.com"}, ""},
	"tiktok":    {[]string{"tiktok.com"}, ""},
	"youtube":   {[]string{"youtube.com", "m.youtube.com"}, ""},
	"facebook":  {[]string{"facebook.com", "m.facebook.com"}, ""},
	"linkedin":  {[]string{"linkedin.com"}, "in/"},
	"xing":      {[]string{"xing.com"}, "profile/"},
	"twitch":    {[]string{"twitch.tv"}, ""},
	"bluesky":   {[]string{"bsky.app"}, "profile/"},
}

// PlatformOfHost names the platform whose profiles live at host ("www."
// and case ignored), or "" for any other host. youtu.be, YouTube's short
// links to videos, counts as YouTube. It is the one table of platform hosts:
// handles, imports and exports all read profileHosts.
func PlatformOfHost(host string) string {
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	if host == "youtu.be" {
		return "youtube"
	}
	for p, ph := range profileHosts {
		if hostIn(host, ph.hosts) {
			return p
		}
	}
	return ""
}

// NormalizeHandle turns what people paste (@name, x.com/name,
// https://twitter.com/Name?s=20, youtube.com/@Name) into the stored handle:
// lower case, no @, no URL. For blogs, podcasts and newsletters the handle is
// the address without scheme, "www." and trailing slash. It returns "" when
// nothing usable is left.
func NormalizeHandle(platform, raw string) string {
	s := strings.TrimSpace(raw)
	if s == "" {
		return ""
	}
	lower := strings.ToLower(s)
	switch platform {
	case "blog", "podcast", "newsletter":
		return strings.TrimSuffix(stripScheme(lower), "/")
	case "mastodon":
		// @user@instance.social or https://instance.social/@user
		if u := parseURL(lower); u != nil && strings.HasPrefix(u.Path, "/@") {
			return strings.Trim(u.Path[2:], "/") + "@" + strings.TrimPrefix(u.Host, "www.")
		}
		return strings.TrimPrefix(lower, "@")
	}
	if u := parseURL(lower); u != nil {
		if ph, ok := profileHosts[platform]; ok && hostIn(u.Host, ph.hosts) {
			p := strings.TrimPrefix(strings.Trim(u.Path, "/"), ph.prefix)
			if platform == "youtube" { // youtube.com/c/Name, /user/Name, /channel/ID
				for _, pre := range []string{"c/", "user/", "channel/"} {
					p = strings.TrimPrefix(p, pre)
				}
			}
			if i := strings.IndexByte(p, '/'); i >= 0 {
				p = p[:i]
			}
			return strings.TrimPrefix(p, "@")
		}
	}
	return strings.TrimPrefix(lower, "@")
}

// parseURL parses s as a URL when it looks like one (with or without scheme).
func parseURL(s string) *url.URL {
	if !strings.Contains(s, "/") || strings.HasPrefix(s, "@") {
		return nil
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil
	}
	return u
}

func hostIn(host string, hosts []string) bool {
	host = strings.TrimPrefix(host, "www.")
	for _, h := range hosts {
		if host == h {
			return true
		}
	}
	return false
}

func stripScheme(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	return strings.TrimPrefix(s, "www.")
}

// ProfileURL returns the public address of a handle on a platform, or "" when
// the platform has no fixed address scheme.
func ProfileURL(platform, handle string) string {
	switch platform {
	case "x":
		return "https://x.com/" + handle
	case "instagram":
		return "https://www.instagram.com/" + handle
	case "tiktok":
		return "https://www.tiktok.com/@" + handle
	case "youtube":
		return "https://www.youtube.com/@" + handle
	case "facebook":
		return "https://www.facebook.com/" + handle
	case "linkedin":
		return "https://www.linkedin.com/in/" + handle
	case "xing":
		return "https://www.xing.com/profile/" + handle
	case "twitch":
		return "https://www.twitch.tv/" + handle
	case "bluesky":
		return "https://bsky.app/profile/" + handle
	case "mastodon":
		if user, host, ok := strings.Cut(handle, "@"); ok {
			return "https://" + host + "/@" + user
		}
	case "blog", "podcast", "newsletter":
		return "https://" + handle
	}
	return ""
}
