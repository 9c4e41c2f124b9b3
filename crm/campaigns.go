package crm

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/brand"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/campaignmember"
	"github.com/rapport-crm/rapport/ent/predicate"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/ent/segment"
	"github.com/rapport-crm/rapport/ent/user"
)

// Audited entities of campaigns.
const (
	EntityBrand    = "client"
	EntityCampaign = "campaign"
	EntityCoverage = "coverage"
)

// Campaigns runs campaigns: clients, campaigns and their frozen target
// lists, pitches and their states, coverage and reports. Target lists are
// resolved through the one selection resolver; pitches and replies are
// logged through LogInteractionMany.
type Campaigns struct {
	client  *ent.Client
	dialect string
	sels    *Selections
	now     func() time.Time
}

// NewCampaigns returns the campaign service of client (dialect dia),
// resolving target lists with sels.
func NewCampaigns(client *ent.Client, dia string, sels *Selections, now func() time.Time) *Campaigns {
	if now == nil {
		now = time.Now
	}
	return &Campaigns{client: client, dialect: dia, sels: sels, now: now}
}

// isManager reports whether the actor sees every campaign and the reports.
func isManager(a Actor) bool { return a.Role == "manager" || a.Role == "admin" }

// visible narrows campaigns to those the actor may see: managers all, staff
// those they own or are on the team of.
func visible(a Actor) predicate.Campaign {
	if isManager(a) {
		return campaign.IDGT(0)
	}
	return campaign.Or(campaign.OwnerID(a.UserID), campaign.HasMembersWith(campaignmember.UserID(a.UserID)))
}

// Campaign loads campaign id if the actor may see it (else ENotFound: a
// record of others is not revealed).
func (s *Campaigns) Campaign(ctx context.Context, id int) (*ent.Campaign, error) {
	c, err := s.client.Campaign.Query().Where(campaign.ID(id), visible(ActorFrom(ctx))).WithBrand().WithOwner().
		WithMembers(func(q *ent.CampaignMemberQuery) { q.WithUser() }).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, Errorf(ENotFound, "This campaign does not exist or is not yours.")
	}
	if err != nil {
		return nil, fmt.Errorf("load campaign: %w", err)
	}
	return c, nil
}

// BrandInput is a client as the form sends it.
type BrandInput struct{ Name, Notes string }

// SaveBrand creates a client (managers).
func (s *Campaigns) SaveBrand(ctx context.Context, in BrandInput) (*ent.Brand, error) {
	in.Name, in.Notes = strings.TrimSpace(in.Name), strings.TrimSpace(in.Notes)
	fe := FieldErrors{}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		fe.Add("name", "Name the client.")
	case n > 120:
		fe.Add("name", "At most 120 characters.")
	}
	if utf8.RuneCountInString(in.Notes) > 2000 {
		fe.Add("notes", "At most 2,000 characters.")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if !isManager(ActorFrom(ctx)) {
		return nil, Errorf(EForbidden, "Only managers add clients.")
	}
	var b *ent.Brand
	err := db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		if ok, err := tx.Brand.Query().Where(brand.NameEqualFold(in.Name)).Exist(ctx); err != nil {
			return fmt.Errorf("save client: %w", err)
		} else if ok {
			return (FieldErrors{"name": "A client of this name exists already."}).Err()
		}
		var err error
		if b, err = tx.Brand.Create().SetName(in.Name).SetNotes(in.Notes).Save(ctx); err != nil {
			return fmt.Errorf("save client: %w", err)
		}
		return audit(ctx, tx, Event{Action: ActionCreate, Entity: EntityBrand, EntityID: b.ID, Msg: MsgNamed(in.Name),
			Changes: created(map[string]any{"name": in.Name, "notes": in.Notes})})
	})
	return b, err
}

// Brands lists the clients by name.
func (s *Campaigns) Brands(ctx context.Context) ([]*ent.Brand, error) {
	return s.client.Brand.Query().Order(brand.ByName()).Limit(1000).All(ctx)
}

// CampaignInput is a campaign as the form sends it.
type CampaignInput struct {
	BrandID      int
	Name, Goal   string
	KeyMessages  []string
	StartsAt     time.Time
	EndsAt       *time.Time
	EmbargoUntil *time.Time
	Status       string
	NoReplyDays  int
	TeamIDs      []int
}

func (in *CampaignInput) validate() error {
	in.Name, in.Goal = strings.TrimSpace(in.Name), strings.TrimSpace(in.Goal)
	var kms []string
	for _, k := range in.KeyMessages {
		if k = strings.TrimSpace(k); k != "" {
			kms = append(kms, k)
		}
	}
	in.KeyMessages = kms
	if in.Status == "" {
		in.Status = string(campaign.DefaultStatus)
	}
	if in.NoReplyDays == 0 {
		in.NoReplyDays = campaign.DefaultNoReplyDays
	}
	fe := FieldErrors{}
	if in.BrandID == 0 {
		fe.Add("brand", "Choose the client.")
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		fe.Add("name", "Name the campaign.")
	case n > 200:
		fe.Add("name", "At most 200 characters.")
	}
	if utf8.RuneCountInString(in.Goal) > 5000 {
		fe.Add("goal", "At most 5,000 characters.")
	}
	if len(in.KeyMessages) > 20 {
		fe.Add("key_messages", "At most 20 key messages.")
	}
	for _, k := range in.KeyMessages {
		if utf8.RuneCountInString(k) > 300 {
			fe.Add("key_messages", "A key message has at most 300 characters.")
		}
	}
	if in.StartsAt.IsZero() {
		fe.Add("starts_at", "Enter when the campaign starts.")
	}
	if in.EndsAt != nil && in.EndsAt.Before(in.StartsAt) {
		fe.Add("ends_at", "The end is before the start.")
	}
	if campaign.StatusValidator(campaign.Status(in.Status)) != nil {
		fe.Add("status", "Choose planned, running or done.")
	}
	if in.NoReplyDays < 1 || in.NoReplyDays > 365 {
		fe.Add("no_reply_days", "Between 1 and 365 days.")
	}
	if len(in.TeamIDs) > 50 {
		fe.Add("team", "At most 50 people on a team.")
	}
	return fe.Err()
}

// CreateCampaign adds a campaign owned by the actor.
func (s *Campaigns) CreateCampaign(ctx context.Context, in CampaignInput) (*ent.Campaign, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	a := ActorFrom(ctx)
	var c *ent.Campaign
	err := db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		if ok, err := tx.Brand.Query().Where(brand.ID(in.BrandID)).Exist(ctx); err != nil {
			return fmt.Errorf("create campaign: %w", err)
		} else if !ok {
			return (FieldErrors{"brand": "Choose an existing client."}).Err()
		}
		team := uniqueInts(in.TeamIDs)
		if n, err := tx.User.Query().Where(user.IDIn(team...), user.Active(true)).Count(ctx); err != nil {
			return fmt.Errorf("create campaign: %w", err)
		} else if n != len(team) {
			return (FieldErrors{"team": "Choose active colleagues."}).Err()
		}
		cr := tx.Campaign.Create().SetBrandID(in.BrandID).SetName(in.Name).SetGoal(in.Goal).SetKeyMessages(in.KeyMessages).
			SetStartsAt(in.StartsAt.UTC()).SetNillableEndsAt(in.EndsAt).SetNillableEmbargoUntil(in.EmbargoUntil).
			SetStatus(campaign.Status(in.Status)).SetNoReplyDays(in.NoReplyDays)
		if a.UserID != 0 {
			cr.SetOwnerID(a.UserID)
		}
		var err error
		if c, err = cr.Save(ctx); err != nil {
			return fmt.Errorf("create campaign: %w", err)
		}
		if len(team) > 0 {
			bulk := make([]*ent.CampaignMemberCreate, len(team))
			for i, u := range team {
				bulk[i] = tx.CampaignMember.Create().SetCampaignID(c.ID).SetUserID(u)
			}
			if err := tx.CampaignMember.CreateBulk(bulk...).Exec(ctx); err != nil {
				return fmt.Errorf("create campaign: team: %w", err)
			}
		}
		return audit(ctx, tx, Event{Action: ActionCreate, Entity: EntityCampaign, EntityID: c.ID, Msg: MsgNamed(in.Name),
			Changes: created(map[string]any{"client": in.BrandID, "name": in.Name, "goal": in.Goal, "key_messages": in.KeyMessages,
				"status": in.Status, "starts_at": in.StartsAt.Format(dateLayout), "team": team})})
	})
	return c, err
}

// SetCampaignStatus moves a campaign to planned, running or done (through
// UpdateCampaign, at the version it reads).
func (s *Campaigns) SetCampaignStatus(ctx context.Context, id int, status string) error {
	if campaign.StatusValidator(campaign.Status(status)) != nil {
		return (FieldErrors{"status": "Choose planned, running or done."}).Err()
	}
	c, err := s.Campaign(ctx, id)
	if err != nil {
		return err
	}
	in := CampaignInputOf(c)
	in.Status = status
	_, err = s.UpdateCampaign(ctx, id, c.Version, in)
	return err
}

// CampaignSource is who a target list is frozen from.
type CampaignSource = schema.CampaignSource

// Choices are what the campaign forms offer: the segments the actor may use
// (own and shared, by name) and the active users.
func (s *Campaigns) Choices(ctx context.Context) ([]*ent.Segment, []*ent.User, error) {
	a := ActorFrom(ctx)
	segs, err := s.client.Segment.Query().Where(segment.Or(segment.OwnerID(a.UserID), segment.Shared(true))).
		Order(segment.ByName()).Limit(200).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("campaign choices: %w", err)
	}
	users, err := s.client.User.Query().Where(user.Active(true)).Order(user.ByName()).Limit(500).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("campaign choices: %w", err)
	}
	return segs, users, nil
}

// Brand loads client id.
func (s *Campaigns) Brand(ctx context.Context, id int) (*ent.Brand, error) {
	b, err := s.client.Brand.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, Errorf(ENotFound, "This client does not exist.")
	}
	return b, err
}
