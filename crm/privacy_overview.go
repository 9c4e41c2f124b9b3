package crm

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/privacyrequest"
	"github.com/rapport-crm/rapport/ent/retentionreview"
)

// PrivacyOverview is what the data-protection officer's page shows.
type PrivacyOverview struct {
	ByBasis, ByConsent     []ValueCount // contacts by lawful basis and by consent state
	Contacts, DoNotContact int
	NotNotified            int // never told we hold their data (Art. 14)
	Open                   []*ent.PrivacyRequest
	Erasures               []*ent.PrivacyRequest // recent, ids only
	Reviews                []ReviewEntry
	ReviewCount            int
	Preview                []RetentionCount
}

// ValueCount is a value and how many have it.
type ValueCount struct {
	Value string
	N     int
}

// ReviewEntry is a contact on the retention review list.
type ReviewEntry struct {
	ContactID          int
	Name, Policy, Rule string
	FoundAt            time.Time
	LastInteraction    *time.Time
}

// Overview loads the /privacy page: a few grouped counts and short lists.
func (p *Privacy) Overview(ctx context.Context) (*PrivacyOverview, error) {
	o := &PrivacyOverview{}
	var err error
	group := func(col string) ([]ValueCount, error) {
		var out []ValueCount
		err := scanRowsArgs(ctx, p.client, "SELECT "+col+", COUNT(*) FROM contacts GROUP BY "+col+" ORDER BY 2 DESC", nil,
			func(scan func(...any) error) error {
				var c ValueCount
				if err := scan(&c.Value, &c.N); err != nil {
					return err
				}
				out = append(out, c)
				return nil
			})
		return out, err
	}
	if o.ByBasis, err = group(contact.FieldLawfulBasis); err != nil {
		return nil, fmt.Errorf("privacy overview: %w", err)
	}
	if o.ByConsent, err = group(contact.FieldConsentState); err != nil {
		return nil, fmt.Errorf("privacy overview: %w", err)
	}
	for _, c := range o.ByBasis {
		o.Contacts += c.N
	}
	if o.DoNotContact, err = p.client.Contact.Query().Where(contact.DoNotContact(true)).Count(ctx); err != nil {
		return nil, fmt.Errorf("privacy overview: %w", err)
	}
	if o.NotNotified, err = p.client.Contact.Query().Where(contact.NotifiedAtIsNil()).Count(ctx); err != nil {
		return nil, fmt.Errorf("privacy overview: %w", err)
	}
	if o.Open, err = p.client.PrivacyRequest.Query().Where(privacyrequest.StatusEQ(privacyrequest.StatusOpen)).
		Order(privacyrequest.ByDueAt()).Limit(200).All(ctx); err != nil {
		return nil, fmt.Errorf("privacy overview: %w", err)
	}
	if o.Erasures, err = p.client.PrivacyRequest.Query().Where(privacyrequest.KindEQ(privacyrequest.KindErasure),
		privacyrequest.StatusEQ(privacyrequest.StatusDone)).Order(ent.Desc(privacyrequest.FieldDoneAt)).Limit(20).All(ctx); err != nil {
		return nil, fmt.Errorf("privacy overview: %w", err)
	}
	if o.Reviews, o.ReviewCount, err = p.reviews(ctx, 100); err != nil {
		return nil, err
	}
	if o.Preview, err = p.RetentionPreview(ctx); err != nil {
		return nil, err
	}
	return o, nil
}

// reviews is the open retention review list, oldest first, at most limit.
func (p *Privacy) reviews(ctx context.Context, limit int) ([]ReviewEntry, int, error) {
	n, err := p.client.RetentionReview.Query().Where(retentionreview.StatusEQ(retentionreview.StatusOpen)).Count(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("retention review list: %w", err)
	}
	rs, err := p.client.RetentionReview.Query().Where(retentionreview.StatusEQ(retentionreview.StatusOpen)).WithContact().
		Order(retentionreview.ByFoundAt(), retentionreview.ByContactID()).Limit(limit).All(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("retention review list: %w", err)
	}
	out := make([]ReviewEntry, 0, len(rs))
	for _, r := range rs {
		e := ReviewEntry{ContactID: r.ContactID, Policy: r.Policy, Rule: r.Reason, FoundAt: r.FoundAt}
		if c := r.Edges.Contact; c != nil {
			e.Name, e.LastInteraction = DisplayName(c.FirstName, c.LastName), c.LastInteractionAt
		}
		out = append(out, e)
	}
	return out, n, nil
}

// ReviewIDs are the contact ids of the open review list, for a bulk erase
// of everyone on it (at most limit).
func (p *Privacy) ReviewIDs(ctx context.Context, limit int) ([]int, error) {
	ids, err := p.client.RetentionReview.Query().Where(retentionreview.StatusEQ(retentionreview.StatusOpen)).
		Order(retentionreview.ByContactID()).Limit(limit).Select(retentionreview.FieldContactID).Ints(ctx)
	if err != nil {
		return nil, fmt.Errorf("retention review list: %w", err)
	}
	return ids, nil
}

// RecordOfProcessing is the summary of processing activities (Art. 30) as
// a table: one row per lawful basis with its contacts, retention rule and
// the categories of data held; the page exports it as XLSX.
func (p *Privacy) RecordOfProcessing(ctx context.Context) ([]string, [][]string, error) {
	o, err := p.Overview(ctx)
	if err != nil {
		return nil, nil, err
	}
	header := []string{"Processing", "Lawful basis", "Contacts", "Categories of data", "Data subjects", "Recipients", "Retention", "Erasures (last 20)", "Open requests"}
	cats := "name, job title, outlets, e-mail, phone, social channels and reach, topics, interactions, consent history"
	rows := [][]string{}
	for _, c := range o.ByBasis {
		rule := ""
		for _, pol := range RetentionPolicies {
			if pol.Basis == c.Value {
				rule = pol.Rule
			}
		}
		rows = append(rows, []string{"Influencer and press relations", c.Value, strconv.Itoa(c.N), cats,
			"journalists, bloggers, creators, advocates, analysts, customers", "the team's users; exports as logged", rule,
			strconv.Itoa(len(o.Erasures)), strconv.Itoa(len(o.Open))})
	}
	return header, rows, nil
}
