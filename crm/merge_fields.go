package crm

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/schema"
)

// MergeField is a field of a contact that a merge takes from one of the
// two contacts, as the side-by-side form offers it.
type MergeField struct {
	Key, Label string
	get        func(ContactInput) string
	set        func(dst *ContactInput, src ContactInput)
}

// Value is the field's value in in, as the form shows it.
func (f MergeField) Value(in ContactInput) string { return f.get(in) }

func textField(key, label string, p func(*ContactInput) *string) MergeField {
	return MergeField{Key: key, Label: label,
		get: func(in ContactInput) string { return *p(&in) },
		set: func(dst *ContactInput, src ContactInput) { *p(dst) = *p(&src) }}
}

// MergeFields are the fields the merge form lets one choose, in its order.
// The e-mails, channels, outlets, topics, tags, phones and languages of
// both are kept (each once); do-not-contact and the consent state keep the
// stricter of the two (mergeConsent).
var MergeFields = []MergeField{
	textField("first_name", "First name", func(in *ContactInput) *string { return &in.FirstName }),
	textField("last_name", "Last name", func(in *ContactInput) *string { return &in.LastName }),
	textField("kind", "Kind", func(in *ContactInput) *string { return &in.Kind }),
	textField("title", "Title", func(in *ContactInput) *string { return &in.Title }),
	textField("bio", "Bio", func(in *ContactInput) *string { return &in.Bio }),
	textField("city", "City", func(in *ContactInput) *string { return &in.City }),
	textField("region", "Region", func(in *ContactInput) *string { return &in.Region }),
	textField("country", "Country", func(in *ContactInput) *string { return &in.Country }),
	textField("stage", "Stage", func(in *ContactInput) *string { return &in.Stage }),
	textField("lawful_basis", "Lawful basis", func(in *ContactInput) *string { return &in.LawfulBasis }),
	textField("consent_state", "Consent", func(in *ContactInput) *string { return &in.ConsentState }),
	textField("consent_source", "Consent source", func(in *ContactInput) *string { return &in.ConsentSource }),
	{Key: "owner", Label: "Owner",
		get: func(in ContactInput) string {
			if in.OwnerID == nil {
				return ""
			}
			return "#" + strconv.Itoa(*in.OwnerID)
		},
		set: func(dst *ContactInput, src ContactInput) { dst.OwnerID = src.OwnerID }},
}

// mergeInputs is keep's input with the fields named in fromDrop taken from
// drop, phones and languages of both, and the stricter consent. keep's
// relations are left as they are: the merge has moved drop's rows to it.
func mergeInputs(keep, drop ContactInput, fromDrop []string) ContactInput {
	out := keep
	for _, f := range MergeFields {
		if slices.Contains(fromDrop, f.Key) {
			f.set(&out, drop)
		}
	}
	out.Languages = slices.Clone(keep.Languages)
	for _, l := range drop.Languages {
		if !slices.Contains(out.Languages, l) {
			out.Languages = append(out.Languages, l)
		}
	}
	out.Phones = slices.Clone(keep.Phones)
	seen := map[string]bool{}
	for _, p := range keep.Phones {
		seen[phoneKey(p)] = true
	}
	for _, p := range drop.Phones {
		if k := phoneKey(p); !seen[k] {
			seen[k] = true
			out.Phones = append(out.Phones, p)
		}
	}
	out.DoNotContact, out.ConsentState = mergeConsent(keep, drop, out.ConsentState)
	out.Custom = maps.Clone(keep.Custom) // custom values: keep's, drop's filling the blanks
	for k, v := range drop.Custom {
		if _, set := out.Custom[k]; !set {
			if out.Custom == nil {
				out.Custom = map[string]any{}
			}
			out.Custom[k] = v
		}
	}
	return out
}

func phoneKey(p schema.Phone) string {
	if e := E164(p.Number); e != "" {
		return e
	}
	return strings.TrimSpace(p.Number)
}

// consentRank orders consent states by how much they restrict contact:
// an objection over a withdrawal over anything else.
var consentRank = map[string]int{string(contact.ConsentStateObjected): 2, string(contact.ConsentStateWithdrawn): 1}

// mergeConsent is the consent of a merged contact: whoever opted out on
// either record stays opted out (do-not-contact, a withdrawal, an
// objection), whatever was chosen; otherwise the chosen state.
func mergeConsent(a, b ContactInput, chosen string) (dnc bool, state string) {
	state = chosen
	for _, s := range []string{a.ConsentState, b.ConsentState} {
		if consentRank[s] > consentRank[state] {
			state = s
		}
	}
	return a.DoNotContact || b.DoNotContact, state
}
