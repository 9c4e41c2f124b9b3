package handlers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/views/pages"
)

// Blank rows the form offers beyond the filled ones.
const (
	spareEmails   = 1
	sparePhones   = 1
	spareChannels = 2
	spareOutlets  = 1
)

// bindContactForm reads the posted form as typed. Repeated rows arrive as
// parallel lists (email + email_type, channel_platform + channel_handle …);
// rows left blank are dropped so that row errors line up with what is shown.
func bindContactForm(c echo.Context) (pages.ContactForm, error) {
	fp, err := c.FormParams()
	if err != nil {
		return pages.ContactForm{}, crm.Errorf(crm.EInvalid, "The form could not be read. Reload the page and try again.")
	}
	g := fp.Get
	f := pages.ContactForm{
		Kind: g("kind"), FirstName: g("first_name"), LastName: g("last_name"), Title: g("title"), Bio: g("bio"),
		City: g("city"), Region: g("region"), Country: g("country"), Languages: g("languages"),
		Stage: g("stage"), LawfulBasis: g("lawful_basis"), ConsentState: g("consent_state"),
		ConsentSource: g("consent_source"), OwnerID: g("owner_id"), DoNotContact: g("do_not_contact") != "",
		Topics: g("topics"), Tags: g("tags"), Version: g("version"),
		ConsentEvidence: strings.TrimSpace(g("consent_evidence")), WordingVersion: strings.TrimSpace(g("wording_version")),
		LiftReason: strings.TrimSpace(g("lift_reason")),
	}
	at := func(key string, i int) string {
		if v := fp[key]; i < len(v) {
			return v[i]
		}
		return ""
	}
	for i, a := range fp["email"] {
		if strings.TrimSpace(a) != "" {
			f.Emails = append(f.Emails, pages.EmailRow{Address: a, Type: at("email_type", i)})
		}
	}
	for i, n := range fp["phone"] {
		if strings.TrimSpace(n) != "" {
			f.Phones = append(f.Phones, pages.PhoneRow{Number: n, Label: at("phone_type", i)})
		}
	}
	for i, h := range fp["channel_handle"] {
		if strings.TrimSpace(h) != "" || at("channel_followers", i) != "" || strings.TrimSpace(at("channel_feed", i)) != "" {
			f.Channels = append(f.Channels, pages.ChannelRow{Platform: at("channel_platform", i), Handle: h, Followers: at("channel_followers", i),
				Feed: strings.TrimSpace(at("channel_feed", i))})
		}
	}
	for i, o := range fp["outlet"] {
		if strings.TrimSpace(o) != "" {
			f.Outlets = append(f.Outlets, pages.OutletRow{Name: o, Role: at("outlet_role", i)})
		}
	}
	f.Custom = customFormValues(fp)
	return f, nil
}

// customFormValues are the posted values of custom fields (custom.KEY), by key.
func customFormValues(fp map[string][]string) map[string][]string {
	out := map[string][]string{}
	for name, vs := range fp {
		if key, ok := strings.CutPrefix(name, "custom."); ok {
			out[key] = vs
		}
	}
	return out
}

// parseCustom reads the form's custom values as fields type them; field
// errors are added to fe.
func parseCustom(fields crm.CustomFields, vals map[string][]string, fe crm.FieldErrors) schema.CustomValues {
	out, errs := fields.ParseForm(func(name string) []string { return vals[strings.TrimPrefix(name, "custom.")] })
	for k, msg := range errs {
		fe.Add(k, msg)
	}
	return out
}

// contactInput converts the typed form into a crm input; number fields that do
// not parse become field errors.
func contactInput(f pages.ContactForm) (crm.ContactInput, crm.FieldErrors) {
	fe := crm.FieldErrors{}
	in := crm.ContactInput{
		Kind: f.Kind, FirstName: f.FirstName, LastName: f.LastName, Title: f.Title, Bio: f.Bio,
		City: f.City, Region: f.Region, Country: f.Country, Languages: crm.SplitList(f.Languages),
		Stage: f.Stage, LawfulBasis: f.LawfulBasis, ConsentState: f.ConsentState, ConsentSource: f.ConsentSource,
		DoNotContact: f.DoNotContact, Topics: crm.SplitList(f.Topics), Tags: crm.SplitList(f.Tags),
	}
	if f.Version != "" {
		v, err := strconv.Atoi(f.Version)
		if err != nil {
			fe.Add("version", "The form is damaged; reload the page.")
		}
		in.Version = v
	}
	if f.OwnerID != "" {
		id, err := strconv.Atoi(f.OwnerID)
		if err != nil {
			fe.Add("owner_id", "Choose an owner from the list.")
		}
		in.OwnerID = &id
	}
	for _, e := range f.Emails {
		in.Emails = append(in.Emails, crm.EmailInput{Address: e.Address, Type: e.Type})
	}
	for _, p := range f.Phones {
		in.Phones = append(in.Phones, schema.Phone{Number: strings.TrimSpace(p.Number), Label: p.Label})
	}
	for i, ch := range f.Channels {
		var n int64
		if s := strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(ch.Followers), ".", ""), ",", ""); s != "" {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil || v < 0 {
				fe.Add(fmt.Sprintf("channels.%d", i), "Followers must be a whole number like 12500.")
			}
			n = v
		}
		in.Channels = append(in.Channels, crm.ChannelInput{Platform: ch.Platform, Handle: ch.Handle, Followers: n, Feed: ch.Feed})
	}
	for _, o := range f.Outlets {
		in.Outlets = append(in.Outlets, crm.OutletRole{Outlet: o.Name, Role: o.Role})
	}
	return in, fe
}

// contactForm fills the form from a stored contact (with its edges loaded).
func contactForm(s *crm.StoredContact) pages.ContactForm {
	c, in := s.Row, s.Input
	f := pages.ContactForm{
		Kind: string(c.Kind), FirstName: c.FirstName, LastName: c.LastName, Title: c.Title, Bio: c.Bio,
		City: c.City, Region: c.Region, Country: c.Country, Languages: strings.Join(c.Languages, ", "),
		Stage: string(c.Stage), LawfulBasis: string(c.LawfulBasis), ConsentState: string(c.ConsentState),
		ConsentSource: c.ConsentSource, DoNotContact: c.DoNotContact, Version: strconv.Itoa(c.Version),
		Topics: strings.Join(in.Topics, ", "), Tags: strings.Join(in.Tags, ", "),
	}
	if c.OwnerID != nil {
		f.OwnerID = strconv.Itoa(*c.OwnerID)
	}
	for _, e := range in.Emails {
		f.Emails = append(f.Emails, pages.EmailRow{Address: e.Address, Type: e.Type})
	}
	for _, p := range c.Phones {
		f.Phones = append(f.Phones, pages.PhoneRow{Number: p.Number, Label: p.Label})
	}
	for _, ch := range in.Channels {
		f.Channels = append(f.Channels, pages.ChannelRow{Platform: ch.Platform, Handle: ch.Handle, Followers: strconv.FormatInt(ch.Followers, 10), Feed: ch.Feed})
	}
	for _, o := range in.Outlets {
		f.Outlets = append(f.Outlets, pages.OutletRow{Name: o.Outlet, Role: o.Role})
	}
	f.Custom = pages.CustomFormValues(in.Custom)
	return f
}

// withSpareRows adds the blank rows a form offers for new entries.
func withSpareRows(f pages.ContactForm) pages.ContactForm {
	for range spareEmails {
		f.Emails = append(f.Emails, pages.EmailRow{Type: "work"})
	}
	for range sparePhones {
		f.Phones = append(f.Phones, pages.PhoneRow{Label: "work"})
	}
	for range spareChannels {
		f.Channels = append(f.Channels, pages.ChannelRow{})
	}
	for range spareOutlets {
		f.Outlets = append(f.Outlets, pages.OutletRow{})
	}
	return f
}

// conflictFields lists the fields where the saved contact and the user's input differ.
func conflictFields(saved, yours pages.ContactForm) []pages.ConflictField {
	rows := func(f pages.ContactForm) [][2]string {
		var emails, channels, outlets []string
		for _, e := range f.Emails {
			emails = append(emails, strings.TrimSpace(strings.ToLower(e.Address)))
		}
		for _, ch := range f.Channels {
			channels = append(channels, ch.Platform+"/"+crm.NormalizeHandle(ch.Platform, ch.Handle)+" "+ch.Followers)
		}
		for _, o := range f.Outlets {
			outlets = append(outlets, strings.TrimSpace(o.Name)+" – "+strings.TrimSpace(o.Role))
		}
		return [][2]string{{"First name", f.FirstName}, {"Last name", f.LastName}, {"Kind", f.Kind}, {"Title", f.Title},
			{"City", f.City}, {"Region", f.Region}, {"Country", f.Country}, {"Languages", f.Languages}, {"About", f.Bio},
			{"E-mails", strings.Join(emails, ", ")}, {"Channels", strings.Join(channels, ", ")}, {"Outlets", strings.Join(outlets, ", ")},
			{"Topics", f.Topics}, {"Tags", f.Tags}, {"Stage", f.Stage}, {"Owner", f.OwnerID},
			{"Lawful basis", f.LawfulBasis}, {"Consent", f.ConsentState}, {"Consent source", f.ConsentSource},
			{"Do not contact", strconv.FormatBool(f.DoNotContact)}}
	}
	s, y := rows(saved), rows(yours)
	var out []pages.ConflictField
	for i := range s {
		if strings.TrimSpace(s[i][1]) != strings.TrimSpace(y[i][1]) {
			out = append(out, pages.ConflictField{Label: s[i][0], Saved: s[i][1], Yours: y[i][1]})
		}
	}
	return out
}

// privacyNote is what the form says about a change of consent.
func privacyNote(f pages.ContactForm) crm.PrivacyNote {
	return crm.PrivacyNote{Evidence: f.ConsentEvidence, WordingVersion: f.WordingVersion, Reason: f.LiftReason}
}
