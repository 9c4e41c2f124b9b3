package crm

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/rapport-crm/rapport/ent/schema"
)

// snapshotOf is what an audit event records of a contact saved as in: its
// fields and its e-mails, phones, channels, jobs, topics and tags as sorted
// text. in carries the stored spelling of its outlets, topics and tags.
func snapshotOf(in ContactInput) map[string]any {
	snap := make(map[string]any, len(contactFields)+len(in.Custom))
	for _, f := range contactFields {
		snap[f.key] = f.val(&in)
	}
	for k, v := range in.Custom { // one entry per field: its history reads "custom.birthday"
		snap[CustomFormName(k)] = CustomText(v)
	}
	return snap
}

// diffContact is diff(snapshotOf(a), snapshotOf(b)) without building the
// two snapshots: a field whose inputs agree has equal snapshot values, so
// only the fields whose inputs differ are rendered and compared. A bulk
// change of one field compares 21 fields and renders one.
func diffContact(a, b *ContactInput) Changes {
	ch := Changes{}
	put := func(k string, va, vb any) {
		if !reflect.DeepEqual(va, vb) {
			ch[k] = [2]any{va, vb}
		}
	}
	for _, f := range contactFields {
		if f.same(a, b) {
			continue
		}
		put(f.key, f.val(a), f.val(b))
	}
	if len(a.Custom) == 0 && len(b.Custom) == 0 {
		return ch
	}
	for k, v := range a.Custom {
		var vb any
		if w, ok := b.Custom[k]; ok {
			vb = CustomText(w)
		}
		put(CustomFormName(k), CustomText(v), vb)
	}
	for k, v := range b.Custom {
		if _, ok := a.Custom[k]; !ok {
			ch[CustomFormName(k)] = [2]any{nil, CustomText(v)}
		}
	}
	return ch
}

// contactField is one built-in field of snapshotOf: same reports whether
// two inputs give it the same value without rendering it, val renders it.
type contactField struct {
	key  string
	same func(a, b *ContactInput) bool
	val  func(in *ContactInput) any
}

func snapField(key string, f func(in *ContactInput) string) contactField {
	return contactField{key, func(a, b *ContactInput) bool { return f(a) == f(b) }, func(in *ContactInput) any { return f(in) }}
}

// contactFields are the built-in fields of snapshotOf, rendered alike.
var contactFields = []contactField{
	snapField("kind", func(in *ContactInput) string { return in.Kind }),
	snapField("first_name", func(in *ContactInput) string { return in.FirstName }),
	snapField("last_name", func(in *ContactInput) string { return in.LastName }),
	snapField("title", func(in *ContactInput) string { return in.Title }),
	snapField("bio", func(in *ContactInput) string { return in.Bio }),
	snapField("city", func(in *ContactInput) string { return in.City }),
	snapField("region", func(in *ContactInput) string { return in.Region }),
	snapField("country", func(in *ContactInput) string { return in.Country }),
	snapField("stage", func(in *ContactInput) string { return in.Stage }),
	snapField("lawful_basis", func(in *ContactInput) string { return in.LawfulBasis }),
	snapField("consent_state", func(in *ContactInput) string { return in.ConsentState }),
	snapField("consent_source", func(in *ContactInput) string { return in.ConsentSource }),
	{"do_not_contact", func(a, b *ContactInput) bool { return a.DoNotContact == b.DoNotContact },
		func(in *ContactInput) any { return in.DoNotContact }},
	{"owner_id", func(a, b *ContactInput) bool { return ownerOf(a) == ownerOf(b) }, func(in *ContactInput) any { return ownerOf(in) }},
	{"languages", func(a, b *ContactInput) bool { return slices.Equal(a.Languages, b.Languages) },
		func(in *ContactInput) any { return sortedStrings(in.Languages) }},
	{"emails", func(a, b *ContactInput) bool { return slices.Equal(a.Emails, b.Emails) },
		func(in *ContactInput) any {
			return sortedEach(in.Emails, func(e EmailInput) string { return e.Address + " (" + emailType(e.Type) + ")" })
		}},
	{"phones", func(a, b *ContactInput) bool { return slices.Equal(a.Phones, b.Phones) },
		func(in *ContactInput) any {
			return sortedEach(in.Phones, func(p schema.Phone) string { return p.Number + " (" + p.Label + ")" })
		}},
	{"channels", func(a, b *ContactInput) bool {
		return slices.EqualFunc(a.Channels, b.Channels, func(x, y ChannelInput) bool {
			return x.Platform == y.Platform && x.Handle == y.Handle && x.Followers == y.Followers
		})
	}, func(in *ContactInput) any {
		return sortedEach(in.Channels, func(ch ChannelInput) string { return fmt.Sprintf("%s/%s: %d", ch.Platform, ch.Handle, ch.Followers) })
	}},
	{"outlets", func(a, b *ContactInput) bool { return slices.Equal(a.Outlets, b.Outlets) },
		func(in *ContactInput) any {
			return sortedEach(in.Outlets, func(o OutletRole) string { return o.Outlet + " – " + o.Role })
		}},
	{"topics", func(a, b *ContactInput) bool { return slices.Equal(a.Topics, b.Topics) },
		func(in *ContactInput) any { return sortedStrings(in.Topics) }},
	{"tags", func(a, b *ContactInput) bool { return slices.Equal(a.Tags, b.Tags) },
		func(in *ContactInput) any { return sortedStrings(in.Tags) }},
}

func ownerOf(in *ContactInput) int {
	if in.OwnerID == nil {
		return 0
	}
	return *in.OwnerID
}

// sortedEach renders each of xs and sorts the texts (sortedStrings).
func sortedEach[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	slices.Sort(out)
	return out
}
