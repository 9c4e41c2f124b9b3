package crm

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/db"
)

// CardNomination is a nomination on the contact page, with its evidence and decisions.
type CardNomination struct {
	ID            int
	Kind, Status  string
	Reason        string
	NominatorID   int
	NominatorName string
	CreatedAt     time.Time
	Links         []string
	Evidence      []CardEvidence
	Decisions     []CardDecision
}

// Open reports whether the nomination waits for a decision or for information.
func (n CardNomination) Open() bool { return n.Status == "open" || n.Status == "needs_info" }

// CardEvidence is an interaction picked as evidence.
type CardEvidence struct {
	InteractionID int
	Type, Subject string
	OccurredAt    time.Time
}

// CardDecision is a manager's decision.
type CardDecision struct {
	Decision, Comment, By string
	At                    time.Time
}

// CardTask is a follow-up on the contact page.
type CardTask struct {
	ID         int
	Title      string
	Assignee   string
	AssigneeID int
	DueAt      time.Time
	Done       bool
}

// CardUser is an active user (follow-ups can be assigned to them).
type CardUser struct {
	ID         int
	Name, Role string
	pos        int64
}

// MonthCount is the number of interactions in one calendar month.
type MonthCount struct {
	Month time.Time // first day, UTC
	Count int
}

// FollowerPoint is a channel's follower count at a time.
type FollowerPoint struct {
	At        time.Time
	Followers int64
}

// FollowerSeries is the follower history of one channel.
type FollowerSeries struct {
	ChannelID        int
	Platform, Handle string
	Points           []FollowerPoint
}

// ChartMonths is how many months the interaction chart shows.
const ChartMonths = 24

// advocacyCardBranches extend the contact card's union query with the stage
// ladder, the active users, nominations with evidence and decisions,
// follow-ups, the health statistics, interactions per month and follower
// history. $2 is the start of the health window, $3 … $26 the first days of
// the chart's months, $27 the start of the pitch window (PitchWindow). The health branch selects participations by their copy
// of the interaction's time (an index range) and joins only those
// interactions (i.occurred_at >= $2 is the same condition, stated so that the
// planner may narrow interactions too). The month branch reads participations
// alone: all of the contact's, so that its rows also sum to the interaction
// count, with month -1 for those before the chart.
var advocacyCardBranches = `
UNION ALL SELECT 'stage', s.position, s.stage, s.label, '', '', s.cadence_days, NULL FROM stage_settings s
UNION ALL SELECT 'user', u.id, u.name, u.role, '', '', ROW_NUMBER() OVER (ORDER BY u.name, u.id), NULL FROM users u WHERE u.active
UNION ALL SELECT 'nom', n.id, n.kind, n.status, n.reason, COALESCE(u.name, ''), COALESCE(n.nominated_by_id, 0), n.created_at
	FROM nominations n LEFT JOIN users u ON u.id = n.nominated_by_id WHERE n.contact_id = $1
UNION ALL SELECT 'nlinks', n.id, COALESCE(CAST(n.evidence_links AS TEXT), ''), '', '', '', 0, NULL FROM nominations n WHERE n.contact_id = $1
UNION ALL SELECT 'nev', n.id, i.type, i.subject, '', '', i.id, i.occurred_at
	FROM nomination_evidence ne JOIN interactions i ON i.id = ne.interaction_id JOIN nominations n ON n.id = ne.nomination_id WHERE n.contact_id = $1
UNION ALL SELECT 'ndec', d.nomination_id, d.decision, d.comment, '', COALESCE(u.name, ''), d.id, d.at
	FROM nomination_decisions d JOIN nominations n ON n.id = d.nomination_id LEFT JOIN users u ON u.id = d.decided_by_id WHERE n.contact_id = $1
UNION ALL SELECT 'task', t.id, t.title, COALESCE(u.name, ''), CASE WHEN t.done_at IS NULL THEN '' ELSE 'done' END, '', COALESCE(t.assignee_id, 0), t.due_at
	FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id WHERE t.contact_id = $1
UNION ALL SELECT 'health', COUNT(*),
	CAST(COALESCE(SUM(CASE WHEN i.sentiment = 'positive' THEN 1 ELSE 0 END), 0) AS TEXT),
	CAST(COALESCE(SUM(CASE WHEN i.sentiment = 'negative' THEN 1 ELSE 0 END), 0) AS TEXT),
	CAST(COALESCE(SUM(CASE WHEN i.type = 'pitch' AND i.direction = 'outbound' AND p.occurred_at >= $27 THEN 1 ELSE 0 END), 0) AS TEXT),
	CAST(COALESCE(SUM(CASE WHEN i.direction = 'inbound' AND p.occurred_at >= $27 THEN 1 ELSE 0 END), 0) AS TEXT),
	COALESCE(SUM(CASE WHEN i.direction = 'inbound' THEN 1 ELSE 0 END), 0), NULL
	FROM participations p JOIN interactions i ON i.id = p.interaction_id AND i.occurred_at >= $2 WHERE p.contact_id = $1 AND p.occurred_at >= $2
UNION ALL SELECT 'posts', COUNT(*), '', '', '', '', 0, NULL FROM feed_posts fp WHERE fp.contact_id = $1 AND fp.published_at >= $` + strconv.Itoa(2+ChartMonths) + `
UNION ALL SELECT 'month', m, '', '', '', '', COUNT(*), NULL FROM (SELECT ` + monthCase() + ` AS m
	FROM participations p WHERE p.contact_id = $1) x GROUP BY m
UNION ALL SELECT 'snap', f.social_profile_id, s.platform, s.handle, '', '', f.followers, f.at
	FROM follower_snapshots f JOIN social_profiles s ON s.id = f.social_profile_id WHERE s.contact_id = $1 AND f.at >= $3`

// monthCase numbers a participation's month 0 (oldest) … 23 (this month), or
// -1 before the chart, by comparing with the months' first days ($3 + month):
// portable SQL, no date functions, a binary search of five comparisons.
func monthCase() string {
	var b strings.Builder
	var search func(lo, hi int)
	search = func(lo, hi int) {
		if lo == hi {
			fmt.Fprintf(&b, "%d", lo)
			return
		}
		mid := (lo + hi + 1) / 2
		fmt.Fprintf(&b, "CASE WHEN p.occurred_at >= $%d THEN ", 3+mid)
		search(mid, hi)
		b.WriteString(" ELSE ")
		search(lo, mid-1)
		b.WriteString(" END")
	}
	search(-1, ChartMonths-1)
	return b.String()
}

// chartMonths returns the first days of the chart's months, oldest first.
func chartMonths(now time.Time) []time.Time {
	now = now.UTC()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]time.Time, ChartMonths)
	for k := range out {
		out[k] = first.AddDate(0, k-(ChartMonths-1), 0)
	}
	return out
}

// cardArgs are the query parameters after the contact id.
func cardArgs(now time.Time) []any {
	args := []any{now.Add(-HealthWindow).UTC()}
	for _, m := range chartMonths(now) {
		args = append(args, m)
	}
	return append(args, now.Add(-PitchWindow).UTC())
}

// cardRow is one row of the card's union query.
type cardRow struct {
	k, a, b, c, d string
	id            int
	n             int64
	t             db.Time // SQLite hands a UNION column over as text
}

// at is the row's time column (zero when NULL).
func (r cardRow) at() time.Time { return r.t.Time }

// addAdvocacy files a row of the advocacy branches into the card.
func (card *ContactCard) addAdvocacy(r cardRow, stages *[]*stageRow, noms map[int]*CardNomination, series map[int]*FollowerSeries) {
	switch r.k {
	case "stage":
		*stages = append(*stages, &stageRow{key: r.a, label: r.b, cadence: int(r.n)})
	case "user": // n: the position by name in the database's collation
		card.Users = append(card.Users, CardUser{ID: r.id, Name: r.a, Role: r.b})
		card.Authors = append(card.Authors, CardUser{ID: r.id, Name: r.a, Role: r.b, pos: r.n})
	case "nom":
		n := nomOf(noms, r.id)
		n.Kind, n.Status, n.Reason, n.NominatorName, n.NominatorID, n.CreatedAt = r.a, r.b, r.c, r.d, int(r.n), r.at()
	case "nlinks":
		_ = json.Unmarshal([]byte(r.a), &nomOf(noms, r.id).Links)
	case "nev":
		n := nomOf(noms, r.id)
		n.Evidence = append(n.Evidence, CardEvidence{InteractionID: int(r.n), Type: r.a, Subject: r.b, OccurredAt: r.at()})
	case "ndec":
		n := nomOf(noms, r.id)
		n.Decisions = append(n.Decisions, CardDecision{Decision: r.a, Comment: r.b, By: r.d, At: r.at()})
	case "task":
		card.Tasks = append(card.Tasks, CardTask{ID: r.id, Title: r.a, Assignee: r.b, Done: r.c == "done", AssigneeID: int(r.n), DueAt: r.at()})
	case "health":
		card.stats.recent, card.stats.inbound = r.id, int(r.n)
		card.stats.positive, _ = strconv.Atoi(r.a)
		card.stats.negative, _ = strconv.Atoi(r.b)
		card.stats.pitches, _ = strconv.Atoi(r.c)
		card.stats.inbound90, _ = strconv.Atoi(r.d)
	case "posts": // this month's posts of the contact's channel feeds ($3 + ChartMonths - 1 is this month's first day)
		card.stats.posts = r.id
	case "month": // every participation is in one row: month -1 is before the chart
		card.InteractionCount += int(r.n)
		if r.id >= 0 && r.id < len(card.Months) {
			card.Months[r.id].Count = int(r.n)
		}
	case "snap":
		s, ok := series[r.id]
		if !ok {
			s = &FollowerSeries{ChannelID: r.id, Platform: r.a, Handle: r.b}
			series[r.id] = s
		}
		s.Points = append(s.Points, FollowerPoint{At: r.at(), Followers: r.n})
	}
}

type stageRow struct {
	key, label string
	cadence    int
}

func nomOf(noms map[int]*CardNomination, id int) *CardNomination {
	n, ok := noms[id]
	if !ok {
		n = &CardNomination{ID: id}
		noms[id] = n
	}
	return n
}

// finishAdvocacy orders what addAdvocacy collected and computes the health.
func (card *ContactCard) finishAdvocacy(stages []*stageRow, noms map[int]*CardNomination, series map[int]*FollowerSeries, now time.Time) {
	st := mergeStages(nil)
	for _, r := range stages {
		for i := range st {
			if st[i].Key == r.key {
				st[i].Label, st[i].CadenceDays = r.label, r.cadence
			}
		}
	}
	card.Stages = st
	for _, n := range noms {
		sort.Slice(n.Evidence, func(i, j int) bool { return n.Evidence[i].OccurredAt.After(n.Evidence[j].OccurredAt) })
		sort.Slice(n.Decisions, func(i, j int) bool { return n.Decisions[i].At.Before(n.Decisions[j].At) })
		card.Nominations = append(card.Nominations, *n)
	}
	sort.Slice(card.Nominations, func(i, j int) bool { return card.Nominations[i].CreatedAt.After(card.Nominations[j].CreatedAt) })
	sort.Slice(card.Tasks, func(i, j int) bool {
		a, b := card.Tasks[i], card.Tasks[j]
		if a.Done != b.Done {
			return !a.Done
		}
		return a.DueAt.Before(b.DueAt)
	})
	sort.Slice(card.Users, func(i, j int) bool { return card.Users[i].Name < card.Users[j].Name })
	sort.Slice(card.Authors, func(i, j int) bool { return card.Authors[i].pos < card.Authors[j].pos })
	for _, ch := range card.Channels {
		if s, ok := series[ch.ID]; ok {
			sort.Slice(s.Points, func(i, j int) bool { return s.Points[i].At.Before(s.Points[j].At) })
			if last := s.Points[len(s.Points)-1]; last.Followers != ch.Followers {
				s.Points = append(s.Points, FollowerPoint{At: now.UTC(), Followers: ch.Followers})
			}
			if len(s.Points) > 1 { // one point draws no line
				card.Followers = append(card.Followers, *s)
			}
		}
	}
	card.Health = healthOf(card.Contact, st, card.stats, now)
}

// OpenNomination returns the nomination waiting for a decision, if any.
func (card *ContactCard) OpenNomination() *CardNomination {
	for i := range card.Nominations {
		if card.Nominations[i].Open() {
			return &card.Nominations[i]
		}
	}
	return nil
}

// OpenTasks counts the follow-ups not done.
func (card *ContactCard) OpenTasks() int {
	n := 0
	for _, t := range card.Tasks {
		if !t.Done {
			n++
		}
	}
	return n
}
