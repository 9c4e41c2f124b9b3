package crm

import "github.com/rapport-crm/rapport/locale"

// auditFieldWords are the English words of the field codes the audit trail
// records (its changes and its messages' field lists); the catalogues
// translate them. A code without a word here is shown as it is.
var auditFieldWords = map[string]string{
	"first_name": "First name", "last_name": "Last name", "kind": "Kind", "title": "Title", "bio": "Bio",
	"city": "City", "region": "Region", "country": "Country", "stage": "Stage", "lawful_basis": "Lawful basis",
	"consent_state": "Consent", "consent_source": "Consent source", "consent_at": "Consent date",
	"do_not_contact": "Do not contact", "owner": "Owner", "owner_id": "Owner", "languages": "Languages",
	"emails": "E-mail addresses", "phones": "Phone numbers", "channels": "Channels", "outlets": "Outlets",
	"topics": "Topics", "tags": "Tags", "type": "Type", "direction": "Direction", "subject": "Subject",
	"body": "Notes", "sentiment": "Sentiment", "occurred_at": "When", "contacts": "Contacts", "campaign": "Campaign",
	"name": "Name", "goal": "Goal", "key_messages": "Key messages", "status": "Status", "team": "Team",
	"client": "Client", "starts_at": "Starts", "ends_at": "Ends", "targets": "Targets", "rows": "Rows", "left_out": "Left out",
	"url": "Link", "outlet": "Outlet", "authors": "Authors", "published_at": "Published", "reach": "Reach",
	"role": "Role", "email": "E-mail", "due_at": "Due", "done_at": "Done", "no_reply": "No reply",
	"planned": "Planned", "pitched": "Pitched", "replied": "Replied", "interested": "Interested", "declined": "Declined",
	"covered": "Covered", "bounced": "Bounced", "done": "Done", "contact": "Contact",
	"merged": "Merged contacts", "removed_contact": "Removed contact", "restored": "Restored contact", "undone": "Undone",
	"shared": "Shared with the team", "query": "Filters", "default_view": "Default view", "default_for": "Default view of (people)", "owned_channels": "Own channels",
	"due": "Due", "interaction": "Interaction", "notes": "Notes", "embargo_until": "Embargo until",
}

// AuditField is field code f in l's words: "first_name" → "Vorname".
func AuditField(l *locale.Locale, f string) string {
	if w, ok := auditFieldWords[f]; ok {
		return l.T(w)
	}
	return f
}
