package locale

import "context"

// labels are the English words of enum values (stages, consent, interaction
// types…); the catalogues translate those words. Machine formats (CSV, JSON,
// the API) keep the codes.
var labels = map[string]string{
	"": "—", "journalist": "Journalist", "blogger": "Blogger", "creator": "Creator", "advocate": "Advocate",
	"analyst": "Analyst", "customer": "Customer", "other": "enum.other",
	"unknown": "Unknown", "aware": "Aware", "engaged": "Engaged", "supporter": "Supporter",
	"none": "None recorded", "legitimate_interest": "Legitimate interest", "consent": "Consent", "contract": "Contract",
	"given": "Given", "withdrawn": "Withdrawn", "objected": "Objected",
	"x": "X", "youtube": "YouTube", "instagram": "Instagram", "tiktok": "TikTok", "facebook": "Facebook",
	"linkedin": "LinkedIn", "xing": "XING", "mastodon": "Mastodon", "bluesky": "Bluesky", "twitch": "Twitch",
	"blog": "Blog", "social": "Social media", "podcast": "Podcast", "newsletter": "Newsletter",
	"email": "E-mail", "call": "Call", "meeting": "Meeting", "event": "Event", "dm": "Direct message",
	"comment": "Comment", "mention": "Mention", "pitch": "Pitch", "coverage": "Coverage", "note": "Note",
	"outbound": "Outbound", "inbound": "Inbound", "positive": "Positive", "neutral": "Neutral", "negative": "Negative",
	"work": "Work", "private": "Private", "mobile": "Mobile",
	"newspaper": "Newspaper", "magazine": "Magazine", "trade": "Trade magazine", "online": "Online",
	"tv": "TV", "radio": "Radio", "agency": "Agency", "company": "Company",
	"admin": "Admin", "manager": "Manager", "staff": "Staff",
	"name": "Name", "last_interaction": "Last interaction", "reach": "Reach",
	"planned": "Planned", "pitched": "Pitched", "replied": "Replied", "interested": "Interested", "declined": "Declined",
	"covered": "Covered", "bounced": "Bounced", "no_reply": "No reply", "running": "Running", "done": "Done",
	"article": "Article", "broadcast": "Broadcast", "blog_post": "Blog post", "social_post": "Social post", "video": "Video",
	"advocate_recommendation": "Advocate recommendation", "access": "Access", "erasure": "Erasure", "open": "enum.open",
	"needs_info": "Needs information", "approved": "Approved", "rejected": "Rejected", "pending_approval": "Waiting for approval",
	"failed": "Failed", "pending": "Pending", "delivered": "Delivered", "queued": "Queued", "undoing": "Being undone",
	"undone": "Undone", "interrupted": "Interrupted", "promote": "Promotion", "demote": "Demotion", "read": "Read",
	"write": "Read and write", "kept": "Kept", "approve": "Approve", "reject": "Reject", "city": "City", "region": "Region",
	"list": "From a list", "hand": "By hand", "relevance": "Relevance", "post": "Post",
	"merge": "merged", // a consent event that closes a merge (crm.ChangedMerge)
}

// Label is the word for an enum value in ctx's locale; a value it does not
// know is shown as it is.
func Label(ctx context.Context, v string) string { return From(ctx).Label(v) }

// Label is the word for an enum value.
func (l *Locale) Label(v string) string {
	if w, ok := labels[v]; ok {
		return l.T(w)
	}
	return v
}

// EnumLabels are the enum codes and their English words (for the tests).
func EnumLabels() map[string]string {
	out := make(map[string]string, len(labels))
	for k, v := range labels {
		out[k] = v
	}
	return out
}
