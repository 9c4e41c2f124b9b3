package crm

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/ent"
)

// LoadActivity is the contact page's timeline: the interactions f keeps
// and, when f narrows nothing, the posts of the contact's channel feeds,
// mixed by date (newest first; at the same moment posts before
// interactions, each newer id first). A filter narrows interactions only,
// so a filtered timeline is LoadTimelineFiltered's.
//
// Each page reads limit+1 interactions and limit+1 posts after the cursor
// and keeps the newest limit of both: the cursor names the last entry
// kept, an interaction (ID) or a post (Post, with ID past every
// interaction at that moment).
func LoadActivity(ctx context.Context, client *ent.Client, contactID int, f TimelineFilter, after string, limit int) (*Timeline, error) {
	if !f.Empty() {
		return LoadTimelineFiltered(ctx, client, contactID, f, after, limit)
	}
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
	tl, err := loadTimelinePage(ctx, client, contactID, f, from, limit)
	if err != nil {
		return nil, err
	}
	posts, err := loadPostEntries(ctx, client, contactID, from, limit+1)
	if err != nil {
		return nil, err
	}
	all := append(tl.Entries, posts...)
	slices.SortStableFunc(all, activityOrder)
	out := &Timeline{Entries: all}
	if len(all) > limit || tl.Next != "" {
		out.Entries = all[:min(limit, len(all))]
		last := out.Entries[len(out.Entries)-1]
		at := last.OccurredAt
		c := cursor{At: &at, ID: last.ID}
		if last.Post {
			c.ID, c.Post = math.MaxInt32, last.ID
		}
		out.Next = c.encode()
	}
	return out, nil
}

// activityOrder is the timeline's order: newest first; at the same moment
// posts first; then the higher id first.
func activityOrder(a, b TimelineEntry) int {
	if c := b.OccurredAt.Compare(a.OccurredAt); c != 0 {
		return c
	}
	if a.Post != b.Post {
		if a.Post {
			return -1
		}
		return 1
	}
	return cmp.Compare(b.ID, a.ID)
}

// postEntriesQuery pages a contact's feed posts by the (contact_id,
// published_at) index.
const postEntriesQuery = `
SELECT fp.id, fp.title, fp.summary, fp.link, fp.published_at FROM feed_posts fp
WHERE fp.contact_id = $1 %s
ORDER BY fp.published_at DESC, fp.id DESC
LIMIT %d`

// loadPostEntries reads up to n posts of the contact after the cursor from
// as timeline entries: after an interaction, the posts before its moment;
// after a post, those before it.
func loadPostEntries(ctx context.Context, client *ent.Client, contactID int, from *cursor, n int) ([]TimelineEntry, error) {
	args := []any{contactID}
	keyset := ""
	if from != nil {
		keyset = "AND fp.published_at <= $2 AND (fp.published_at < $2 OR fp.id < $3)"
		args = append(args, from.At.UTC(), from.Post)
	}
	rows, err := client.QueryContext(ctx, fmt.Sprintf(postEntriesQuery, keyset, n), args...)
	if err != nil {
		return nil, fmt.Errorf("load posts of contact %d: %w", contactID, err)
	}
	defer rows.Close()
	var out []TimelineEntry
	for rows.Next() {
		e := TimelineEntry{Post: true, Type: "post"}
		var link string
		var at time.Time
		if err := rows.Scan(&e.ID, &e.Subject, &e.Body, &link, &at); err != nil {
			return nil, fmt.Errorf("scan posts of contact %d: %w", contactID, err)
		}
		e.OccurredAt = at.UTC()
		if link != "" {
			e.Links = []string{link}
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read posts of contact %d: %w", contactID, err)
	}
	return out, nil
}

// LastInteraction is the newest interaction of the page (not a post), nil
// when it has none.
func (tl *Timeline) LastInteraction() *TimelineEntry {
	for i := range tl.Entries {
		if !tl.Entries[i].Post {
			return &tl.Entries[i]
		}
	}
	return nil
}
