package crm

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/search"
)

// TimelineEntry is one interaction on a contact's timeline, or (Post) one
// post of the contact's channel feeds: ID is then the post's, Type "post",
// Subject its title, Body its summary and Links its link.
type TimelineEntry struct {
	ID                         int
	Post                       bool
	Type, Direction, Sentiment string
	Subject, Body, Author      string
	OccurredAt                 time.Time
	AuthorID                   int      // 0: nobody (the author's account is gone)
	Links                      []string // web addresses it refers to
}

// Timeline is one page of a contact's interactions, newest first.
type Timeline struct {
	Entries []TimelineEntry
	Next    string // cursor for "load more", "" at the end
	// Partial: a search of the words ran out of time (TimelineBudget)
	// before it had a page; Next goes on from the last interaction read.
	Partial bool
}

// timelineQuery pages a contact's participations by their copy of the
// interaction's time, a range of the (contact_id, occurred_at,
// interaction_id) index, and joins only the page's interactions.
const timelineQuery = `
SELECT i.id, i.type, i.direction, i.sentiment, i.subject, i.body, COALESCE(u.name, ''), i.occurred_at,
	COALESCE(i.author_id, 0), i.links
FROM (SELECT p.interaction_id, p.occurred_at FROM participations p %s
	WHERE p.contact_id = $1 %s
	ORDER BY p.occurred_at DESC, p.interaction_id DESC
	LIMIT %d) p
JOIN interactions i ON i.id = p.interaction_id
LEFT JOIN users u ON u.id = i.author_id
ORDER BY p.occurred_at DESC, p.interaction_id DESC`

// LoadTimeline returns limit interactions of a contact older than the cursor
// after (or the newest when after is ""), in one query.
func LoadTimeline(ctx context.Context, client *ent.Client, contactID int, after string, limit int) (*Timeline, error) {
	return LoadTimelineFiltered(ctx, client, contactID, TimelineFilter{}, after, limit)
}

// LoadTimelineFiltered is LoadTimeline of the interactions f keeps. Words
// (f.Text) are matched with the search index's analysis over the contact's
// whole history (loadTimelineText); a text over the search limits is EInvalid.
func LoadTimelineFiltered(ctx context.Context, client *ent.Client, contactID int, f TimelineFilter, after string, limit int) (*Timeline, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	var from *cursor
	if after != "" {
		c, err := decodeCursor(after)
		if err != nil || c.At == nil {
			return nil, Errorf(EInvalid, "This page link is broken; reload the contact.")
		}
		from = &c
	}
	return loadTimelinePage(ctx, client, contactID, f, from, limit)
}

// loadTimelinePage is LoadTimelineFiltered after the cursor from (nil: the newest).
func loadTimelinePage(ctx context.Context, client *ent.Client, contactID int, f TimelineFilter, from *cursor, limit int) (*Timeline, error) {
	if strings.TrimSpace(f.Text) != "" {
		if err := CheckText("t_q", f.Text); err != nil {
			return nil, err
		}
		nq, err := search.ParseNotes(f.Text)
		if err != nil {
			return nil, fmt.Errorf("timeline words: %w", err)
		}
		if nq != nil {
			return loadTimelineText(ctx, client, contactID, f, nq, from, limit)
		}
		f.Text = "" // only stop words: nothing to look for
	}
	args := []any{contactID}
	keyset := ""
	if from != nil {
		// occurred_at <= $2 bounds the index range; the rest breaks ties.
		keyset = "AND p.occurred_at <= $2 AND (p.occurred_at < $2 OR p.interaction_id < $3)"
		args = append(args, from.At.UTC(), from.ID)
	}
	join, where, args := f.sql(args)
	entries, err := readTimeline(ctx, client, contactID, fmt.Sprintf(timelineQuery, join, keyset+where, limit+1), args)
	if err != nil {
		return nil, err
	}
	tl := &Timeline{Entries: entries}
	if len(tl.Entries) > limit {
		tl.Entries = tl.Entries[:limit]
		last := tl.Entries[limit-1]
		at := last.OccurredAt
		tl.Next = cursor{At: &at, ID: last.ID}.encode()
	}
	return tl, nil
}

// The timeline's words are matched in Go, with the search index's own
// analysis (search.NoteQuery): the contact's interactions are read newest
// first in chunks of timelineChunk, each subject and body analysed, until a
// page and one more have matched. The index holds only the newest
// search.MaxNotes notes of a contact; this reads its whole history.
// Measured against a per-query in-memory bleve index of the contact's
// interactions (BenchmarkTimelineText, 10,000 interactions): see
// docs/SEARCH.md.
var timelineChunk = 500

// TimelineBudget bounds the time one timeline search reads and analyses;
// past it the page shows what matched so far and "load more" goes on from
// the last interaction read.
var TimelineBudget = 2 * time.Second

// loadTimelineText is LoadTimelineFiltered for a filter with words: nq
// matches each interaction that the rest of f keeps.
func loadTimelineText(ctx context.Context, client *ent.Client, contactID int, f TimelineFilter, nq *search.NoteQuery, after *cursor, limit int) (*Timeline, error) {
	f.Text = ""
	deadline := time.Now().Add(TimelineBudget)
	tl := &Timeline{}
	for {
		args := []any{contactID}
		keyset := ""
		if after != nil {
			keyset = "AND p.occurred_at <= $2 AND (p.occurred_at < $2 OR p.interaction_id < $3)"
			args = append(args, after.At.UTC(), after.ID)
		}
		join, where, args := f.sql(args)
		chunk, err := readTimeline(ctx, client, contactID, fmt.Sprintf(timelineQuery, join, keyset+where, timelineChunk), args)
		if err != nil {
			return nil, err
		}
		matched := matchChunk(nq, chunk)
		for k, e := range chunk {
			if matched[k] {
				tl.Entries = append(tl.Entries, e)
			}
			if len(tl.Entries) > limit {
				tl.Entries = tl.Entries[:limit]
				last := tl.Entries[limit-1]
				tl.Next = cursor{At: &last.OccurredAt, ID: last.ID}.encode()
				return tl, nil
			}
		}
		if len(chunk) < timelineChunk {
			return tl, nil
		}
		last := chunk[len(chunk)-1]
		after = &cursor{At: &last.OccurredAt, ID: last.ID}
		if time.Now().After(deadline) {
			// Out of time: what matched so far, and "load more" reads on
			// from the last interaction read.
			tl.Next, tl.Partial = after.encode(), true
			return tl, nil
		}
	}
}

// matchChunk matches the entries of a chunk, on every core at once (the
// analysis is the cost: about 50 µs a note of 300 characters).
func matchChunk(nq *search.NoteQuery, chunk []TimelineEntry) []bool {
	return matchEach(len(chunk), func(k int) bool { return nq.Match(chunk[k].Subject, chunk[k].Body) })
}

// readTimeline runs a timeline query and scans its entries.
func readTimeline(ctx context.Context, client *ent.Client, contactID int, query string, args []any) ([]TimelineEntry, error) {
	rows, err := client.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("load timeline of contact %d: %w", contactID, err)
	}
	defer rows.Close()
	var out []TimelineEntry
	for rows.Next() {
		var e TimelineEntry
		var at sql.NullTime
		var links []byte
		if err := rows.Scan(&e.ID, &e.Type, &e.Direction, &e.Sentiment, &e.Subject, &e.Body, &e.Author, &at, &e.AuthorID, &links); err != nil {
			return nil, fmt.Errorf("scan timeline of contact %d: %w", contactID, err)
		}
		if len(links) > 0 {
			if err := json.Unmarshal(links, &e.Links); err != nil {
				return nil, fmt.Errorf("scan timeline of contact %d: links: %w", contactID, err)
			}
		}
		e.OccurredAt = at.Time
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read timeline of contact %d: %w", contactID, err)
	}
	return out, nil
}
