package importing

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/schema"
)

// scalarFields are the single-value fields a row can set.
var scalarFields = []string{"first_name", "last_name", "title", "city", "region", "country",
	"kind", "stage", "consent_state", "lawful_basis", "do_not_contact"}

func scalar(in *crm.ContactInput, key string) *string {
	switch key {
	case "first_name":
		return &in.FirstName
	case "last_name":
		return &in.LastName
	case "title":
		return &in.Title
	case "city":
		return &in.City
	case "region":
		return &in.Region
	case "country":
		return &in.Country
	case "kind":
		return &in.Kind
	case "stage":
		return &in.Stage
	case "consent_state":
		return &in.ConsentState
	case "lawful_basis":
		return &in.LawfulBasis
	}
	return nil
}

// applyRow lays row d over base and returns the result. With overwrite (the
// first row for a contact) the row's values replace the contact's; without
// (a duplicate row merged into an earlier one) they only fill blanks, and a
// differing value is kept out with a warning. Lists (e-mails, phones,
// channels, outlets, topics, tags) always add up; notes are appended.
func applyRow(base crm.ContactInput, d *RowData, overwrite bool) (crm.ContactInput, []string) {
	out := cloneInput(base)
	var warns []string
	for _, k := range scalarFields {
		v, ok := d.Set[k]
		if !ok {
			continue
		}
		if k == "do_not_contact" {
			if overwrite || v == "true" {
				out.DoNotContact = v == "true"
			}
			continue
		}
		p := scalar(&out, k)
		switch {
		case overwrite || *p == "" || (k == "kind" || k == "stage") && *p == defaultOf(k):
			*p = v
		case !strings.EqualFold(*p, v):
			warns = append(warns, fmt.Sprintf("%s %q kept; this row says %q", FieldLabel(k), *p, v))
		}
	}
	out.Bio = joinText(out.Bio, d.Bio)
	for _, e := range d.Emails {
		if !slices.ContainsFunc(out.Emails, func(x crm.EmailInput) bool { return x.Address == e.Address }) {
			if e.Type == "" {
				e.Type = "work"
			}
			out.Emails = append(out.Emails, e)
		}
	}
	for _, p := range d.Phones {
		if !slices.ContainsFunc(out.Phones, func(x schema.Phone) bool { return digits(x.Number) == digits(p.Number) }) {
			out.Phones = append(out.Phones, p)
		}
	}
	for _, c := range d.Channels {
		i := slices.IndexFunc(out.Channels, func(x crm.ChannelInput) bool { return x.Platform == c.Platform && x.Handle == c.Handle })
		switch {
		case i < 0:
			out.Channels = append(out.Channels, c)
		case c.Followers > 0:
			out.Channels[i].Followers = c.Followers
		}
	}
	role, hasRole := d.Set["role"]
	for _, o := range d.Outlets {
		i := slices.IndexFunc(out.Outlets, func(x crm.OutletRole) bool { return strings.EqualFold(x.Outlet, o.Outlet) })
		switch {
		case i < 0:
			if hasRole {
				o.Role = role
			}
			out.Outlets = append(out.Outlets, o)
		case hasRole && (overwrite || out.Outlets[i].Role == ""):
			out.Outlets[i].Role = role
		}
	}
	if hasRole && len(d.Outlets) == 0 {
		warns = append(warns, "role given without an outlet; left out")
	}
	out.Topics = addFold(out.Topics, d.Topics, nil)
	out.Tags = addFold(out.Tags, d.Tags, nil)
	out.Tags = addFold(out.Tags, d.Categories, out.Topics)
	out.Languages = addFold(out.Languages, d.Languages, nil)
	return out, warns
}

func defaultOf(k string) string {
	if k == "kind" {
		return "journalist"
	}
	return "unknown"
}

// addFold appends the items of add that have, case-blind, neither nor skip.
// (A vCard's CATEGORIES carry topics and tags alike; a category that is one
// of the contact's topics is not made a tag.)
func addFold(have, add, skip []string) []string {
	for _, a := range add {
		eq := func(x string) bool { return strings.EqualFold(x, a) }
		if !slices.ContainsFunc(have, eq) && !slices.ContainsFunc(skip, eq) {
			have = append(have, a)
		}
	}
	return have
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, s)
}

func cloneInput(in crm.ContactInput) crm.ContactInput {
	in.Emails = slices.Clone(in.Emails)
	in.Phones = slices.Clone(in.Phones)
	in.Channels = slices.Clone(in.Channels)
	in.Outlets = slices.Clone(in.Outlets)
	in.Topics = slices.Clone(in.Topics)
	in.Tags = slices.Clone(in.Tags)
	in.Languages = slices.Clone(in.Languages)
	in.Custom = maps.Clone(in.Custom)
	return in
}

// customValues types the row's custom cells by the fields' types, as the
// contact form does; a cell that does not fit is the row's error.
func (e *engine) customValues(d *RowData) (map[string]any, error) {
	if len(d.Custom) == 0 {
		return nil, nil
	}
	out := map[string]any{}
	for key, cell := range d.Custom {
		f, _ := e.fields.ByKey(key)
		v, msg := f.Parse([]string{cell})
		if msg != "" {
			return nil, invalid("%s: %q: %s", f.LabelEN, cell, msg)
		}
		if v != nil {
			out[key] = v
		}
	}
	return out, nil
}

// mergeCustom lays a row's custom values over a contact's: the first row
// for a contact sets them, a later one only fills blanks.
func mergeCustom(have, row map[string]any, overwrite bool) map[string]any {
	if len(row) == 0 {
		return have
	}
	out := maps.Clone(have)
	if out == nil {
		out = map[string]any{}
	}
	for k, v := range row {
		if _, set := out[k]; overwrite || !set {
			out[k] = v
		}
	}
	return out
}

// sameInput reports whether two checked inputs save the same contact.
func sameInput(a, b crm.ContactInput) bool {
	if a.Kind != b.Kind || a.FirstName != b.FirstName || a.LastName != b.LastName || a.Title != b.Title ||
		a.Bio != b.Bio || a.City != b.City || a.Region != b.Region || a.Country != b.Country ||
		a.Stage != b.Stage || a.LawfulBasis != b.LawfulBasis || a.ConsentState != b.ConsentState ||
		a.ConsentSource != b.ConsentSource || a.DoNotContact != b.DoNotContact {
		return false
	}
	key := func(xs []string) string {
		s := slices.Clone(xs)
		for i := range s {
			s[i] = strings.ToLower(s[i])
		}
		slices.Sort(s)
		return strings.Join(s, "\x00")
	}
	list := func(in crm.ContactInput) [6]string {
		var es, ps, cs, os []string
		for _, e := range in.Emails {
			es = append(es, e.Address+"/"+e.Type)
		}
		for _, p := range in.Phones {
			ps = append(ps, p.Number+"/"+p.Label)
		}
		for _, c := range in.Channels {
			cs = append(cs, fmt.Sprintf("%s/%s/%d", c.Platform, c.Handle, c.Followers))
		}
		for _, o := range in.Outlets {
			os = append(os, o.Outlet+"/"+o.Role)
		}
		return [6]string{key(es), key(ps), key(cs), key(os), key(in.Topics), key(in.Tags) + "|" + key(in.Languages)}
	}
	ca, _ := json.Marshal(a.Custom) // map keys sorted: the same values, the same text
	cb, _ := json.Marshal(b.Custom)
	return list(a) == list(b) && string(ca) == string(cb)
}
