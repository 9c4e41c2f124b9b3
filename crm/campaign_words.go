package crm

import (
	"context"

	"github.com/rapport-crm/rapport/locale"
)

// The texts a campaign action stores into user data (a follow-up's title, a
// logged reply's subject) are written in the acting user's language, the
// locale of ctx (English without one), with the campaign's name as a value:
// they show as stored on the dashboard, in /tasks, the timeline and exports.

// pitchFollowUpTitle is the title of the follow-up a pitch schedules.
func pitchFollowUpTitle(ctx context.Context, campaign string) string {
	return locale.T(ctx, "Follow up pitch: {{.Campaign}}", "Campaign", Truncate(campaign, 200))
}

// pitchReplySubject is the subject of the reply a first answer logs.
func pitchReplySubject(ctx context.Context, campaign string) string {
	return locale.T(ctx, "Reply to pitch: {{.Campaign}}", "Campaign", Truncate(campaign, 250))
}
