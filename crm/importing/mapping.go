package importing

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/schema"
)

// Field is a contact field a column can be mapped to.
type Field struct {
	Key, Label string
	Multi      bool     // several columns may feed it (values add up)
	aliases    []string // header spellings, normalised by headerKey
}

// Fields lists the mapping targets in the order the mapping form offers them.
// Keys double as the column names of Rapport's own export.
var Fields = func() []Field {
	fs := []Field{
		{Key: "id", Label: "Rapport ID", aliases: []string{"rapport id", "rapport-id", "rapportid", "contact id", "kontakt id", "id"}},
		{Key: "first_name", Label: "First name", aliases: []string{"vorname", "first name", "firstname", "given name", "prénom", "prenom", "rufname"}},
		{Key: "last_name", Label: "Last name", aliases: []string{"nachname", "last name", "lastname", "surname", "family name", "familienname", "nom"}},
		{Key: "attributes", Label: "listmonk attributes (JSON)", aliases: []string{"attributes", "attribs"}},
		{Key: "name", Label: "Full name (split into first and last)", aliases: []string{"name", "full name", "fullname", "vollständiger name", "display name", "anzeigename", "kontakt", "contact", "person"}},
		{Key: "title", Label: "Title / position", aliases: []string{"titel", "title", "position", "funktion", "job title", "jobtitel", "berufsbezeichnung", "job"}},
		{Key: "kind", Label: "Kind", aliases: []string{"kind", "art", "kontaktart", "contact type"}},
		{Key: "stage", Label: "Stage", aliases: []string{"stage", "phase", "beziehungsstatus"}},
		{Key: "email", Label: "E-mail (work)", Multi: true, aliases: []string{"e-mail", "email", "mail", "e-mail-adresse", "e-mail adresse", "emailadresse", "email address", "e-mail address", "e-mail geschäftlich", "work email", "email (work)", "e-mail (work)"}},
		{Key: "emails", Label: "E-mails (list)", Multi: true, aliases: []string{"all e-mails", "all emails", "e-mails", "emails", "alle e-mails"}},
		{Key: "email_private", Label: "E-mail (private)", Multi: true, aliases: []string{"e-mail privat", "email privat", "private email", "home email", "e-mail (private)", "email (private)"}},
		{Key: "email_other", Label: "E-mail (other)", Multi: true, aliases: []string{"e-mail 2", "email 2", "weitere e-mail", "other email", "e-mail (other)"}},
		{Key: "phone", Label: "Phone (work)", Multi: true, aliases: []string{"telefon", "tel", "phone", "telefonnummer", "phone number", "telefon geschäftlich", "work phone", "festnetz", "phones", "telefone", "phone (work)"}},
		{Key: "phone_mobile", Label: "Mobile", Multi: true, aliases: []string{"mobil", "handy", "mobile", "mobiltelefon", "mobilnummer", "cell", "cell phone", "mobile phone"}},
		{Key: "phone_private", Label: "Phone (private)", Multi: true, aliases: []string{"telefon privat", "home phone", "private phone", "phone (private)"}},
		{Key: "outlet_roles", Label: "Outlets with roles, “Name (Role)” as Rapport exports them", Multi: true, aliases: []string{"outlets"}},
		{Key: "outlet", Label: "Outlet", Multi: true, aliases: []string{"medium", "medien", "redaktion", "outlet", "publication", "publikation", "verlag", "zeitung", "medienhaus", "sender", "company", "firma", "organisation", "organization", "unternehmen", "media"}},
		{Key: "role", Label: "Role at the outlet", aliases: []string{"rolle", "role", "abteilung", "department"}},
		{Key: "topics", Label: "Topics / beat", Multi: true, aliases: []string{"ressort", "ressorts", "themen", "thema", "beat", "beats", "topic", "topics", "fachgebiet", "branche", "industry", "sektion"}},
		{Key: "tags", Label: "Tags", Multi: true, aliases: []string{"tags", "tag", "schlagworte", "schlagwörter", "labels", "label", "kategorien", "categories", "gruppe", "gruppen", "groups"}},
		{Key: "categories", Label: "Categories (tags, or topics the contact has)", Multi: true},
		{Key: "city", Label: "City", Multi: true, aliases: []string{"stadt", "ort", "city", "town", "wohnort"}},
		{Key: "region", Label: "Region", Multi: true, aliases: []string{"region", "bundesland", "state", "gebiet", "state/region"}},
		{Key: "country", Label: "Country", Multi: true, aliases: []string{"land", "country", "staat", "country/region"}},
		{Key: "address", Label: "Address in one cell (city, region, country taken from it)", aliases: []string{"address", "adresse", "anschrift"}},
		{Key: "middle_name", Label: "Middle name (added to the first name)", aliases: []string{"middle name", "weitere vornamen", "zweiter vorname"}},
		{Key: "website", Label: "Website (a channel typed by its address: YouTube, Instagram, X, … or blog)", Multi: true, aliases: []string{"website", "webseite", "homepage", "url", "web", "internet", "web page", "website url"}},
		{Key: "value_type", Label: "Type of the next e-mail or phone column (Work, Home, Mobile)", Multi: true},
		{Key: "note", Label: "Note line (kept in the notes as “Column: value”)", Multi: true, aliases: []string{"salutation", "anrede", "birthday", "geburtstag"}},
		{Key: "languages", Label: "Languages", Multi: true, aliases: []string{"sprache", "sprachen", "language", "languages"}},
		{Key: "bio", Label: "Notes / bio", Multi: true, aliases: []string{"notiz", "notizen", "bemerkung", "bemerkungen", "kommentar", "anmerkung", "notes", "note", "bio", "beschreibung", "description", "comment", "comments"}},
		{Key: "channels", Label: "Channels (platform:handle list)", Multi: true, aliases: []string{"channels", "kanäle", "social media"}},
		{Key: "followers", Label: "Followers (of the row's first channel)", aliases: []string{"followers", "follower", "reichweite", "abonnenten", "fans", "subscribers", "abos"}},
		{Key: "do_not_contact", Label: "Do not contact (yes/no)", aliases: []string{"do not contact", "nicht kontaktieren", "sperrvermerk", "kontaktsperre"}},
		{Key: "consent_state", Label: "Consent", aliases: []string{"consent", "einwilligung", "consent state"}},
		{Key: "lawful_basis", Label: "Lawful basis", aliases: []string{"lawful basis", "rechtsgrundlage"}},
	}
	extra := map[string][]string{
		"x":         {"twitter", "x", "twitter/x", "x/twitter", "x (twitter)", "twitter handle", "x handle", "twitter-handle", "twitter-account"},
		"instagram": {"instagram", "insta", "instagram handle"},
		"youtube":   {"youtube", "youtube channel", "youtube-kanal"},
		"tiktok":    {"tiktok"}, "facebook": {"facebook"}, "linkedin": {"linkedin"}, "xing": {"xing"},
		"mastodon": {"mastodon"}, "bluesky": {"bluesky", "bsky"}, "twitch": {"twitch"},
		"blog":    {"blog"},
		"podcast": {"podcast"}, "newsletter": {"newsletter"},
	}
	for _, p := range schema.Platforms {
		label := platformLabel(p)
		fs = append(fs, Field{Key: p, Label: label + " (handle or address)", Multi: true, aliases: extra[p]})
	}
	for _, p := range schema.Platforms {
		var al []string
		for _, a := range extra[p] {
			al = append(al, a+" followers", a+" follower", a+"-follower", a+" abonnenten")
		}
		fs = append(fs, Field{Key: p + "_followers", Label: platformLabel(p) + " followers", aliases: al})
	}
	return fs
}()

func platformLabel(p string) string {
	switch p {
	case "x":
		return "X / Twitter"
	case "youtube":
		return "YouTube"
	case "tiktok":
		return "TikTok"
	case "linkedin":
		return "LinkedIn"
	}
	return strings.ToUpper(p[:1]) + p[1:]
}

var fieldByKey = func() map[string]Field {
	m := map[string]Field{}
	for _, f := range Fields {
		m[f.Key] = f
	}
	return m
}()

// aliasIndex maps normalised header spellings (aliases, keys and labels) to field keys.
var aliasIndex = func() map[string]string {
	m := map[string]string{}
	for _, f := range Fields { // a field's own key wins over others' aliases
		m[headerKey(f.Key)] = f.Key
	}
	for _, f := range Fields {
		for _, a := range append([]string{f.Label}, f.aliases...) {
			if k := headerKey(a); k != "" {
				if _, taken := m[k]; !taken {
					m[k] = f.Key
				}
			}
		}
	}
	return m
}()

// headerKey normalises a column name for matching: lower case, no BOM,
// underscores and runs of spaces as one space, trailing ":" and "*" gone.
func headerKey(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(h, "\uFEFF", "")))
	h = strings.Map(func(r rune) rune {
		if r == '_' || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, h)
	h = strings.Join(strings.Fields(h), " ")
	return strings.TrimRight(h, ":* ")
}

// CustomPrefix starts a mapping target that is a custom field: "custom.KEY".
const CustomPrefix = "custom."

var customKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ValidField reports whether key is a mapping target ("" means ignore): a
// built-in field, or a custom field ("custom.KEY"; the run refuses keys no
// field has).
func ValidField(key string) bool {
	_, ok := fieldByKey[key]
	if f, custom := strings.CutPrefix(key, CustomPrefix); custom {
		ok = customKey.MatchString(f)
	}
	return ok || key == ""
}

// Guess maps each column of header to a field by its name, German or
// English; columns it does not recognise map to "" (ignored). A single-value
// field goes to the first column that names it. "Name" next to a first-name
// column means the last name, as German lists use it.
func Guess(header []string) map[string]string {
	m := make(map[string]string, len(header))
	used := map[string]bool{}
	layout := DetectLayout(header)
	for _, h := range header {
		if layout != nil {
			if k, ok := layout.field(h); ok {
				if fieldByKey[k].Multi || !used[k] {
					m[h], used[k] = k, true
				} else {
					m[h] = ""
				}
				continue
			}
			if layout.Skipped(h) {
				m[h] = ""
				continue
			}
		}
		k := aliasIndex[headerKey(h)]
		if k == "" { // "E-Mail 2", "E-Mail (2)"
			k = aliasIndex[headerKey(strings.TrimRight(strings.TrimRight(h, "0123456789()"), " -("))]
		}
		if f, ok := fieldByKey[k]; ok && (f.Multi || !used[k]) {
			m[h], used[k] = k, true
		} else {
			m[h] = ""
		}
	}
	if layout == nil && used["first_name"] && !used["last_name"] {
		for h, k := range m {
			if k == "name" {
				m[h] = "last_name"
			}
		}
	}
	return m
}

// CheckMapping validates a mapping for header: known fields only, each
// single-value field from one column at most, and some way to name or find
// a contact.
func CheckMapping(header []string, m map[string]string) error {
	count := map[string][]string{}
	for _, h := range header {
		k := m[h]
		if !ValidField(k) {
			return invalid("Column %q is mapped to an unknown field.", h)
		}
		if k != "" {
			count[k] = append(count[k], h)
		}
	}
	var dup []string
	for k, cols := range count {
		if len(cols) > 1 && !fieldByKey[k].Multi {
			dup = append(dup, fmt.Sprintf("%s (%s)", FieldLabel(k), strings.Join(cols, ", ")))
		}
	}
	if len(dup) > 0 {
		sort.Strings(dup)
		return invalid("Several columns are mapped to a field that takes one value: %s. Map one of them, ignore the others.", strings.Join(dup, "; "))
	}
	if len(count) == 0 {
		return invalid("Map at least one column to a contact field.")
	}
	return nil
}

// guessCustom maps the columns whose header is a custom field's label
// (English or German) or key to that field, where Guess left them unmapped
// or kept them only as a note line (Geburtstag): an admin who made the
// field meant it.
func guessCustom(header []string, m map[string]string, fields crm.CustomFields) map[string]string {
	by := map[string]string{}
	for _, f := range fields {
		for _, name := range []string{f.Key, f.LabelEN, f.LabelDE} {
			if k := headerKey(name); k != "" {
				by[k] = CustomPrefix + f.Key
			}
		}
	}
	used := map[string]bool{}
	for _, h := range header {
		if m[h] != "" && m[h] != "note" {
			continue
		}
		if k := by[headerKey(h)]; k != "" && !used[k] {
			m[h], used[k] = k, true
		}
	}
	return m
}

// FieldLabel returns the label of a field key.
func FieldLabel(key string) string {
	if f, ok := fieldByKey[key]; ok {
		return f.Label
	}
	return key
}
