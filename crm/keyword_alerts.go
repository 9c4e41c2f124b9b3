package crm

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/feedpost"
	"github.com/rapport-crm/rapport/ent/keywordalert"
	"github.com/rapport-crm/rapport/ent/keywordrule"
	"github.com/rapport-crm/rapport/search"
)

// Limits of the keyword alerts.
const (
	MaxKeywordRules = 500 // rules a new post is matched against
	maxKeywordTerm  = 100 // characters of a term
)

// KeywordRules manages the keyword alert rules (managers and admins).
type KeywordRules struct{ client *ent.Client }

// NewKeywordRules returns the rules' service.
func NewKeywordRules(client *ent.Client) *KeywordRules { return &KeywordRules{client: client} }

// KeywordRuleInput is a new rule as the form sends it.
type KeywordRuleInput struct {
	Term       string
	CampaignID int // 0: none
}

// Create stores an active rule. A term is 1–100 characters the search
// analyzer keeps words of (not only stop words); a campaign must exist.
func (s *KeywordRules) Create(ctx context.Context, in KeywordRuleInput) (*ent.KeywordRule, error) {
	in.Term = strings.TrimSpace(in.Term)
	fe := FieldErrors{}
	if n := utf8.RuneCountInString(in.Term); n == 0 || n > maxKeywordTerm {
		fe.Add("term", "Enter a term of at most 100 characters.")
	} else if nq, err := search.ParseNotes(in.Term); err != nil || nq == nil {
		fe.Add("term", "This term has no words to look for.")
	}
	if in.CampaignID != 0 {
		if ok, err := s.client.Campaign.Query().Where(campaign.ID(in.CampaignID)).Exist(ctx); err != nil {
			return nil, fmt.Errorf("create keyword rule: %w", err)
		} else if !ok {
			fe.Add("campaign", "Choose a campaign from the list.")
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if n, err := s.client.KeywordRule.Query().Count(ctx); err != nil {
		return nil, fmt.Errorf("create keyword rule: %w", err)
	} else if n >= MaxKeywordRules {
		return nil, Errorf(EInvalid, "There are 500 keyword rules already; remove one first.")
	}
	c := s.client.KeywordRule.Create().SetTerm(in.Term)
	if in.CampaignID != 0 {
		c.SetCampaignID(in.CampaignID)
	}
	if a := ActorFrom(ctx); a.UserID != 0 {
		c.SetCreatedByID(a.UserID)
	}
	r, err := c.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create keyword rule: %w", err)
	}
	return r, nil
}

// SetActive switches a rule on or off.
func (s *KeywordRules) SetActive(ctx context.Context, id int, active bool) error {
	err := s.client.KeywordRule.UpdateOneID(id).SetActive(active).Exec(ctx)
	if ent.IsNotFound(err) {
		return Errorf(ENotFound, "This keyword rule does not exist (any more).")
	}
	if err != nil {
		return fmt.Errorf("switch keyword rule %d: %w", id, err)
	}
	return nil
}

// Delete removes a rule with its alerts (their tasks stay).
func (s *KeywordRules) Delete(ctx context.Context, id int) error {
	err := s.client.KeywordRule.DeleteOneID(id).Exec(ctx)
	if ent.IsNotFound(err) {
		return Errorf(ENotFound, "This keyword rule does not exist (any more).")
	}
	if err != nil {
		return fmt.Errorf("delete keyword rule %d: %w", id, err)
	}
	return nil
}

// List returns every rule with its campaign, newest first.
func (s *KeywordRules) List(ctx context.Context) ([]*ent.KeywordRule, error) {
	rs, err := s.client.KeywordRule.Query().WithCampaign().Order(ent.Desc(keywordrule.FieldID)).Limit(MaxKeywordRules).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list keyword rules: %w", err)
	}
	return rs, nil
}

// KeywordAlertRow is an alert as the settings page lists it.
type KeywordAlertRow struct {
	ID             int
	Term           string
	ContactID      int
	Contact        string
	Title, Link    string
	PublishedAt    time.Time
	Campaign       string // "" when the rule names none
	Recommendation bool
	TaskID         int
	CampaignID     int // the rule's campaign when it matched; 0: none
	CoverageID     int // the coverage item it was accepted as; 0: not yet
}

// Alerts returns the newest limit alerts (at most 200).
func (s *KeywordRules) Alerts(ctx context.Context, limit int) ([]KeywordAlertRow, error) {
	as, err := s.client.KeywordAlert.Query().WithRule().WithCampaign().WithPost(func(q *ent.FeedPostQuery) { q.WithContact() }).
		Order(ent.Desc(keywordalert.FieldID)).Limit(min(max(limit, 1), 200)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list keyword alerts: %w", err)
	}
	out := make([]KeywordAlertRow, 0, len(as))
	for _, a := range as {
		r := KeywordAlertRow{ID: a.ID, Recommendation: a.Recommendation, Term: a.Edges.Rule.Term}
		if p := a.Edges.Post; p != nil {
			r.Title, r.Link, r.PublishedAt = p.Title, p.Link, p.PublishedAt
			if c := p.Edges.Contact; c != nil {
				r.ContactID, r.Contact = c.ID, DisplayName(c.FirstName, c.LastName)
			}
		}
		if c := a.Edges.Campaign; c != nil {
			r.Campaign = c.Name
		}
		if a.TaskID != nil {
			r.TaskID = *a.TaskID
		}
		if a.CampaignID != nil {
			r.CampaignID = *a.CampaignID
		}
		if a.CoverageItemID != nil {
			r.CoverageID = *a.CoverageItemID
		}
		out = append(out, r)
	}
	return out, nil
}

// compiledRule is an active rule with its query.
type compiledRule struct {
	r  *ent.KeywordRule
	nq *search.NoteQuery
}

// alertKeywords matches the new posts ids of one contact's feed against the
// active rules inside tx: each match becomes one alert (never twice per post
// and rule), a candidate of the rule's campaign, and a task for the
// contact's owner due today; a post by an advocate is a recommendation.
func alertKeywords(ctx context.Context, tx *ent.Tx, contactID int, postIDs []int, now time.Time) (int, error) {
	rules, err := tx.KeywordRule.Query().Where(keywordrule.Active(true)).Order(ent.Asc(keywordrule.FieldID)).Limit(MaxKeywordRules).All(ctx)
	if err != nil || len(rules) == 0 {
		return 0, err
	}
	var compiled []compiledRule
	for _, r := range rules {
		if nq, err := search.ParseNotes(r.Term); err == nil && nq != nil {
			compiled = append(compiled, compiledRule{r, nq})
		}
	}
	c, err := tx.Contact.Query().Where(contact.ID(contactID)).Only(ctx)
	if err != nil {
		return 0, fmt.Errorf("keyword alerts: %w", err)
	}
	posts, err := tx.FeedPost.Query().Where(feedpost.IDIn(postIDs...)).Order(ent.Asc(feedpost.FieldID)).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("keyword alerts: %w", err)
	}
	made := 0
	for _, p := range posts {
		for _, cr := range compiled {
			if !cr.nq.MatchPost(p.Title, p.Summary) {
				continue
			}
			if ok, err := tx.KeywordAlert.Query().Where(keywordalert.RuleID(cr.r.ID), keywordalert.FeedPostID(p.ID)).Exist(ctx); err != nil || ok {
				if err != nil {
					return made, fmt.Errorf("keyword alerts: %w", err)
				}
				continue
			}
			owner := 0
			if c.OwnerID != nil {
				owner = *c.OwnerID
			}
			t, err := insertTask(ctx, tx, c.ID, Truncate("„"+cr.r.Term+"“ · "+postOrLink(p), 300), endOfDay(now), owner, 0)
			if err != nil {
				return made, err
			}
			err = tx.KeywordAlert.Create().SetRuleID(cr.r.ID).SetFeedPostID(p.ID).SetNillableCampaignID(cr.r.CampaignID).
				SetTaskID(t.ID).SetRecommendation(c.Stage == contact.StageAdvocate).SetCreatedAt(now.UTC()).Exec(ctx)
			if err != nil {
				return made, fmt.Errorf("keyword alerts: %w", err)
			}
			made++
		}
	}
	return made, nil
}

// postOrLink is a post's title, or its link when it has none.
func postOrLink(p *ent.FeedPost) string {
	if p.Title != "" {
		return p.Title
	}
	return p.Link
}

// endOfDay is 17:00 UTC of now's day, as tasks fall due.
func endOfDay(now time.Time) time.Time {
	now = now.UTC()
	return time.Date(now.Year(), now.Month(), now.Day(), 17, 0, 0, 0, time.UTC)
}
