package importing

import (
	"strings"
	"unicode"

	"github.com/rapport-crm/rapport/crm"
)

// listStatus reads a mailing tool's subscriber status as do-not-contact:
// listmonk's "blocklisted", Mailchimp's "unsubscribed" and "cleaned".
var listStatus = map[string]bool{
	"blocklisted": true, "blacklisted": true, "unsubscribed": true, "cleaned": true,
	"enabled": false, "subscribed": false, "confirmed": false, "pending": false,
}

// systemGroups are Google Contacts' own groups, not the user's labels.
var systemGroups = map[string]bool{"mycontacts": true, "starred": true, "my contacts": true, "friends": false}

// groups splits a tags, categories or "Group Membership" cell: at ";", ","
// and line breaks (Google's " ::: " is a line break by then), without the
// quotes Mailchimp puts around each tag and without Google's system groups
// ("* myContacts", "* starred").
func groups(v string) []string {
	var out []string
	for _, g := range splitList(v, ",;\n") {
		g = strings.TrimSpace(strings.Trim(g, `"`))
		if sys, ok := strings.CutPrefix(g, "* "); ok {
			if systemGroups[strings.ToLower(sys)] {
				continue
			}
			g = sys
		}
		if g != "" {
			out = append(out, g)
		}
	}
	return out
}

// addWebsite files a web address as a channel of the platform its host
// names (youtube.com → YouTube, instagram.com → Instagram, x.com → X, …),
// any other address as a blog.
func (d *RowData) addWebsite(u string) {
	u = strings.TrimSpace(u)
	if u == "" {
		return
	}
	p := platformOf("", u)
	if p == "" {
		if !strings.Contains(u, ".") {
			d.Warnings = append(d.Warnings, probWebsite.say("Address", u))
			return
		}
		if pp := platformOf("", "https://"+strings.TrimPrefix(u, "//")+"/"); pp != "" {
			p = pp
		} else {
			p = "blog"
		}
	}
	if h := crm.NormalizeHandle(p, u); h != "" {
		for _, c := range d.Channels {
			if c.Platform == p && c.Handle == h {
				return
			}
		}
		d.Channels = append(d.Channels, crm.ChannelInput{Platform: p, Handle: h})
	}
}

// parseAddress takes city, region and country from an address in one cell:
// Mailchimp's "Street  City  State  Zip  Country" (two spaces apart) or a
// written "Hauptstraße 5, 80331 München, Deutschland".
func parseAddress(v string) (city, region, country string) {
	var parts []string
	sep := ","
	if strings.Contains(v, "  ") {
		sep = "  "
	}
	for _, p := range strings.Split(strings.ReplaceAll(v, "\n", sep), sep) {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if n := len(parts); n > 1 {
		if c, ok := countryCode(parts[n-1]); ok {
			country, parts = c, parts[:n-1]
		}
	}
	if sep == "," {
		for _, p := range parts {
			if zip, rest, ok := strings.Cut(p, " "); ok && isPostcode(zip) {
				city = strings.TrimSpace(rest)
			}
		}
		if city == "" && len(parts) > 1 {
			city = parts[len(parts)-1]
		}
		return city, "", country
	}
	if n := len(parts); n > 1 && isPostcode(parts[n-1]) {
		parts = parts[:n-1]
	}
	switch n := len(parts); {
	case n >= 3:
		return parts[n-2], parts[n-1], country
	case n == 2:
		return parts[1], "", country
	}
	return "", "", country
}

// isPostcode reports whether s looks like a postal code: 4–10 characters,
// digits with at most a few letters (80331, A-1010, SW1A).
func isPostcode(s string) bool {
	if len(s) < 4 || len(s) > 10 {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r) || r == '-' || r == ' ':
		default:
			return false
		}
	}
	return digits >= 3
}

// typedKey is the e-mail or phone field key for a value whose type column
// said typ: Google's "Home", "Mobile", "Other" beside "E-mail 1 - Value".
func typedKey(key, typ string) string {
	if typ == "" || (key != "email" && key != "phone") {
		return key
	}
	switch typ {
	case "home", "private", "privat", "zuhause":
		return key + "_private"
	case "mobile", "cell", "mobil", "handy":
		if key == "phone" {
			return "phone_mobile"
		}
	case "other", "andere":
		if key == "email" {
			return "email_other"
		}
	}
	return key
}
