package crm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/coverageitem"
	"github.com/rapport-crm/rapport/ent/predicate"
)

// This file holds what the coverage import (package importing) asks of the
// campaign service; the pieces themselves are saved by AddCoverage.

// CheckCoverage validates in as AddCoverage does (trimming it) and returns
// the field messages, nil when it is valid.
func CheckCoverage(in *CoverageInput) FieldErrors {
	var e *Error
	if err := in.validate(); errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields
	}
	return nil
}

// DateWarnings are AddCoverage's warnings about a publication date at of a
// piece of campaign c: in the future, or before the campaign started.
func (s *Campaigns) DateWarnings(c *ent.Campaign, at time.Time) CoverageWarnings {
	var warn CoverageWarnings
	if at.After(s.now().Add(24 * time.Hour)) {
		warn = append(warn, "The publication date is in the future.")
	}
	if at.Before(c.StartsAt.Add(-24 * time.Hour)) {
		warn = append(warn, "The publication date is before the campaign started.")
	}
	return warn
}

// AuthorMatch is what an author's name or e-mail address found: the contact
// when exactly one has it (Count 1).
type AuthorMatch struct {
	ID    int
	Name  string
	Count int
}

// FindAuthors looks up authors as a coverage file names them: an e-mail
// address (with "@") by the contact's addresses, otherwise a name ("Anna
// Berg" or "Berg, Anna") by first and last name, ignoring case.
func (s *Campaigns) FindAuthors(ctx context.Context, refs []string) (map[string]AuthorMatch, error) {
	out := map[string]AuthorMatch{}
	var mails []string
	type name struct{ ref, first, last string }
	var names []name
	for _, r := range refs {
		if _, done := out[r]; done {
			continue
		}
		out[r] = AuthorMatch{}
		if strings.Contains(r, "@") {
			mails = append(mails, strings.ToLower(r))
		} else if f, l := splitPersonName(r); l != "" {
			names = append(names, name{r, f, l})
		}
	}
	for chunk := range slices.Chunk(mails, 500) {
		es, err := s.client.ContactEmail.Query().Where(contactemail.AddressIn(chunk...)).WithContact().All(ctx)
		if err != nil {
			return nil, fmt.Errorf("find authors: %w", err)
		}
		for _, r := range refs {
			for _, e := range es {
				if strings.EqualFold(e.Address, r) && e.Edges.Contact != nil {
					m := out[r]
					if m.Count == 0 || m.ID != e.ContactID {
						m.Count++
					}
					m.ID, m.Name = e.ContactID, fullName(e.Edges.Contact)
					out[r] = m
				}
			}
		}
	}
	for chunk := range slices.Chunk(names, 100) {
		ors := make([]predicate.Contact, len(chunk))
		for i, n := range chunk {
			ors[i] = contact.And(contact.FirstNameEqualFold(n.first), contact.LastNameEqualFold(n.last))
		}
		cs, err := s.client.Contact.Query().Where(contact.Or(ors...)).Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("find authors: %w", err)
		}
		for _, n := range chunk {
			for _, c := range cs {
				if strings.EqualFold(c.FirstName, n.first) && strings.EqualFold(c.LastName, n.last) {
					m := out[n.ref]
					m.Count++
					m.ID, m.Name = c.ID, fullName(c)
					out[n.ref] = m
				}
			}
		}
	}
	return out, nil
}

// splitPersonName splits "Anna Berg" or "Berg, Anna" into first and last name.
func splitPersonName(v string) (first, last string) {
	v = strings.Join(strings.Fields(v), " ")
	if l, f, ok := strings.Cut(v, ","); ok {
		return strings.TrimSpace(f), strings.TrimSpace(l)
	}
	i := strings.LastIndexByte(v, ' ')
	if i < 0 {
		return "", v
	}
	return v[:i], v[i+1:]
}

func fullName(c *ent.Contact) string { return strings.TrimSpace(c.FirstName + " " + c.LastName) }

// CoverageTitles returns, for the web addresses urls, the title of the piece
// on record under each one's normalised key (addresses without a piece are
// missing from the map). The title is empty when the piece belongs to a
// campaign the actor may not see (visible, as AddCoverage decides): that a
// piece is on record is said, not what or where it is.
func (s *Campaigns) CoverageTitles(ctx context.Context, urls []string) (map[string]string, error) {
	keyOf := map[string][]string{}
	var keys []string
	for _, u := range urls {
		if k, err := NormalizeURL(u); err == nil {
			if _, ok := keyOf[k]; !ok {
				keys = append(keys, k)
			}
			keyOf[k] = append(keyOf[k], u)
		}
	}
	out := map[string]string{}
	for chunk := range slices.Chunk(keys, 500) {
		items, err := s.client.CoverageItem.Query().Where(coverageitem.URLKeyIn(chunk...)).
			Select(coverageitem.FieldURLKey, coverageitem.FieldTitle, coverageitem.FieldCampaignID).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("coverage titles: %w", err)
		}
		var cids []int
		for _, it := range items {
			cids = append(cids, it.CampaignID)
		}
		seen, err := s.client.Campaign.Query().Where(campaign.IDIn(uniqueInts(cids)...), visible(ActorFrom(ctx))).IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("coverage titles: %w", err)
		}
		for _, it := range items {
			if it.URLKey == nil {
				continue
			}
			title := ""
			if slices.Contains(seen, it.CampaignID) {
				title = it.Title
			}
			for _, u := range keyOf[*it.URLKey] {
				out[u] = title
			}
		}
	}
	return out, nil
}

// AuditCoverageImport records a coverage import of campaign id: the file and
// what came of it (each piece is audited by AddCoverage).
func (s *Campaigns) AuditCoverageImport(ctx context.Context, id int, filename string, saved, skipped, errs int) error {
	return db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		return audit(ctx, tx, Event{Action: ActionImport, Entity: EntityCampaign, EntityID: id,
			Msg:     MsgCoverageImport(filename, saved, skipped, errs),
			Changes: created(map[string]any{"file": filename, "saved": saved, "skipped": skipped, "errors": errs})})
	})
}
