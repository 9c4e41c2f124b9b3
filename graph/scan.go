package graph

import (
	"database/sql"
	"encoding/json"
	"strings"
	"time"
)

// contactFields are the contact columns a row can read besides its id, in
// the order they are selected, with where each is scanned to.
var contactFields = []struct {
	need Need
	sql  string
	dest func(c *Contact) any
}{
	{Kind, "c.kind", func(c *Contact) any { return &c.Kind }},
	{Stage, "c.stage", func(c *Contact) any { return &c.Stage }},
	{FirstName, "c.first_name", func(c *Contact) any { return &c.FirstName }},
	{LastName, "c.last_name", func(c *Contact) any { return &c.LastName }},
	{Title, "c.title", func(c *Contact) any { return &c.Title }},
	{Bio, "c.bio", func(c *Contact) any { return &c.Bio }},
	{City, "c.city", func(c *Contact) any { return &c.City }},
	{Region, "c.region", func(c *Contact) any { return &c.Region }},
	{Country, "c.country", func(c *Contact) any { return &c.Country }},
	{LawfulBasis, "c.lawful_basis", func(c *Contact) any { return &c.LawfulBasis }},
	{ConsentState, "c.consent_state", func(c *Contact) any { return &c.ConsentState }},
	{OwnerID, "COALESCE(c.owner_id, 0)", func(c *Contact) any { return intDest{&c.OwnerID} }},
	{Owner, "COALESCE(u.name, '')", func(c *Contact) any { return &c.Owner }},
	{Health, "c.health", func(c *Contact) any { return intDest{&c.Health} }},
	{Reach, "c.reach", func(c *Contact) any { return int64Dest{&c.Reach} }},
	{DoNotContact, "c.do_not_contact", func(c *Contact) any { return &c.DoNotContact }},
	{ConsentAt, "c.consent_at", func(c *Contact) any { return timeDest{&c.ConsentAt} }},
	{LastInteractionAt, "c.last_interaction_at", func(c *Contact) any { return timeDest{&c.LastInteractionAt} }},
	{UpdatedAt, "c.updated_at", func(c *Contact) any { return utcDest{&c.UpdatedAt} }},
	{Phones, "c.phones", func(c *Contact) any { return phonesDest{&c.Phones} }},
	{Custom, "c.custom", func(c *Contact) any { return customDest{&c.Custom} }},
}

// customDest scans the custom JSON column (NULL: no values).
type customDest struct{ p *map[string]any }

func (d customDest) Scan(v any) error {
	var js []byte
	switch v := v.(type) {
	case []byte:
		js = v
	case string:
		js = []byte(v)
	}
	*d.p = nil
	if len(js) == 0 || string(js) == "null" {
		return nil
	}
	return json.Unmarshal(js, d.p)
}

// intDest and int64Dest scan integer columns without database/sql's
// generic conversion, which formats and parses an int64 to put it in an int.
type (
	intDest   struct{ p *int }
	int64Dest struct{ p *int64 }
)

func (d intDest) Scan(v any) error {
	var n int64
	err := int64Dest{&n}.Scan(v)
	*d.p = int(n)
	return err
}

func (d int64Dest) Scan(v any) error {
	if n, ok := v.(int64); ok {
		*d.p = n
		return nil
	}
	var n sql.NullInt64
	if err := n.Scan(v); err != nil {
		return err
	}
	*d.p = n.Int64
	return nil
}

// timeDest scans a nullable timestamp into a *time.Time, in UTC.
type timeDest struct{ p **time.Time }

func (d timeDest) Scan(v any) error {
	var t sql.NullTime
	if err := t.Scan(v); err != nil {
		return err
	}
	*d.p = nil
	if t.Valid {
		u := t.Time.UTC()
		*d.p = &u
	}
	return nil
}

// utcDest scans a timestamp, in UTC.
type utcDest struct{ p *time.Time }

func (d utcDest) Scan(v any) error {
	var t sql.NullTime
	if err := t.Scan(v); err != nil {
		return err
	}
	*d.p = t.Time.UTC()
	return nil
}

// phonesDest scans the contacts.phones JSON column into its numbers.
type phonesDest struct{ p *[]string }

func (d phonesDest) Scan(v any) error {
	switch js := v.(type) {
	case []byte:
		*d.p = phoneNumbers(js)
	case string:
		*d.p = phoneNumbers([]byte(js))
	default:
		*d.p = nil
	}
	return nil
}

// phoneNumbers reads the numbers of the contacts.phones JSON column.
func phoneNumbers(js []byte) []string {
	if len(js) == 0 || string(js) == "null" {
		return nil
	}
	var ps []struct {
		Number string `json:"number"`
	}
	if json.Unmarshal(js, &ps) != nil {
		return nil
	}
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if p.Number = strings.TrimSpace(p.Number); p.Number != "" {
			out = append(out, p.Number)
		}
	}
	return out
}
