package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/predicate"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/ent/socialprofile"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/topic"
	"github.com/rapport-crm/rapport/ent/user"
)

// Selection is who a segment, a list or an export means: free text plus filters.
type Selection struct {
	Query  string
	Filter schema.SegmentFilter
}

// TextMatcher finds the contacts whose search documents match free text.
// The search engine implements it; without one, text matches names and
// e-mail addresses in the database.
type TextMatcher interface {
	MatchIDs(ctx context.Context, query string) ([]int, error)
}

// Exclusion reasons: who an export leaves out by default, and why.
const (
	ExcludedDoNotContact = "do_not_contact"
	ExcludedWithdrawn    = "consent_withdrawn"
	ExcludedObjected     = "objected"
	ExcludedNoBasis      = "no_lawful_basis"
	ExcludedNoEmail      = "no_email"
)

// ExclusionLabels says each reason in words.
var ExclusionLabels = map[string]string{
	ExcludedDoNotContact: "marked do-not-contact",
	ExcludedWithdrawn:    "withdrew consent",
	ExcludedObjected:     "objected",
	ExcludedNoBasis:      "no lawful basis recorded",
	ExcludedNoEmail:      "no e-mail address (mailer format)",
}

// Resolved is a selection's members in name order, split into who may be
// contacted and who is excluded, with counts by reason.
type Resolved struct {
	IDs         []int
	ExcludedIDs []int
	Excluded    map[string]int
}

// Predicates turns the filter into contact predicates.
func Predicates(f schema.SegmentFilter, now time.Time) []predicate.Contact {
	var ps []predicate.Contact
	in := func(vals []string, p func(...string) predicate.Contact) {
		if len(vals) > 0 {
			ps = append(ps, p(vals...))
		}
	}
	in(f.Kinds, func(v ...string) predicate.Contact { return contact.KindIn(enumsOf[contact.Kind](v)...) })
	in(f.Stages, func(v ...string) predicate.Contact { return contact.StageIn(enumsOf[contact.Stage](v)...) })
	in(f.Consent, func(v ...string) predicate.Contact {
		return contact.ConsentStateIn(enumsOf[contact.ConsentState](v)...)
	})
	in(f.Regions, contact.RegionIn)
	in(f.Topics, func(v ...string) predicate.Contact { return contact.HasTopicsWith(topic.NameIn(v...)) })
	in(f.Tags, func(v ...string) predicate.Contact { return contact.HasTagsWith(tag.NameIn(v...)) })
	in(f.Platforms, func(v ...string) predicate.Contact {
		return contact.HasChannelsWith(socialprofile.PlatformIn(enumsOf[socialprofile.Platform](v)...))
	})
	if len(f.Owners) > 0 {
		ps = append(ps, contact.HasOwnerWith(user.IDIn(f.Owners...)))
	}
	if f.MinHealth != nil {
		ps = append(ps, contact.HealthGTE(*f.MinHealth))
	}
	if f.MaxHealth != nil {
		ps = append(ps, contact.HealthLTE(*f.MaxHealth))
	}
	if f.MinFollowers != nil {
		ps = append(ps, contact.ReachGTE(*f.MinFollowers))
	}
	if f.MaxFollowers != nil {
		ps = append(ps, contact.ReachLTE(*f.MaxFollowers))
	}
	if f.Stale != nil {
		stale := contact.TouchDueAtLT(now.UTC())
		if *f.Stale {
			ps = append(ps, stale)
		} else {
			ps = append(ps, contact.Not(stale))
		}
	}
	if f.HasEmail != nil {
		if *f.HasEmail {
			ps = append(ps, contact.HasEmails())
		} else {
			ps = append(ps, contact.Not(contact.HasEmails()))
		}
	}
	return ps
}

func enumsOf[T ~string](vs []string) []T {
	out := make([]T, len(vs))
	for i, v := range vs {
		out[i] = T(v)
	}
	return out
}

// Resolve lists the members of sel in name order. needEmail counts contacts
// without an e-mail as excluded (mailer formats).
func Resolve(ctx context.Context, client *ent.Client, m TextMatcher, sel Selection, needEmail bool, now time.Time) (*Resolved, error) {
	where := Predicates(sel.Filter, now)
	if q := strings.TrimSpace(sel.Query); q != "" {
		if m == nil {
			where = append(where, contact.Or(contact.FirstNameContainsFold(q), contact.LastNameContainsFold(q),
				contact.HasEmailsWith(contactemail.AddressContains(strings.ToLower(q)))))
		} else {
			ids, err := m.MatchIDs(ctx, q)
			if err != nil {
				return nil, fmt.Errorf("resolve selection: %w", err)
			}
			set := make(map[int]bool, len(ids))
			for _, id := range ids {
				set[id] = true
			}
			return resolveRows(ctx, client, where, needEmail, func(id int) bool { return set[id] })
		}
	}
	return resolveRows(ctx, client, where, needEmail, nil)
}

type memberRow struct {
	ID           int    `json:"id"`
	DoNotContact bool   `json:"do_not_contact"`
	ConsentState string `json:"consent_state"`
	LawfulBasis  string `json:"lawful_basis"`
}

func resolveRows(ctx context.Context, client *ent.Client, where []predicate.Contact, needEmail bool, keep func(int) bool) (*Resolved, error) {
	var rows []memberRow
	err := client.Contact.Query().Where(where...).
		Order(contact.ByLastName(), contact.ByFirstName(), contact.ByID()).
		Select(contact.FieldID, contact.FieldDoNotContact, contact.FieldConsentState, contact.FieldLawfulBasis).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("resolve selection: %w", err)
	}
	withEmail := map[int]bool{}
	if needEmail {
		ids, err := client.ContactEmail.Query().Where(contactemail.HasContactWith(where...)).
			Unique(true).Select(contactemail.FieldContactID).Ints(ctx)
		if err != nil {
			return nil, fmt.Errorf("resolve selection: e-mails: %w", err)
		}
		for _, id := range ids {
			withEmail[id] = true
		}
	}
	r := &Resolved{Excluded: map[string]int{}}
	for _, m := range rows {
		if keep != nil && !keep(m.ID) {
			continue
		}
		reason := ""
		switch {
		case m.DoNotContact:
			reason = ExcludedDoNotContact
		case m.ConsentState == string(contact.ConsentStateWithdrawn):
			reason = ExcludedWithdrawn
		case m.ConsentState == string(contact.ConsentStateObjected):
			reason = ExcludedObjected
		case m.LawfulBasis == string(contact.LawfulBasisNone):
			reason = ExcludedNoBasis
		case needEmail && !withEmail[m.ID]:
			reason = ExcludedNoEmail
		}
		if reason == "" {
			r.IDs = append(r.IDs, m.ID)
			continue
		}
		r.Excluded[reason]++
		r.ExcludedIDs = append(r.ExcludedIDs, m.ID)
	}
	return r, nil
}
