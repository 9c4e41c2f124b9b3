// Package components holds the templ pieces that pages share: form fields,
// the timeline, pagers. They take plain values and know nothing of HTTP.
package components

import (
	"fmt"
	"strings"
	"time"
)

// labels holds the English UI words for enum values, in one place so that a
// German translation has one file to replace.
var labels = map[string]string{
	"": "—", "journalist": "Journalist", "blogger": "Blogger", "creator": "Creator", "advocate": "Advocate",
	"analyst": "Analyst", "customer": "Customer", "other": "Other",
	"unknown": "Unknown", "aware": "Aware", "engaged": "Engaged", "supporter": "Supporter",
	"none": "None recorded", "legitimate_interest": "Legitimate interest", "consent": "Consent", "contract": "Contract",
	"given": "Given", "withdrawn": "Withdrawn", "objected": "Objected",
	"x": "X", "youtube": "YouTube", "instagram": "Instagram", "tiktok": "TikTok", "facebook": "Facebook",
	"linkedin": "LinkedIn", "xing": "XING", "mastodon": "Mastodon", "bluesky": "Bluesky", "twitch": "Twitch",
	"blog": "Blog", "podcast": "Podcast", "newsletter": "Newsletter",
	"email": "E-mail", "call": "Call", "meeting": "Meeting", "event": "Event", "dm": "Direct message",
	"comment": "Comment", "mention": "Mention", "pitch": "Pitch", "coverage": "Coverage", "note": "Note",
	"outbound": "Outbound", "inbound": "Inbound", "positive": "Positive", "neutral": "Neutral", "negative": "Negative",
	"work": "Work", "private": "Private", "mobile": "Mobile",
	"newspaper": "Newspaper", "magazine": "Magazine", "trade": "Trade magazine", "online": "Online",
	"tv": "TV", "radio": "Radio", "agency": "Agency", "company": "Company",
	"admin": "Admin", "manager": "Manager", "staff": "Staff",
	"name": "Name", "last_interaction": "Last interaction", "reach": "Reach",
}

// Label is the UI word for an enum value.
func Label(v string) string {
	if l, ok := labels[v]; ok {
		return l
	}
	return v
}

// Number formats n with thin thousands separators: 12 345.
func Number(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + Number(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Date formats a time as 12 Mar 2025.
func Date(t time.Time) string { return t.Format("2 Jan 2006") }

// DateTime formats a time as 12 Mar 2025, 14:05.
func DateTime(t time.Time) string { return t.Format("2 Jan 2006, 15:04") }

// Ago says how long ago t was, coarsely: today, 3 days ago, 5 months ago.
func Ago(t *time.Time, now time.Time) string {
	if t == nil {
		return "never"
	}
	d := now.Sub(*t)
	switch days := int(d.Hours() / 24); {
	case days < 1:
		return "today"
	case days == 1:
		return "yesterday"
	case days < 60:
		return fmt.Sprintf("%d days ago", days)
	case days < 730:
		return fmt.Sprintf("%d months ago", days/30)
	default:
		return fmt.Sprintf("%d years ago", days/365)
	}
}
