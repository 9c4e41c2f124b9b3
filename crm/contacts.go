package crm

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/ent/schema"
)

// ContactInput is everything a contact form or an import row can set.
type ContactInput struct {
	Kind, FirstName, LastName, Title, Bio string
	City, Region, Country                 string
	Languages                             []string
	Emails                                []EmailInput
	Phones                                []schema.Phone
	Stage, LawfulBasis, ConsentState      string
	ConsentSource                         string
	DoNotContact                          bool
	OwnerID                               *int
	Channels                              []ChannelInput
	Outlets                               []OutletRole
	Topics, Tags                          []string
	Custom                                schema.CustomValues `json:",omitempty"` // the custom fields' values by key
	Version                               int                 // the version the edit started from (updates only)
}

// EmailInput is one typed e-mail address.
type EmailInput struct{ Address, Type string }

// ChannelInput is one social channel.
type ChannelInput struct {
	Platform, Handle string
	Followers        int64
	Feed             string // the channel's feed (RSS, Atom, JSON Feed), "" for none
	// EngagementRate is the share of the followers who engaged with the
	// channel in the period of its latest figures (engagement ÷ followers,
	// 0.025 for 2.5 %). Channel figures set it; nil leaves a kept channel's
	// stored rate alone (the form and the imports do not carry it).
	EngagementRate *float64
}

// MaxFeedURL is the longest feed address a channel takes.
const MaxFeedURL = 2000

// OutletRole is a job at an outlet, named by the outlet's name.
type OutletRole struct{ Outlet, Role string }

// Limits of free text, in characters.
const (
	maxName = 100
	maxBio  = 20000
	maxLine = 200
)

// normalize trims every field and drops empty rows, so validation and storage
// see the same values.
func (in *ContactInput) normalize() {
	for _, p := range []*string{&in.FirstName, &in.LastName, &in.Title, &in.City, &in.Region, &in.ConsentSource} {
		*p = strings.TrimSpace(*p)
	}
	in.Bio = strings.TrimSpace(in.Bio)
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	in.Languages = cleanList(in.Languages)
	in.Topics, in.Tags = cleanList(in.Topics), cleanList(in.Tags)
	in.Custom = normalizeCustom(in.Custom)
	emails := in.Emails[:0:0]
	for _, e := range in.Emails {
		if e.Address = NormalizeEmail(e.Address); e.Address != "" {
			emails = append(emails, e)
		}
	}
	in.Emails = emails
	phones := in.Phones[:0:0]
	for _, p := range in.Phones {
		if p.Number = strings.TrimSpace(p.Number); p.Number != "" {
			phones = append(phones, p)
		}
	}
	in.Phones = phones
	chans := in.Channels[:0:0]
	for _, c := range in.Channels {
		if strings.TrimSpace(c.Handle) != "" {
			c.Handle = NormalizeHandle(c.Platform, c.Handle)
			chans = append(chans, c)
		}
	}
	in.Channels = chans
	outs := in.Outlets[:0:0]
	for _, o := range in.Outlets {
		o.Outlet, o.Role = strings.TrimSpace(o.Outlet), strings.TrimSpace(o.Role)
		if o.Outlet != "" {
			outs = append(outs, o)
		}
	}
	in.Outlets = outs
	for _, p := range []*string{&in.Kind, &in.Stage, &in.LawfulBasis, &in.ConsentState} {
		*p = strings.TrimSpace(*p)
	}
	if in.Kind == "" {
		in.Kind = string(contact.DefaultKind)
	}
	if in.Stage == "" {
		in.Stage = string(contact.DefaultStage)
	}
	if in.LawfulBasis == "" {
		in.LawfulBasis = string(contact.DefaultLawfulBasis)
	}
	if in.ConsentState == "" {
		in.ConsentState = string(contact.DefaultConsentState)
	}
}

// cleanList trims, drops empties and removes case-blind duplicates, keeping order.
func cleanList(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		k := strings.ToLower(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

// SplitList splits a comma-separated form value ("IT, Gesundheit") into items.
func SplitList(s string) []string { return cleanList(strings.Split(s, ",")) }

// validate checks in (already normalised) and returns field errors keyed by
// the form's field names.
func (in *ContactInput) validate() error {
	fe := FieldErrors{}
	if in.FirstName == "" && in.LastName == "" {
		fe.Add("last_name", "Enter a first or last name.")
	}
	tooLong := func(field, v string, max int) {
		if utf8.RuneCountInString(v) > max {
			fe.Add(field, fmt.Sprintf("At most %d characters, this has %d.", max, utf8.RuneCountInString(v)))
		}
	}
	tooLong("first_name", in.FirstName, maxName)
	tooLong("last_name", in.LastName, maxName)
	tooLong("title", in.Title, maxLine)
	tooLong("bio", in.Bio, maxBio)
	tooLong("city", in.City, maxName)
	tooLong("region", in.Region, maxName)
	tooLong("consent_source", in.ConsentSource, maxLine)
	if in.Country != "" && (len(in.Country) != 2 || strings.Trim(in.Country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
		fe.Add("country", "Use a two-letter country code such as DE.")
	}
	if contact.KindValidator(contact.Kind(in.Kind)) != nil {
		fe.Add("kind", "Choose a kind from the list.")
	}
	if contact.StageValidator(contact.Stage(in.Stage)) != nil {
		fe.Add("stage", "Choose a stage from the list.")
	}
	if contact.LawfulBasisValidator(contact.LawfulBasis(in.LawfulBasis)) != nil {
		fe.Add("lawful_basis", "Choose a lawful basis from the list.")
	}
	if contact.ConsentStateValidator(contact.ConsentState(in.ConsentState)) != nil {
		fe.Add("consent_state", "Choose a consent state from the list.")
	}
	for i, e := range in.Emails {
		if !ValidEmail(e.Address) {
			fe.Add(fmt.Sprintf("emails.%d", i), "Not an e-mail address: "+e.Address)
		}
		if e.Type != "" && contactemail.TypeValidator(contactemail.Type(e.Type)) != nil {
			fe.Add(fmt.Sprintf("emails.%d", i), "Choose work, private or other.")
		}
	}
	for i, p := range in.Phones {
		if utf8.RuneCountInString(p.Number) > 40 || strings.Trim(p.Number, "+0123456789 ()-./") != "" {
			fe.Add(fmt.Sprintf("phones.%d", i), "Use digits, spaces and + ( ) - / only.")
		}
	}
	seen := map[string]bool{}
	for i, c := range in.Channels {
		f := fmt.Sprintf("channels.%d", i)
		switch {
		case !validPlatform(c.Platform):
			fe.Add(f, "Choose a platform.")
		case c.Handle == "" || utf8.RuneCountInString(c.Handle) > 200:
			fe.Add(f, "Enter a handle or profile address.")
		case c.Followers < 0:
			fe.Add(f, "Followers cannot be negative.")
		case seen[c.Platform+"/"+c.Handle]:
			fe.Add(f, "This channel is listed twice.")
		case !validFeedURL(c.Feed):
			fe.Add(f, "Enter the feed's web address (https://…), at most 2,000 characters.")
		}
		seen[c.Platform+"/"+c.Handle] = true
	}
	for i, o := range in.Outlets {
		tooLong(fmt.Sprintf("outlets.%d", i), o.Outlet+o.Role, 2*maxLine)
	}
	for _, t := range in.Topics {
		tooLong("topics", t, 100)
	}
	for _, t := range in.Tags {
		tooLong("tags", t, 100)
	}
	return fe.Err()
}

func validPlatform(p string) bool {
	for _, q := range schema.Platforms {
		if p == q {
			return true
		}
	}
	return false
}

// errAdvocateByReview keeps the advocate list reviewed: only an approved
// nomination makes someone an advocate, never a form or an import.
var errAdvocateByReview = &Error{Code: EInvalid, Message: "Please correct the marked fields.",
	Fields: map[string]string{"stage": "Advocates are approved by a manager: nominate this contact from their page instead."}}

// CheckStageChange refuses to make a contact whose stage was before ("" for
// a new contact) an advocate: forms and imports alike leave that to the review.
func (in ContactInput) CheckStageChange(before string) error {
	if in.Stage == string(contact.StageAdvocate) && before != in.Stage {
		return errAdvocateByReview
	}
	return nil
}

// checkStageChange is the stage rule of write x of a contact stored at
// stage before: CheckStageChange, except that the approved promotion of
// this contact that the write names (ContactWrite.Nomination) makes it an
// advocate. The writer runs it for every write that is not trusted and for
// every write that names a nomination.
func checkStageChange(ctx context.Context, client *ent.Client, x ContactWrite, before string) error {
	if x.Nomination == 0 || x.In.Stage != string(contact.StageAdvocate) {
		return x.In.CheckStageChange(before)
	}
	ok, err := client.Nomination.Query().Where(nomination.ID(x.Nomination), nomination.ContactID(x.ID),
		nomination.StatusEQ(nomination.StatusApproved), nomination.KindEQ(nomination.KindPromote)).Exist(ctx)
	if err != nil {
		return fmt.Errorf("stage rule: nomination %d: %w", x.Nomination, err)
	}
	if !ok {
		return errAdvocateByReview
	}
	return nil
}

// DisplayName joins first and last name.
func DisplayName(first, last string) string { return strings.TrimSpace(first + " " + last) }
