package crm

import "time"

// The sentences of the audit trail. Each is registered once with its
// arguments' kinds (how a page formats them) and made by the constructor
// below it; active.de.toml (and active.en.toml for plural forms) holds the
// words (TestAuditMessagesHaveCatalogueEntries). A new sentence is one
// more pair here; a changed one is a new ID (old events keep theirs).

func text(name string) arg   { return arg{name, ArgText} }
func number(name string) arg { return arg{name, ArgNumber} }
func recID(name string) arg  { return arg{name, ArgID} }
func enum(name string) arg   { return arg{name, ArgEnum} }
func date(name string) arg   { return arg{name, ArgDate} }
func fields(name string) arg { return arg{name, ArgFields} }

// bulkWhat is a bulk action's description; the message stores "Action" and
// "Arg" beside it (ArgBulk).
func bulkWhat(name string) arg { return arg{name, ArgBulk} }

// policies is a retention sweep's policies with counts (ArgPolicies).
func policies(name string) arg { return arg{name, ArgPolicies} }

// Constant sentences (their IDs are the summaries events stored before
// messages existed, so old events say them in the reader's words too).
var (
	msgSingleSignOn      = auditMessage("single sign-on")
	msgAnswered          = auditMessage("answered")
	msgKeptAfterReview   = auditMessage("kept after retention review")
	msgInformationAdded  = auditMessage("information added")
	msgMailSettings      = auditMessage("mail settings")
	msgDemoData          = auditMessage("Demo data")
	msgPlacesCanonical   = auditMessage("Place names made canonical")
	msgWebhookEnabled    = auditMessage("Webhook enabled")
	msgContactErased     = auditMessage("contact and its own interactions erased")
	msgErasedArt17       = auditMessage("erased (Art. 17)")
	msgStageByNomination = auditMessage("stage (nomination approved)") // events written before MsgNominationApproved
	msgDefaultView       = auditMessage("Default view changed")
)

// MsgDefaultView: a user's default view of a list set or cleared.
func MsgDefaultView() AuditMsg { return msgDefaultView.of() }

// MsgSingleSignOn: a sign-in through the identity provider.
func MsgSingleSignOn() AuditMsg { return msgSingleSignOn.of() }

// MsgAnswered: a privacy request marked answered.
func MsgAnswered() AuditMsg { return msgAnswered.of() }

// MsgKeptAfterReview: a contact kept after the retention review.
func MsgKeptAfterReview() AuditMsg { return msgKeptAfterReview.of() }

// MsgInformationAdded: a nomination's missing information supplied.
func MsgInformationAdded() AuditMsg { return msgInformationAdded.of() }

// MsgMailSettings: the mail settings changed.
func MsgMailSettings() AuditMsg { return msgMailSettings.of() }

// MsgDemoData: a contact of the demo data.
func MsgDemoData() AuditMsg { return msgDemoData.of() }

// MsgPlacesCanonical: a contact's place names made canonical.
func MsgPlacesCanonical() AuditMsg { return msgPlacesCanonical.of() }

// MsgWebhookEnabled: a webhook switched on again.
func MsgWebhookEnabled() AuditMsg { return msgWebhookEnabled.of() }

// MsgContactErased: a contact deleted with its own interactions.
func MsgContactErased() AuditMsg { return msgContactErased.of() }

// MsgErasedArt17: a person erased on request (Art. 17).
func MsgErasedArt17() AuditMsg { return msgErasedArt17.of() }

var (
	msgFieldsChanged = auditMessage("Changed: {{.Fields}}", fields("Fields"))
	msgNamed         = auditMessage("“{{.Name}}”", text("Name"))
	msgWebhook       = auditMessage("Webhook to {{.URL}}", text("URL"))
	msgSignInAs      = auditMessage("sign-in as {{.Email}}", text("Email"))
	msgRoleChange    = auditMessage("{{.From}} → {{.To}}", enum("From"), enum("To"))
	msgAPIToken      = auditMessage("“{{.Name}}” ({{.Scope}})", text("Name"), enum("Scope"))
	msgTypeSubject   = auditMessage("{{.Type}}: {{.Subject}}", enum("Type"), text("Subject"))
	msgMoreContacts  = auditMessage("{{.Type}}: {{.Subject}} ({{.Count}} more contacts)", enum("Type"), text("Subject"), number("Count"))
	msgTaskDue       = auditMessage("“{{.Title}}”, due {{.Due}}", text("Title"), date("Due"))
	msgTaskDone      = auditMessage("done: {{.Title}}", text("Title"))
	msgExported      = auditMessage("{{.Count}} rows as {{.Format}}: {{.Purpose}}", number("Count"), text("Format"), text("Purpose"))
	msgExportDecided = auditMessage("Decision: {{.Decision}}", enum("Decision"))
	msgExportLeftOut = auditMessage("Downloaded without {{.Count}} contacts excluded since the export was made", number("Count"))
	msgAccessRequest = auditMessage("access request of contact #{{.Contact}}", recID("Contact"))
	msgRetention     = auditMessage("{{.Count}} due for review: {{.Policies}}", number("Count"), policies("Policies"))
	msgNominated     = auditMessage("{{.Kind}}: {{.Name}}", enum("Kind"), text("Name"))
	msgNomApproved   = auditMessage("nomination #{{.Nomination}} approved", recID("Nomination"))
	msgDecided       = auditMessage("{{.Decision}}: {{.Name}}", enum("Decision"), text("Name"))
	msgCustomRemoved = auditMessage("Custom field “{{.Label}}” removed", text("Label"))
	msgCustomRetyped = auditMessage("Custom field “{{.Label}}” changed to {{.Type}}", text("Label"), text("Type"))
)

// FieldsChanged: a record's fields changed (the fields of ch).
func FieldsChanged(ch Changes) AuditMsg { return msgFieldsChanged.of(ch) }

// MsgNamed: a record named name (a segment, saved view, client, token…).
func MsgNamed(name string) AuditMsg { return msgNamed.of(name) }

// MsgWebhook: the webhook posting to url.
func MsgWebhook(url string) AuditMsg { return msgWebhook.of(url) }

// MsgSignInAs: a failed sign-in as email.
func MsgSignInAs(email string) AuditMsg { return msgSignInAs.of(email) }

// MsgRoleChange: a user's role changed.
func MsgRoleChange(from, to string) AuditMsg { return msgRoleChange.of(from, to) }

// MsgAPIToken: an API token and its scope.
func MsgAPIToken(name, scope string) AuditMsg { return msgAPIToken.of(name, scope) }

// MsgTypeSubject: an interaction by its type and subject.
func MsgTypeSubject(typ, subject string) AuditMsg { return msgTypeSubject.of(typ, subject) }

// MsgMoreContacts: more contacts joined an interaction.
func MsgMoreContacts(typ, subject string, n int) AuditMsg { return msgMoreContacts.of(typ, subject, n) }

// MsgTaskDue: a follow-up and its due date.
func MsgTaskDue(title string, due time.Time) AuditMsg { return msgTaskDue.of(title, due) }

// MsgTaskDone: a follow-up done.
func MsgTaskDone(title string) AuditMsg { return msgTaskDone.of(title) }

// MsgExported: an export of n rows.
func MsgExported(n int, format, purpose string) AuditMsg {
	return msgExported.of(n, format, purpose)
}

// MsgExportDecided: an export approved or rejected (status code).
func MsgExportDecided(status string) AuditMsg { return msgExportDecided.of(status) }

// MsgExportLeftOut: a download of an export left out n of its members,
// whom the exclusion rules exclude since it was made.
func MsgExportLeftOut(n int) AuditMsg { return msgExportLeftOut.of(n) }

// MsgAccessRequest: an access request logged for contact id.
func MsgAccessRequest(id int) AuditMsg { return msgAccessRequest.of(id) }

// MsgRetention: a retention sweep found n contacts (policies: "key n; …").
func MsgRetention(n int, policies string) AuditMsg { return msgRetention.of(n, policies) }

// MsgStageByNomination: a stage moved by an approved nomination (the
// sentence of events written before the writer moved it: MsgNominationApproved).
func MsgStageByNomination() AuditMsg { return msgStageByNomination.of() }

// MsgNominationApproved: a contact's stage moved by approved nomination id;
// the writer adds the changed field ("nomination #12 approved: stage").
func MsgNominationApproved(id int) AuditMsg { return msgNomApproved.of(id) }

// MsgNominated: a nomination of kind for a person.
func MsgNominated(kind, name string) AuditMsg { return msgNominated.of(kind, name) }

// MsgDecided: a nomination's decision for a person.
func MsgDecided(decision, name string) AuditMsg { return msgDecided.of(decision, name) }

// MsgCustomRemoved: a custom field's values removed.
func MsgCustomRemoved(label string) AuditMsg { return msgCustomRemoved.of(label) }

// MsgCustomRetyped: a custom field's type changed.
func MsgCustomRetyped(label, typ string) AuditMsg { return msgCustomRetyped.of(label, typ) }
