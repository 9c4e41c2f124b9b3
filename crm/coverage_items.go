package crm

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/coverageitem"
)

// CoverageInput is a published piece as the form, the URL reader or a CSV
// row gives it.
type CoverageInput struct {
	CampaignID  int
	URL, Title  string
	OutletName  string
	OutletType  string
	PublishedAt time.Time
	Kind        string
	Reach       *int64
	Sentiment   string
	KeyMessages []string
	AuthorIDs   []int
}

// trackingParams are the query parameters NormalizeURL strips.
var trackingParams = []string{"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "_hsenc", "_hsmi", "yclid", "ref", "ref_src", "wt_mc", "wt.mc_id"}

// NormalizeURL is the key a piece's URL is known by: scheme and host lower
// case, no "www.", no fragment, no tracking parameters (utm_* and the
// like), remaining parameters sorted, no trailing slash. Two URLs of the
// same piece give the same key. An unusable URL gives an error.
func NormalizeURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("not a web address")
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || slices.Contains(trackingParams, lk) {
			q.Del(k)
		}
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	key := host + path
	if enc := q.Encode(); enc != "" { // Encode sorts by key
		key += "?" + enc
	}
	return key, nil
}

// CoverageWarnings are what AddCoverage saved but wants the user to check.
type CoverageWarnings []string

func (in *CoverageInput) validate() error {
	in.URL, in.Title = strings.TrimSpace(in.URL), strings.TrimSpace(in.Title)
	in.OutletName, in.OutletType = strings.TrimSpace(in.OutletName), strings.TrimSpace(in.OutletType)
	if in.Kind == "" {
		in.Kind = string(coverageitem.DefaultKind)
	}
	if in.Sentiment == "" {
		in.Sentiment = string(coverageitem.DefaultSentiment)
	}
	fe := FieldErrors{}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		fe.Add("title", "Enter the headline or title.")
	case n > 500:
		fe.Add("title", "At most 500 characters.")
	}
	if len(in.URL) > 2000 {
		fe.Add("url", "At most 2,000 characters.")
	} else if in.URL != "" {
		if _, err := NormalizeURL(in.URL); err != nil {
			fe.Add("url", "Enter a web address starting with http:// or https://.")
		}
	}
	if utf8.RuneCountInString(in.OutletName) > 200 {
		fe.Add("outlet", "At most 200 characters.")
	}
	if utf8.RuneCountInString(in.OutletType) > 40 {
		fe.Add("outlet_type", "At most 40 characters.")
	}
	if in.PublishedAt.IsZero() {
		fe.Add("published_at", "Enter when it was published.")
	}
	if coverageitem.KindValidator(coverageitem.Kind(in.Kind)) != nil {
		fe.Add("kind", "Choose the kind of piece.")
	}
	if coverageitem.SentimentValidator(coverageitem.Sentiment(in.Sentiment)) != nil {
		fe.Add("sentiment", "Choose positive, neutral or negative.")
	}
	if in.Reach != nil && *in.Reach < 0 {
		fe.Add("reach", "Reach is a number of people, 0 or more.")
	}
	if len(in.AuthorIDs) > 20 {
		fe.Add("authors", "At most 20 authors.")
	}
	return fe.Err()
}

// duplicateCoverage is the refusal of a piece whose URL dup has already: it
// names dup and its campaign only when the actor may see that campaign
// (visible), so the check does not reveal other teams' campaigns.
func (s *Campaigns) duplicateCoverage(ctx context.Context, dup *ent.CoverageItem) error {
	fields := map[string]string{"url": "This address is on record already."}
	seen, err := s.client.Campaign.Query().Where(campaign.ID(dup.CampaignID), visible(ActorFrom(ctx))).Exist(ctx)
	if err != nil {
		return fmt.Errorf("add coverage: %w", err)
	}
	if !seen {
		e := NewError(EConflict, "This piece is on record already, in a campaign you cannot see.")
		e.Fields = fields
		return e
	}
	e := NewError(EConflict, "Already recorded as “{{.Title}}” (campaign #{{.Campaign}}).", "Title", dup.Title, "Campaign", dup.CampaignID)
	e.Fields = fields
	return e
}

// AddCoverage records a published piece of campaign in.CampaignID. A piece
// whose normalised URL is on record already is refused (one item per URL).
// Dates in the future or before the campaign are saved with a warning. With
// authors, it logs ONE coverage interaction on their timelines (through
// LogInteractionMany, which also makes it searchable by title and outlet),
// marks those who are targets covered, and counts the piece as an advocate
// recommendation when an author is an advocate.
func (s *Campaigns) AddCoverage(ctx context.Context, in CoverageInput) (*ent.CoverageItem, CoverageWarnings, error) {
	if err := in.validate(); err != nil {
		return nil, nil, err
	}
	c, err := s.canRun(ctx, in.CampaignID)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	warn := s.DateWarnings(c, in.PublishedAt)
	var key *string
	if in.URL != "" {
		k, _ := NormalizeURL(in.URL)
		key = &k
		if dup, err := s.client.CoverageItem.Query().Where(coverageitem.URLKey(k)).First(ctx); err == nil {
			return nil, nil, s.duplicateCoverage(ctx, dup)
		} else if !ent.IsNotFound(err) {
			return nil, nil, fmt.Errorf("add coverage: %w", err)
		}
	}
	authors := uniqueInts(in.AuthorIDs)
	if len(authors) > 0 {
		advocates, err := s.client.Contact.Query().Where(contact.IDIn(authors...), contact.KindEQ(contact.KindAdvocate)).Count(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("add coverage: %w", err)
		}
		if advocates > 0 && in.Kind != string(coverageitem.KindAdvocateRecommendation) {
			in.Kind = string(coverageitem.KindAdvocateRecommendation)
			warn = append(warn, "An author is an advocate: the piece counts as an advocate recommendation.")
		}
	}
	var item *ent.CoverageItem
	write := func(ctx context.Context, tx *ent.Tx, it *ent.Interaction) error {
		cr := tx.CoverageItem.Create().SetCampaignID(c.ID).SetURL(in.URL).SetNillableURLKey(key).SetTitle(in.Title).
			SetOutletName(in.OutletName).SetOutletType(in.OutletType).SetPublishedAt(in.PublishedAt.UTC()).
			SetKind(coverageitem.Kind(in.Kind)).SetNillableReach(in.Reach).SetSentiment(coverageitem.Sentiment(in.Sentiment)).
			SetKeyMessages(in.KeyMessages)
		if a := ActorFrom(ctx); a.UserID != 0 {
			cr.SetCreatedByID(a.UserID)
		}
		if it != nil {
			cr.SetInteractionID(it.ID)
		}
		var err error
		if item, err = cr.Save(ctx); err != nil {
			if ent.IsConstraintError(err) {
				return (FieldErrors{"url": "This piece is on record already."}).Err()
			}
			return fmt.Errorf("add coverage: %w", err)
		}
		if len(authors) > 0 {
			bulk := make([]*ent.CoverageAuthorCreate, len(authors))
			for i, a := range authors {
				bulk[i] = tx.CoverageAuthor.Create().SetCoverageItemID(item.ID).SetContactID(a)
			}
			if err := tx.CoverageAuthor.CreateBulk(bulk...).Exec(ctx); err != nil {
				return fmt.Errorf("add coverage: authors: %w", err)
			}
			var others []string
			for _, st := range PitchStatuses() {
				if st != PitchCovered {
					others = append(others, st)
				}
			}
			if _, err := claimTargets(ctx, tx, c.ID, authors, claim{from: others, to: PitchCovered, at: now.UTC()}); err != nil {
				return err
			}
		}
		return audit(ctx, tx, Event{Action: ActionCreate, Entity: EntityCoverage, EntityID: item.ID, Msg: MsgCoverage(c.Name, in.Title),
			Changes: created(map[string]any{"url": in.URL, "title": in.Title, "outlet": in.OutletName, "kind": in.Kind,
				"published_at": in.PublishedAt.UTC().Format(dateLayout), "authors": authors})})
	}
	if len(authors) == 0 {
		err = db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error { return write(ctx, tx, nil) })
		return item, warn, err
	}
	body := in.OutletName
	if in.URL != "" {
		body = strings.TrimSpace(body + "\n" + in.URL)
	}
	at := in.PublishedAt.UTC()
	if at.After(now) {
		at = now.UTC() // the timeline refuses the future; the item keeps its date
	}
	_, err = LogInteractionMany(ctx, s.client, ActorFrom(ctx).UserID, InteractionInput{ContactIDs: authors, Type: "coverage",
		Direction: "inbound", OccurredAt: at, Subject: Truncate(in.Title, 300), Body: body, Sentiment: in.Sentiment,
		CampaignID: c.ID}, ManyOptions{Now: s.now, InBatch: func(ctx context.Context, tx *ent.Tx, it *ent.Interaction, _ []int) error {
		return write(ctx, tx, it)
	}})
	return item, warn, err
}

// PitchStatuses lists the pitch states in funnel order.
func PitchStatuses() []string {
	return []string{PitchPlanned, PitchPitched, PitchReplied, PitchInterested, PitchDeclined, PitchCovered, PitchBounced, PitchNoReply}
}
