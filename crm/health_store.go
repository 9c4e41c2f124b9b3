package crm

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// timeNow is crm's clock; tests of time-dependent rules replace it.
var timeNow = time.Now

// healthStats are the interaction counts of one contact in the health window.
// pitches and inbound90 count outbound pitches and inbound interactions in
// the shorter PitchWindow.
type healthStats struct{ recent, inbound, positive, negative, pitches, inbound90, posts int }

// healthStatsQuery counts each contact's interactions in the window, by
// direction and sentiment, and the pitches and replies of the pitch window.
// Its placeholders, in order: the pitch window's start (%[1]s, %[2]s), the
// window's start (%[3]s); %[4]s narrows the contacts, %[5]s is the join of
// their interactions (interactionsOf).
const healthStatsQuery = `
SELECT p.contact_id, COUNT(*),
	COALESCE(SUM(CASE WHEN i.direction = 'inbound' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN i.sentiment = 'positive' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN i.sentiment = 'negative' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN i.type = 'pitch' AND i.direction = 'outbound' AND p.occurred_at >= %[1]s THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN i.direction = 'inbound' AND p.occurred_at >= %[2]s THEN 1 ELSE 0 END), 0)
FROM participations p %[5]s
WHERE p.occurred_at >= %[3]s AND %[4]s
GROUP BY p.contact_id`

// interactionsOf joins each participation's interaction. PostgreSQL gets a
// lateral look-up by primary key that it may not flatten (OFFSET 0): the
// plain join had it hash the whole interactions table for each batch of
// 1,000 contacts (a sequential scan growing with every interaction ever
// logged, 50,000 rows at 5,000 contacts) where ~5,000 index look-ups do.
// SQLite loops over the primary key by itself.
func interactionsOf(dia string) string {
	if dia == dialect.Postgres {
		return "CROSS JOIN LATERAL (SELECT type, direction, sentiment FROM interactions WHERE id = p.interaction_id OFFSET 0) i"
	}
	return "JOIN interactions i ON i.id = p.interaction_id"
}

// querier is what both a client and a transaction offer for raw SQL.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadHealthStats reads the stats at now of the contacts that where selects
// (a condition on p.contact_id, its arguments added to a).
func loadHealthStats(ctx context.Context, q querier, dia string, now time.Time, where func(a *sqlArgs) string) (map[int]healthStats, error) {
	a := newSQLArgs(dia)
	pitchFrom := now.Add(-PitchWindow).UTC()
	query := fmt.Sprintf(healthStatsQuery, a.add(pitchFrom), a.add(pitchFrom), a.add(now.Add(-HealthWindow).UTC()), where(a), interactionsOf(dia))
	rows, err := q.QueryContext(ctx, query, a.list...)
	if err != nil {
		return nil, fmt.Errorf("health stats: %w", err)
	}
	defer rows.Close()
	out := map[int]healthStats{}
	for rows.Next() {
		var id int
		var s healthStats
		if err := rows.Scan(&id, &s.recent, &s.inbound, &s.positive, &s.negative, &s.pitches, &s.inbound90); err != nil {
			return nil, fmt.Errorf("health stats: %w", err)
		}
		out[id] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("health stats: %w", err)
	}
	return out, loadPostCounts(ctx, q, dia, now, where, out)
}

// postsThisMonthQuery counts each contact's feed posts since the first of
// the month (the first %s); the second narrows the contacts as
// healthStatsQuery's does.
const postsThisMonthQuery = `
SELECT p.contact_id, COUNT(*) FROM feed_posts p
WHERE p.published_at >= %s AND p.contact_id IS NOT NULL AND %s
GROUP BY p.contact_id`

// loadPostCounts adds the feed posts of this month (UTC) to out.
func loadPostCounts(ctx context.Context, q querier, dia string, now time.Time, where func(a *sqlArgs) string, out map[int]healthStats) error {
	a := newSQLArgs(dia)
	query := fmt.Sprintf(postsThisMonthQuery, a.add(monthStart(now)), where(a))
	rows, err := q.QueryContext(ctx, query, a.list...)
	if err != nil {
		return fmt.Errorf("health posts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int
		if err := rows.Scan(&id, &n); err != nil {
			return fmt.Errorf("health posts: %w", err)
		}
		s := out[id]
		s.posts = n
		out[id] = s
	}
	return rows.Err()
}

// monthStart is the first instant of now's month, UTC.
func monthStart(now time.Time) time.Time {
	now = now.UTC()
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// contactsIn narrows the health stats to the contacts ids.
func contactsIn(ids []int) func(a *sqlArgs) string {
	return func(a *sqlArgs) string { return a.in("p.contact_id", ids) }
}

// healthOf computes the health of a loaded contact with its stats.
func healthOf(c *ent.Contact, st Stages, s healthStats, now time.Time) HealthResult {
	return ComputeHealth(HealthInput{CadenceDays: st.Cadence(string(c.Stage)), LastTouch: c.LastInteractionAt,
		Created: c.CreatedAt, Recent: s.recent, Inbound: s.inbound, Positive: s.positive, Negative: s.negative,
		Pitches: s.pitches, Inbound90: s.inbound90, Posts: s.posts, Reach: c.Reach}, now)
}

var healthFields = []string{contact.FieldID, contact.FieldStage, contact.FieldLastInteractionAt, contact.FieldCreatedAt,
	contact.FieldReach, contact.FieldHealth, contact.FieldTouchDueAt}

// refreshHealth recomputes and stores the health and touch due date of the
// contacts ids inside tx (after an interaction, a stage change, new settings).
func refreshHealth(ctx context.Context, tx *ent.Tx, st Stages, ids []int, now time.Time) error {
	return touchAndRefresh(ctx, tx, st, ids, nil, now)
}

// touchAndRefresh is refreshHealth after an interaction at touched (nil:
// none): the contacts whose last interaction is older (or none) move it
// forward, and each contact's row is written at most once, with its last
// interaction, health and touch due date together.
func touchAndRefresh(ctx context.Context, tx *ent.Tx, st Stages, ids []int, touched *time.Time, now time.Time) error {
	for lo := 0; lo < len(ids); lo += healthBatch {
		chunk := ids[lo:min(len(ids), lo+healthBatch)]
		cs, err := tx.Contact.Query().Where(contact.IDIn(chunk...)).Select(healthFields...).All(ctx)
		if err != nil {
			return fmt.Errorf("refresh health: %w", err)
		}
		stats, err := loadHealthStats(ctx, tx, tx.Client().Dialect(), now, contactsIn(chunk))
		if err != nil {
			return err
		}
		if _, err := storeHealth(ctx, tx, cs, st, stats, touched, now); err != nil {
			return err
		}
	}
	return nil
}

// healthBatch is how many contacts one step of a recompute reads and writes.
const healthBatch = 2000

// healthRowsPerStatement bounds the rows of one UPDATE of storeHealth (four
// parameters each: within SQLite's and PostgreSQL's limits).
const healthRowsPerStatement = 1000

// storeHealth writes the changed scores and due dates set-wise: one UPDATE
// per 1,000 changed contacts, each contact's row written once, from a list
// of (id, health, due date, moved) rows. With touched, the contacts whose
// last interaction is older than it (or none) move it there in the same
// UPDATE (and their updated_at, as an edit would); their health is
// computed with it. Health and due dates are values derived from the
// contact's own rows, which the search document does not hold: they are
// written with SQL in the caller's transaction, without a search change and
// without moving updated_at.
func storeHealth(ctx context.Context, tx *ent.Tx, cs []*ent.Contact, st Stages, stats map[int]healthStats, touched *time.Time, now time.Time) (int, error) {
	type change struct {
		id, score int
		due       *time.Time
		moved     bool
	}
	var out []change
	var at time.Time
	if touched != nil {
		// As given: each database keeps it as it keeps the interaction's
		// occurred_at (PostgreSQL rounds to microseconds, SQLite keeps the
		// nanoseconds), so a restore that reads it back from the
		// interactions writes the same value.
		at = touched.UTC()
	}
	for _, c := range cs {
		moved := touched != nil && (c.LastInteractionAt == nil || c.LastInteractionAt.Before(at))
		if moved {
			c.LastInteractionAt = &at
		}
		r := healthOf(c, st, stats[c.ID], now)
		if moved || r.Score != c.Health || !sameTime(r.DueAt, c.TouchDueAt) {
			out = append(out, change{id: c.ID, score: r.Score, due: r.DueAt, moved: moved})
		}
	}
	dia := tx.Client().Dialect()
	for lo := 0; lo < len(out); lo += healthRowsPerStatement {
		rows := out[lo:min(len(out), lo+healthRowsPerStatement)]
		a := newSQLArgs(dia)
		arg := a.typed
		var b strings.Builder
		b.WriteString("WITH v(id, health, due, moved) AS (VALUES ")
		for i, r := range rows {
			if i > 0 {
				b.WriteString(", ")
			}
			var due any
			if r.due != nil {
				due = r.due.UTC()
			}
			moved := 0
			if r.moved {
				moved = 1
			}
			b.WriteString("(" + arg(r.id, "bigint") + ", " + arg(r.score, "integer") + ", " + arg(due, "timestamptz") + ", " + arg(moved, "integer") + ")")
		}
		b.WriteString(`) UPDATE contacts SET health = v.health, touch_due_at = v.due,
			last_interaction_at = CASE WHEN v.moved = 1 THEN ` + arg(at, "timestamptz") + ` ELSE contacts.last_interaction_at END,
			updated_at = CASE WHEN v.moved = 1 THEN ` + arg(timeNow().UTC(), "timestamptz") + ` ELSE contacts.updated_at END
			FROM v WHERE contacts.id = v.id`)
		if _, err := tx.ExecContext(ctx, b.String(), a.list...); err != nil {
			return 0, fmt.Errorf("store health: %w", err)
		}
	}
	return len(out), nil
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Truncate(time.Second).Equal(b.Truncate(time.Second))
}

// RecomputeHealth recomputes every contact's health and touch due date at
// now, in batches of 2,000 contacts (one transaction each, two reads and a
// few set-wise updates), and returns how many contacts changed. The server
// runs it nightly; `rapport health --recompute` runs it by hand.
func RecomputeHealth(ctx context.Context, client *ent.Client, now time.Time) (int, error) {
	st, err := LoadStages(ctx, client)
	if err != nil {
		return 0, err
	}
	changed, last := 0, 0
	for {
		var n int
		err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
			cs, err := tx.Contact.Query().Where(contact.IDGT(last)).Order(contact.ByID()).Limit(healthBatch).Select(healthFields...).All(ctx)
			if err != nil || len(cs) == 0 {
				return err
			}
			n = len(cs)
			lo, hi := cs[0].ID, cs[len(cs)-1].ID
			last = hi
			stats, err := loadHealthStats(ctx, tx, client.Dialect(), now, func(a *sqlArgs) string {
				return "p.contact_id >= " + a.add(lo) + " AND p.contact_id <= " + a.add(hi)
			})
			if err != nil {
				return err
			}
			k, err := storeHealth(ctx, tx, cs, st, stats, nil, now)
			changed += k
			return err
		})
		if err != nil {
			return changed, fmt.Errorf("recompute health: %w", err)
		}
		if n < healthBatch {
			return changed, nil
		}
	}
}

// HealthTicker recomputes health once at start and then every interval
// (a day in production) until ctx ends, logging failures through logf.
func HealthTicker(ctx context.Context, client *ent.Client, every time.Duration, logf func(msg string, args ...any)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := RecomputeHealth(ctx, client, timeNow()); err != nil && ctx.Err() == nil {
			logf("health recompute failed", "err", err)
		} else if err == nil {
			logf("health recomputed", "changed", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// refreshContactHealth refreshes one contact's health in tx.
func refreshContactHealth(ctx context.Context, tx *ent.Tx, id int) error {
	st, err := loadStagesTx(ctx, tx)
	if err != nil {
		return err
	}
	return refreshHealth(ctx, tx, st, []int{id}, timeNow())
}
