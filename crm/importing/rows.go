package importing

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/ent/schema"
)

// RowData is what one row says about a contact: only what its cells set, so
// that applying it to an existing contact changes nothing else.
type RowData struct {
	ID                      int
	Set                     map[string]string // single-value fields that the row sets (key → value)
	Emails                  []crm.EmailInput
	Phones                  []schema.Phone
	Channels                []crm.ChannelInput
	Outlets                 []crm.OutletRole
	Topics, Tags, Languages []string
	Categories              []string // vCard CATEGORIES: tags, unless the contact has them as topics
	Bio                     string
	Custom                  map[string]string `json:",omitempty"` // custom field key → the cell's text, typed when the row is planned
	followers               map[string]int64  // platform → followers from *_followers columns
	valueType               string            // the type column just read ("Home", "Mobile"), for the next value
	firstFollowers          *int64            // the generic followers column
	Warnings                []string
}

// Mapper turns the cells of a row into RowData by a column mapping.
type Mapper struct {
	header []string
	fields []string // field key per column index ("" ignores it)
	lim    Limits
}

// NewMapper prepares the mapping m (header name → field key) for header.
func NewMapper(header []string, m map[string]string, lim Limits) *Mapper {
	fields := make([]string, len(header))
	for i, h := range header {
		fields[i] = m[h]
	}
	return &Mapper{header: header, fields: fields, lim: lim}
}

// RowError is a reason a row cannot be imported.
type RowError struct{ Reason string }

func (e *RowError) Error() string { return e.Reason }

// Map reads one row. A cell that cannot be stored (not text, too long) makes
// the whole row an error: half a contact is never imported.
func (mp *Mapper) Map(cells []string) (*RowData, error) {
	d := &RowData{Set: map[string]string{}, followers: map[string]int64{}}
	for i, raw := range cells {
		if i >= len(mp.fields) {
			if strings.TrimSpace(raw) != "" {
				d.Warnings = append(d.Warnings, probBeyond.say("Cell", i+1))
			}
			continue
		}
		key := mp.fields[i]
		if key == "" {
			continue
		}
		v, err := mp.cell(i, raw, d)
		if err != nil {
			return nil, err
		}
		if v == "" {
			continue
		}
		if err := d.apply(key, mp.header[i], v); err != nil {
			return nil, err
		}
	}
	d.spreadFollowers()
	if mid, ok := d.Set["middle_name"]; ok {
		d.Set["first_name"] = strings.TrimSpace(d.Set["first_name"] + " " + mid)
		delete(d.Set, "middle_name")
	}
	return d, nil
}

// cell checks and cleans one cell: valid UTF-8, no NUL bytes, not too long,
// and the apostrophe that an export put before =, +, -, @ removed again.
func (mp *Mapper) cell(i int, raw string, d *RowData) (string, error) {
	col := mp.header[i]
	if len(raw) > mp.lim.MaxCell {
		return "", &RowError{Reason: probTooLong.say("Column", col, "KB", len(raw)>>10, "Max", mp.lim.MaxCell>>10)}
	}
	if !utf8.ValidString(raw) {
		return "", &RowError{Reason: probEncoding.say("Column", col)}
	}
	if strings.ContainsRune(raw, 0) {
		raw = strings.ReplaceAll(raw, "\x00", "")
		d.Warnings = append(d.Warnings, probNUL.say("Column", col))
	}
	// Google Contacts joins several values of one cell with " ::: ".
	raw = strings.ReplaceAll(raw, " ::: ", "\n")
	return deneutralize(strings.TrimSpace(raw)), nil
}

// deneutralize undoes the export's formula guard (export.Neutralize), so an
// export re-imports unchanged. Formulas themselves stay plain text.
func deneutralize(s string) string { return export.Deneutralize(s) }

// apply sets field key from the value v of column col.
func (d *RowData) apply(key, col, v string) error {
	if f, ok := strings.CutPrefix(key, CustomPrefix); ok {
		if d.Custom == nil {
			d.Custom = map[string]string{}
		}
		d.Custom[f] = v
		return nil
	}
	typ := d.valueType
	d.valueType = ""
	switch key {
	case "value_type":
		d.valueType = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(v, "* ")))
	case "id":
		id, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || id <= 0 {
			return &RowError{Reason: probNotID.say("Column", col, "Value", v)}
		}
		d.ID = id
	case "name":
		first, last := splitName(v)
		setIfEmpty(d.Set, "first_name", first)
		setIfEmpty(d.Set, "last_name", last)
	case "first_name", "last_name", "title", "role", "middle_name":
		d.Set[key] = v
	case "city", "region": // several columns (business, home): the first that says wins
		setIfEmpty(d.Set, key, v)
	case "address":
		city, region, country := parseAddress(v)
		setIfEmpty(d.Set, "city", city)
		setIfEmpty(d.Set, "region", region)
		setIfEmpty(d.Set, "country", country)
	case "note":
		d.Bio = joinText(d.Bio, col+": "+v)
	case "website":
		for _, u := range splitList(v, ",; \n\t") {
			d.addWebsite(u)
		}
	case "kind", "stage", "consent_state", "lawful_basis":
		d.Set[key] = enumCode(key, v)
	case "country":
		c, ok := countryCode(v)
		if !ok {
			d.Warnings = append(d.Warnings, probCountry.say("Column", col, "Value", v))
			return nil
		}
		setIfEmpty(d.Set, key, c)
	case "do_not_contact":
		b, ok := parseBool(v)
		if s, known := listStatus[strings.ToLower(v)]; known {
			b, ok = s, true
		}
		if !ok {
			return &RowError{Reason: probYesNo.say("Column", col, "Value", v)}
		}
		d.Set[key] = strconv.FormatBool(b)
	case "bio":
		d.Bio = joinText(d.Bio, v)
	case "email", "email_private", "email_other", "emails":
		typ := map[string]string{"email": "work", "email_private": "private", "email_other": "other"}[typedKey(key, typ)]
		for _, a := range splitList(v, ",; \n\t") {
			d.Emails = append(d.Emails, crm.EmailInput{Address: crm.NormalizeEmail(strings.Trim(a, "<>")), Type: typ})
		}
	case "phone", "phone_mobile", "phone_private":
		label := map[string]string{"phone": "work", "phone_mobile": "mobile", "phone_private": "private"}[typedKey(key, typ)]
		for _, p := range splitList(v, ";,\n") {
			d.Phones = append(d.Phones, schema.Phone{Number: p, Label: label})
		}
	case "outlet":
		for _, o := range splitList(v, ";\n") {
			d.Outlets = append(d.Outlets, crm.OutletRole{Outlet: o})
		}
	case "outlet_roles":
		for _, o := range splitList(v, ";\n") {
			d.Outlets = append(d.Outlets, outletRole(o))
		}
	case "attributes":
		return d.applyAttributes(col, v)
	case "topics":
		d.Topics = append(d.Topics, splitList(v, ",;\n")...)
	case "tags":
		d.Tags = append(d.Tags, groups(v)...)
	case "categories":
		for _, c := range splitList(v, "\n") {
			if !systemGroups[strings.ToLower(c)] {
				d.Categories = append(d.Categories, c)
			}
		}
	case "languages":
		d.Languages = append(d.Languages, splitList(v, ",;\n ")...)
	case "channels":
		return d.channelList(col, v)
	case "followers":
		n, ok := parseCount(v)
		if !ok {
			d.Warnings = append(d.Warnings, probFollowers.say("Column", col, "Value", v))
			return nil
		}
		d.firstFollowers = &n
	default:
		if p, ok := strings.CutSuffix(key, "_followers"); ok {
			n, ok := parseCount(v)
			if !ok {
				d.Warnings = append(d.Warnings, probFollowers.say("Column", col, "Value", v))
				return nil
			}
			d.followers[p] = n
			return nil
		}
		for _, h := range splitList(v, ",;\n \t") {
			if h = crm.NormalizeHandle(key, h); h != "" {
				d.Channels = append(d.Channels, crm.ChannelInput{Platform: key, Handle: h})
			}
		}
	}
	return nil
}

// channelList reads the export's "x:name (1200); youtube:chan (90000)".
func (d *RowData) channelList(col, v string) error {
	for _, item := range splitList(v, ";\n") {
		p, rest, ok := strings.Cut(item, ":")
		p = strings.ToLower(strings.TrimSpace(p))
		if !ok || fieldByKey[p].Key == "" || !isPlatform(p) {
			return &RowError{Reason: probChannel.say("Column", col, "Value", item)}
		}
		rest = strings.TrimSpace(rest)
		var n int64
		if i := strings.LastIndex(rest, "("); i > 0 && strings.HasSuffix(rest, ")") {
			n, _ = parseCount(rest[i+1 : len(rest)-1])
			rest = strings.TrimSpace(rest[:i])
		}
		if h := crm.NormalizeHandle(p, rest); h != "" {
			d.Channels = append(d.Channels, crm.ChannelInput{Platform: p, Handle: h, Followers: n})
		}
	}
	return nil
}

// spreadFollowers puts follower counts on the row's channels: a platform's
// own column first, else the generic column on the row's first channel.
func (d *RowData) spreadFollowers() {
	for i := range d.Channels {
		if n, ok := d.followers[d.Channels[i].Platform]; ok {
			d.Channels[i].Followers = n
		}
	}
	if d.firstFollowers != nil && len(d.Channels) > 0 {
		if _, own := d.followers[d.Channels[0].Platform]; !own {
			d.Channels[0].Followers = *d.firstFollowers
		}
	}
	if d.firstFollowers != nil && *d.firstFollowers > 0 && len(d.Channels) == 0 {
		d.Warnings = append(d.Warnings, probNoChannel.say())
	}
}

func isPlatform(p string) bool {
	for _, q := range schema.Platforms {
		if p == q {
			return true
		}
	}
	return false
}

func setIfEmpty(m map[string]string, k, v string) {
	if _, ok := m[k]; !ok && v != "" {
		m[k] = v
	}
}

// outletRole reads "Süddeutsche Zeitung (Redakteur)", as Rapport's export
// writes a job, into outlet and role; a value without a trailing
// parenthesis is just the outlet.
func outletRole(v string) crm.OutletRole {
	if i := strings.LastIndex(v, " ("); i > 0 && strings.HasSuffix(v, ")") {
		return crm.OutletRole{Outlet: strings.TrimSpace(v[:i]), Role: strings.TrimSpace(v[i+2 : len(v)-1])}
	}
	return crm.OutletRole{Outlet: v}
}

// applyAttributes reads listmonk's attributes column (JSON) as Rapport's
// listmonk export writes it: names, outlets, topics, tags, region and stage.
func (d *RowData) applyAttributes(col, v string) error {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	var a struct {
		FirstName string   `json:"first_name"`
		LastName  string   `json:"last_name"`
		Outlets   []string `json:"outlets"`
		Topics    []string `json:"topics"`
		Tags      []string `json:"tags"`
		Region    string   `json:"region"`
		Stage     string   `json:"stage"`
	}
	if err := json.Unmarshal([]byte(v), &a); err != nil {
		return &RowError{Reason: probAttributes.say("Column", col)}
	}
	if a.FirstName != "" || a.LastName != "" { // exact names beat splitting the full name
		d.Set["first_name"], d.Set["last_name"] = a.FirstName, a.LastName
	}
	for _, o := range a.Outlets {
		d.Outlets = append(d.Outlets, outletRole(o))
	}
	d.Topics = append(d.Topics, a.Topics...)
	d.Tags = append(d.Tags, a.Tags...)
	if a.Region != "" {
		d.Set["region"] = a.Region
	}
	if a.Stage != "" {
		d.Set["stage"] = strings.ToLower(a.Stage)
	}
	return nil
}
