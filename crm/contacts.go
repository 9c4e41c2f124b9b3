package crm

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
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
	Version                               int // the version the edit started from (updates only)
}

// EmailInput is one typed e-mail address.
type EmailInput struct{ Address, Type string }

// ChannelInput is one social channel.
type ChannelInput struct {
	Platform, Handle string
	Followers        int64
}

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

// CreateContact validates in and stores a new contact with its e-mails,
// channels, outlets, topics and tags in one transaction.
func CreateContact(ctx context.Context, client *ent.Client, in ContactInput) (*ent.Contact, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return nil, err
	}
	if err := in.CheckStageChange(""); err != nil {
		return nil, err
	}
	var c *ent.Contact
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		if err := checkHandlesFree(ctx, tx, 0, in.Channels); err != nil {
			return err
		}
		create := tx.Contact.Create()
		applyContactFields(create.Mutation(), in)
		var err error
		if c, err = create.Save(ctx); err != nil {
			return fmt.Errorf("create contact: %w", err)
		}
		if err := saveRelations(ctx, tx, c.ID, in); err != nil {
			return err
		}
		if err := refreshContactHealth(ctx, tx, c.ID); err != nil {
			return err
		}
		snap, err := contactSnapshot(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		return audit(ctx, tx, Event{Action: ActionCreate, Entity: EntityContact, EntityID: c.ID, Changes: created(snap)})
	})
	return c, err
}

// UpdateContact saves in over contact id, provided nobody saved it since
// in.Version; otherwise it returns an EConflict error and changes nothing.
func UpdateContact(ctx context.Context, client *ent.Client, id int, in ContactInput) (*ent.Contact, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return nil, err
	}
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		if err := checkHandlesFree(ctx, tx, id, in.Channels); err != nil {
			return err
		}
		before, err := contactSnapshot(ctx, tx, id)
		if ent.IsNotFound(err) {
			return Errorf(ENotFound, "This contact does not exist (any more).")
		}
		if err != nil {
			return err
		}
		was, _ := before["stage"].(string)
		if err := in.CheckStageChange(was); err != nil {
			return err
		}
		upd := tx.Contact.Update().Where(contact.ID(id), contact.Version(in.Version)).AddVersion(1)
		applyContactFields(upd.Mutation(), in)
		if in.OwnerID == nil {
			upd.ClearOwner()
		}
		if in.Phones == nil {
			upd.ClearPhones()
		}
		n, err := upd.Save(ctx)
		if err != nil {
			return fmt.Errorf("update contact %d: %w", id, err)
		}
		if n == 0 {
			if exists, _ := tx.Contact.Query().Where(contact.ID(id)).Exist(ctx); !exists {
				return Errorf(ENotFound, "This contact does not exist (any more).")
			}
			return Errorf(EConflict, "Someone else saved this contact after you opened it.")
		}
		if err := clearRelations(ctx, tx, id); err != nil {
			return err
		}
		if err := saveRelations(ctx, tx, id, in); err != nil {
			return err
		}
		if err := refreshContactHealth(ctx, tx, id); err != nil { // stage, reach or cadence may have moved
			return err
		}
		after, err := contactSnapshot(ctx, tx, id)
		if err != nil {
			return err
		}
		ch := diff(before, after)
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityContact, EntityID: id, Summary: ch.FieldList(), Changes: ch})
	})
	if err != nil {
		return nil, err
	}
	return client.Contact.Get(ctx, id)
}

// applyContactFields copies the scalar fields of in onto a create or update mutation.
func applyContactFields(m *ent.ContactMutation, in ContactInput) {
	m.SetKind(contact.Kind(in.Kind))
	m.SetFirstName(in.FirstName)
	m.SetLastName(in.LastName)
	SetSortKeys(m, in.FirstName, in.LastName)
	m.SetTitle(in.Title)
	m.SetBio(in.Bio)
	m.SetLanguages(in.Languages)
	m.SetCity(in.City)
	m.SetRegion(in.Region)
	m.SetCountry(in.Country)
	if in.Phones != nil {
		m.SetPhones(in.Phones)
	}
	m.SetStage(contact.Stage(in.Stage))
	m.SetLawfulBasis(contact.LawfulBasis(in.LawfulBasis))
	m.SetConsentState(contact.ConsentState(in.ConsentState))
	m.SetConsentSource(in.ConsentSource)
	m.SetDoNotContact(in.DoNotContact)
	if in.OwnerID != nil {
		m.SetOwnerID(*in.OwnerID)
	}
	var reach int64
	for _, c := range in.Channels {
		reach += c.Followers
	}
	m.SetReach(reach)
}
