package importing

import "regexp"

// Outlook's CSV export ("Comma Separated Values"), English headers. The
// salutation is "Title"; the job title is "Job Title".
var outlookEN = &Layout{
	Key: "outlook", Name: "Outlook (English)",
	signature: []string{"first name", "last name", "job title", "e-mail address", "business phone"},
	columns: cols(
		"Title", "note", "First Name", "first_name", "Middle Name", "middle_name", "Last Name", "last_name",
		"Suffix", "note", "Company", "outlet", "Department", "role", "Job Title", "title",
		"Business City", "city", "Business State", "region", "Business Country/Region", "country",
		"Home City", "city", "Home State", "region", "Home Country/Region", "country",
		"Other City", "city", "Other State", "region", "Other Country/Region", "country",
		"Business Phone", "phone", "Business Phone 2", "phone", "Company Main Phone", "phone", "Primary Phone", "phone",
		"Assistant's Phone", "phone", "Callback", "phone", "Other Phone", "phone", "Car Phone", "phone_mobile",
		"Mobile Phone", "phone_mobile", "Home Phone", "phone_private", "Home Phone 2", "phone_private",
		"E-mail Address", "email", "E-mail 2 Address", "email_other", "E-mail 3 Address", "email_other",
		"Categories", "tags", "Keywords", "tags", "Notes", "bio", "Web Page", "website", "Language", "languages",
		"Birthday", "note", "Anniversary", "note", "Profession", "note", "Office Location", "note",
		"Assistant's Name", "note", "Manager's Name", "note", "Referred By", "note", "Hobby", "note",
		"Spouse", "note", "Children", "note", "Nickname", "note", "User 1", "note", "User 2", "note", "User 3", "note", "User 4", "note",
	),
	skip: set("E-mail Type", "E-mail Display Name", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Type",
		"E-mail 3 Display Name", "Priority", "Private", "Sensitivity", "Gender", "Initials", "Mileage", "Billing Information",
		"Directory Server", "Internet Free Busy", "Account", "Government ID Number", "Organizational ID Number", "Location",
		// Rapport keeps city, region and country of an address, not the street.
		"Business Street", "Business Street 2", "Business Street 3", "Business Postal Code", "Business Address PO Box",
		"Home Street", "Home Street 2", "Home Street 3", "Home Postal Code", "Home Address PO Box",
		"Other Street", "Other Street 2", "Other Street 3", "Other Postal Code", "Other Address PO Box"),
}

// Outlook's CSV export with German headers (a German Outlook writes them).
var outlookDE = &Layout{
	Key: "outlook-de", Name: "Outlook (Deutsch)",
	signature: []string{"vorname", "nachname", "position", "e-mail-adresse", "telefon geschäftlich"},
	columns: cols(
		"Anrede", "note", "Vorname", "first_name", "Weitere Vornamen", "middle_name", "Nachname", "last_name",
		"Suffix", "note", "Firma", "outlet", "Abteilung", "role", "Position", "title",
		"Ort geschäftlich", "city", "Region geschäftlich", "region", "Land/Region geschäftlich", "country",
		"Ort privat", "city", "Bundesland/Kanton privat", "region", "Region privat", "region", "Land/Region privat", "country",
		"Weiterer Ort", "city", "Weitere/s Bundesland/Kanton", "region", "Weiteres/r Land/Region", "country",
		"Telefon geschäftlich", "phone", "Telefon geschäftlich 2", "phone", "Telefon Firma", "phone", "Haupttelefon", "phone",
		"Telefon Assistent", "phone", "Rückmeldung", "phone", "Weiteres Telefon", "phone", "Autotelefon", "phone_mobile",
		"Mobiltelefon", "phone_mobile", "Mobiltelefon 2", "phone_mobile", "Telefon privat", "phone_private", "Telefon privat 2", "phone_private",
		"E-Mail-Adresse", "email", "E-Mail 2: Adresse", "email_other", "E-Mail 3: Adresse", "email_other",
		"Kategorien", "tags", "Stichwörter", "tags", "Notizen", "bio", "Webseite", "website", "Sprache", "languages",
		"Geburtstag", "note", "Jahrestag", "note", "Beruf", "note", "Büro", "note", "Name Assistent", "note",
		"Name des/der Vorgesetzten", "note", "Empfohlen von", "note", "Hobby", "note", "Partner", "note", "Kinder", "note",
		"Spitzname", "note", "Benutzer 1", "note", "Benutzer 2", "note", "Benutzer 3", "note", "Benutzer 4", "note",
	),
	skip: set("E-Mail-Typ", "E-Mail: Angezeigter Name", "E-Mail 2: Typ", "E-Mail 2: Angezeigter Name", "E-Mail 3: Typ",
		"E-Mail 3: Angezeigter Name", "Priorität", "Privat", "Vertraulichkeit", "Geschlecht", "Initialen", "Reisekilometer",
		"Abrechnungsinformationen", "Verzeichnisserver", "Internet-Frei/Gebucht", "Konto", "Regierungs-Nr.", "Organisations-Nr.", "Ort",
		"Straße geschäftlich", "Straße geschäftlich 2", "Straße geschäftlich 3", "Postleitzahl geschäftlich", "Postfach geschäftlich",
		"Straße privat", "Straße privat 2", "Straße privat 3", "Postleitzahl privat", "Postfach privat",
		"Weitere Straße", "Weitere Straße 2", "Weitere Straße 3", "Weitere Postleitzahl", "Weiteres Postfach"),
}

// googleNumbered are Google Contacts' numbered columns, in both its old
// ("E-mail 1 - Type", "Organization 1 - Name") and new ("E-mail 1 - Label",
// "Organization Name") export.
var googleNumbered = []layoutPattern{
	pat(`^(e-mail|phone) \d+ - (type|label)$`, "value_type"),
	pat(`^e-mail \d+ - value$`, "email"),
	pat(`^phone \d+ - value$`, "phone"),
	pat(`^website \d+ - value$`, "website"),
	pat(`^address \d+ - city$`, "city"),
	pat(`^address \d+ - region$`, "region"),
	pat(`^address \d+ - country$`, "country"),
	pat(`^organization \d+ - name$`, "outlet"),
	pat(`^organization \d+ - title$`, "title"),
	pat(`^organization \d+ - department$`, "role"),
	pat(`^organization \d+ - job description$`, "note"),
	pat(`^relation \d+ - value$`, "note"),
	pat(`^event \d+ - value$`, "note"),
	pat(`^im \d+ - value$`, "note"),
	pat(`^custom field \d+ - value$`, "note"),
}

// googleSkip are the type and label columns beside each value, the
// formatted address that repeats its parts, and the photo URL.
var googleSkip = []*regexp.Regexp{
	regexp.MustCompile(`^(address|website|organization|relation|event|im|custom field) \d+ - (type|label)$`),
	regexp.MustCompile(`^address \d+ - (formatted|street|postal code|po box|extended address)$`),
	regexp.MustCompile(`^organization \d+ - (yomi name|symbol|location)$`),
}

// Google Contacts' "Google CSV" export (the older header set).
var googleContacts = &Layout{
	Key: "google", Name: "Google Contacts",
	signature: []string{"given name", "family name", "group membership"},
	columns: cols(
		"Name", "name", "Given Name", "first_name", "Additional Name", "middle_name", "Family Name", "last_name",
		"Name Prefix", "note", "Name Suffix", "note", "Nickname", "note", "Short Name", "note", "Maiden Name", "note",
		"Birthday", "note", "Occupation", "note", "Hobby", "note", "Notes", "bio", "Language", "languages",
		"Group Membership", "tags", "Location", "city",
	),
	patterns: googleNumbered,
	skip: set("Yomi Name", "Given Name Yomi", "Additional Name Yomi", "Family Name Yomi", "Initials", "Gender",
		"Billing Information", "Directory Server", "Mileage", "Sensitivity", "Priority", "Subject", "Photo", "File As"),
	skipRE: googleSkip,
}

// Google Contacts' export since 2023: "First Name", "Labels", "E-mail 1 - Label".
var googleContactsNew = &Layout{
	Key: "google-new", Name: "Google Contacts",
	signature: []string{"first name", "last name", "labels", "e-mail 1 - value"},
	columns: cols(
		"First Name", "first_name", "Middle Name", "middle_name", "Last Name", "last_name",
		"Name Prefix", "note", "Name Suffix", "note", "Nickname", "note", "Birthday", "note",
		"Organization Name", "outlet", "Organization Title", "title", "Organization Department", "role",
		"Notes", "bio", "Labels", "tags",
	),
	patterns: googleNumbered,
	skip:     set("Phonetic First Name", "Phonetic Middle Name", "Phonetic Last Name", "File As", "Photo"),
	skipRE:   googleSkip,
}

// LinkedIn's Connections.csv (from "Get a copy of your data"); note lines
// stand above its header.
var linkedIn = &Layout{
	Key: "linkedin", Name: "LinkedIn connections",
	signature: []string{"first name", "last name", "url", "email address", "company", "position", "connected on"},
	columns: cols("First Name", "first_name", "Last Name", "last_name", "URL", "linkedin", "Email Address", "email",
		"Company", "outlet", "Position", "title", "Connected On", "note"),
}

// Mailchimp's audience export (subscribed, unsubscribed or cleaned members).
var mailchimp = &Layout{
	Key: "mailchimp", Name: "Mailchimp audience",
	signature: []string{"email address", "member rating", "optin time"},
	columns: cols("Email Address", "email", "First Name", "first_name", "Last Name", "last_name", "Address", "address",
		"Phone Number", "phone", "Birthday", "note", "Company", "outlet", "Notes", "bio", "Tags", "tags",
		"Website", "website", "Job Title", "title"),
	skip: set("MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP", "LATITUDE", "LONGITUDE",
		"GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION", "LAST_CHANGED", "LEID", "EUID",
		"UNSUB_TIME", "UNSUB_CAMPAIGN_TITLE", "UNSUB_CAMPAIGN_ID", "UNSUB_REASON", "UNSUB_REASON_OTHER",
		"CLEAN_TIME", "CLEAN_CAMPAIGN_TITLE", "CLEAN_CAMPAIGN_ID"),
}

// listmonk's subscriber export; "status" blocklisted means do not contact.
var listmonk = &Layout{
	Key: "listmonk", Name: "listmonk subscribers",
	signature: []string{"uuid", "email", "name", "attributes", "status"},
	columns:   cols("email", "email", "name", "name", "attributes", "attributes", "status", "do_not_contact"),
	skip:      set("uuid", "created_at", "updated_at", "id"),
}

// HubSpot's contacts export (all properties of the view).
var hubSpot = &Layout{
	Key: "hubspot", Name: "HubSpot contacts",
	signature: []string{"record id", "first name", "last name", "email", "lifecycle stage"},
	columns: cols("Record ID", "note", "First Name", "first_name", "Last Name", "last_name", "Email", "email",
		"Additional email addresses", "email_other", "Phone Number", "phone", "Mobile Phone Number", "phone_mobile",
		"Job Title", "title", "Company Name", "outlet", "City", "city", "State/Region", "region", "Country/Region", "country",
		"Website URL", "website", "LinkedIn URL", "linkedin", "Twitter Username", "x", "Message", "bio",
		"Lifecycle Stage", "note", "Lead Status", "note", "Contact owner", "note", "Preferred language", "languages"),
	skip: set("Create Date", "Last Activity Date", "Last Modified Date", "Marketing contact status",
		"Associated Company", "Primary Associated Company ID", "Number of Sales Activities", "Original Source", "Street Address", "Postal Code"),
}

// Rapport's own CSV export (its column headers, see crm/export).
var rapportExport = &Layout{
	Key: "rapport", Name: "Rapport export",
	signature: []string{"rapport id", "first name", "last name"},
	columns:   cols(rapportColumns...),
	skip:      set(rapportSkipped...),
}

// rapportColumns are the headers of Rapport's export and the fields they
// fill; rapportSkipped are the headers it writes that the import leaves
// (computed or kept elsewhere).
var (
	rapportColumns = []string{"Rapport ID", "id", "First name", "first_name", "Last name", "last_name", "Kind", "kind", "Title", "title",
		"E-mail", "email", "All e-mails", "emails", "Phones", "phone", "Outlets", "outlet_roles", "Channels", "channels",
		"City", "city", "Region", "region", "Country", "country", "Topics", "topics", "Tags", "tags", "Stage", "stage",
		"Lawful basis", "lawful_basis", "Consent", "consent_state"}
	rapportSkipped = []string{"Reach", "Health", "Owner", "Consent date", "Last interaction"}
)
