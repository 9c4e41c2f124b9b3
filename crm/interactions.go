package crm

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/interaction"
)

// InteractionInput is one touch point to log.
type InteractionInput struct {
	ContactIDs []int
	Type       string
	Direction  string
	OccurredAt time.Time
	Subject    string
	Body       string
	Sentiment  string
	FollowUp   FollowUp // complete the open follow-up, schedule the next
	Links      []string // web addresses it refers to (the article, the recording)
	// CampaignID links the interaction to a campaign (0: none).
	CampaignID int
	// EmbargoUntil is the embargo a pitch carries (nil: none).
	EmbargoUntil *time.Time
}

func (in *InteractionInput) validate(now time.Time) error {
	in.Subject, in.Body = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Body)
	if in.Direction == "" {
		in.Direction = string(interaction.DefaultDirection)
	}
	if in.Sentiment == "" {
		in.Sentiment = string(interaction.DefaultSentiment)
	}
	fe := FieldErrors{}
	if interaction.TypeValidator(interaction.Type(in.Type)) != nil {
		fe.Add("type", "Choose what kind of interaction this was.")
	}
	if interaction.DirectionValidator(interaction.Direction(in.Direction)) != nil {
		fe.Add("direction", "Choose inbound or outbound.")
	}
	if interaction.SentimentValidator(interaction.Sentiment(in.Sentiment)) != nil {
		fe.Add("sentiment", "Choose positive, neutral or negative.")
	}
	if in.OccurredAt.IsZero() {
		fe.Add("occurred_at", "Enter when it happened.")
	} else if in.OccurredAt.After(now.Add(24 * time.Hour)) {
		fe.Add("occurred_at", "This date is in the future; plan follow-ups as tasks instead.")
	}
	if utf8.RuneCountInString(in.Subject) > 300 {
		fe.Add("subject", "At most 300 characters.")
	}
	if utf8.RuneCountInString(in.Body) > 100000 {
		fe.Add("body", "At most 100,000 characters.")
	}
	if in.Subject == "" && in.Body == "" {
		fe.Add("subject", "Enter a subject or a note.")
	}
	if len(in.ContactIDs) == 0 {
		fe.Add("contacts", "Choose at least one contact.")
	}
	in.Links = checkLinks(in.Links, fe)
	in.ContactIDs = uniqueInts(in.ContactIDs)
	in.FollowUp.validate(fe)
	return fe.Err()
}

// MaxInteractionContacts bounds the contacts of one interaction logged from
// the form or the API (a meeting, a press event); a campaign's pitch reaches
// its whole list through LogInteractionMany.
const MaxInteractionContacts = 50

// LogInteraction stores an interaction by author with its contacts, moves
// each contact's last_interaction_at forward, refreshes their health and
// touch due date, and completes or schedules follow-ups as in.FollowUp says,
// in one transaction. It is LogInteractionMany without options: one path for
// one contact and for thousands.
func LogInteraction(ctx context.Context, client *ent.Client, authorID int, in InteractionInput) (*ent.Interaction, error) {
	if n := len(uniqueInts(in.ContactIDs)); n > MaxInteractionContacts {
		fe := FieldErrors{}
		fe.Add("contacts", fmt.Sprintf("At most %d contacts per interaction.", MaxInteractionContacts))
		return nil, fe.Err()
	}
	return LogInteractionMany(ctx, client, authorID, in, ManyOptions{})
}

// Participations builds the rows that make contactIDs participants of it,
// each with a copy of its occurred_at (the contact's timeline index needs it).
// Write participations only this way: an interaction's "contacts" edge would
// leave the time out.
func Participations(pc *ent.ParticipationClient, it *ent.Interaction, contactIDs ...int) []*ent.ParticipationCreate {
	out := make([]*ent.ParticipationCreate, len(contactIDs))
	for k, id := range contactIDs {
		out[k] = pc.Create().SetInteractionID(it.ID).SetContactID(id).SetOccurredAt(it.OccurredAt)
	}
	return out
}
