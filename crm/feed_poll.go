package crm

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/feed"
	"github.com/rapport-crm/rapport/ent/feedpost"
)

// FeedPoller polls the feeds that are due. Several servers on one database
// each run one: a feed is taken by one UPDATE that sets its lease, so each
// due feed is fetched once, whoever takes it.
type FeedPoller struct {
	client  *ent.Client
	dialect string
	fetch   FeedFetcher
	now     func() time.Time
	Owner   string        // this server's name in lease_owner
	Lease   time.Duration // how long a taken feed is this server's
	Batch   int           // feeds taken at once
	Workers int           // feeds fetched at once
	PerHost int           // requests in flight to one host (politeness)
}

// NewFeedPoller returns a poller with the default limits; now nil means time.Now.
func NewFeedPoller(client *ent.Client, dia string, fetch FeedFetcher, now func() time.Time, owner string) *FeedPoller {
	if now == nil {
		now = time.Now
	}
	return &FeedPoller{client: client, dialect: dia, fetch: fetch, now: now, Owner: Truncate(owner, 100),
		Lease: 2 * time.Minute, Batch: 200, Workers: 16, PerHost: 2}
}

// PollReport counts what one PollDue did.
type PollReport struct{ Feeds, NotModified, Failed, NewPosts int }

// claimedFeed is a feed this poller holds the lease of.
type claimedFeed struct {
	id, interval, failures int
	url, etag, modified    string
	contactID, channelID   *int
}

// claimQuery takes up to $4 due feeds nobody holds. PostgreSQL skips rows
// another server is taking at the same moment; SQLite has one writer.
const claimQuery = `
UPDATE feeds SET lease_until = $1, lease_owner = $2
WHERE lease_until < $3 AND id IN (SELECT id FROM feeds WHERE next_poll_at <= $3 AND lease_until < $3
	ORDER BY next_poll_at, id LIMIT $4 %s)
RETURNING id, url, etag, last_modified, interval_minutes, failures, contact_id, owned_channel_id`

func (p *FeedPoller) claim(ctx context.Context, now time.Time) ([]claimedFeed, error) {
	lock := ""
	if p.dialect == dialect.Postgres {
		lock = "FOR UPDATE SKIP LOCKED"
	}
	rows, err := p.client.QueryContext(ctx, fmt.Sprintf(claimQuery, lock), now.Add(p.Lease).UTC(), p.Owner, now.UTC(), p.Batch)
	if err != nil {
		return nil, fmt.Errorf("claim feeds: %w", err)
	}
	defer rows.Close()
	var out []claimedFeed
	for rows.Next() {
		var f claimedFeed
		if err := rows.Scan(&f.id, &f.url, &f.etag, &f.modified, &f.interval, &f.failures, &f.contactID, &f.channelID); err != nil {
			return nil, fmt.Errorf("claim feeds: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// PollDue takes and polls due feeds until none is left, Workers at a time
// and at most PerHost to one host; a feed's failure is stored on that feed.
func (p *FeedPoller) PollDue(ctx context.Context) (PollReport, error) {
	var rep PollReport
	var mu sync.Mutex
	hosts := map[string]chan struct{}{}
	for ctx.Err() == nil {
		feeds, err := p.claim(ctx, p.now())
		if err != nil || len(feeds) == 0 {
			return rep, err
		}
		work := make(chan claimedFeed)
		var wg sync.WaitGroup
		var firstErr error
		for range min(p.Workers, len(feeds)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for f := range work {
					mu.Lock()
					sem := hosts[hostOf(f.url)]
					if sem == nil {
						sem = make(chan struct{}, max(p.PerHost, 1))
						hosts[hostOf(f.url)] = sem
					}
					mu.Unlock()
					n, notModified, perr, err := p.pollOne(ctx, f, sem)
					mu.Lock()
					rep.Feeds++
					rep.NewPosts += n
					if notModified {
						rep.NotModified++
					}
					if perr != nil {
						rep.Failed++
					}
					if err != nil && firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}()
		}
		for _, f := range feeds {
			work <- f
		}
		close(work)
		wg.Wait()
		if firstErr != nil {
			return rep, firstErr
		}
	}
	return rep, ctx.Err()
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return raw
}

// pollOne fetches, parses and stores one feed and gives back its lease. The
// feed's own failure (perr) is stored on it; err is the database's.
// The host's slot (sem) is held for the request only, not the writes.
func (p *FeedPoller) pollOne(ctx context.Context, f claimedFeed, sem chan struct{}) (newPosts int, notModified bool, perr error, err error) {
	fctx, cancel := context.WithTimeout(ctx, FeedTimeout+time.Second)
	sem <- struct{}{}
	resp, perr := p.fetch(fctx, f.url, f.etag, f.modified)
	<-sem
	cancel()
	now := p.now()
	var items []FeedItem
	if perr == nil && !resp.NotModified {
		items, perr = ParseFeed(resp.Body, now)
	}
	upd := p.client.Feed.Update().Where(feed.ID(f.id), feed.LeaseOwner(p.Owner)).
		SetLeaseUntil(neverLeased).SetLeaseOwner("").SetPolledAt(now.UTC())
	if perr != nil {
		fails := f.failures + 1
		wait := time.Duration(f.interval) * time.Minute << min(fails, 6)
		var fe *FeedError
		if errors.As(perr, &fe) {
			wait = max(wait, fe.Retry)
		}
		msg := "The feed could not be read."
		if fe != nil || errors.Is(perr, ErrNotAFeed) {
			msg = perr.Error()
		}
		err = upd.SetFailures(fails).SetLastError(Truncate(msg, 500)).SetNextPollAt(now.Add(min(wait, 24*time.Hour)).UTC()).Exec(ctx)
		return 0, false, perr, err
	}
	if !resp.NotModified {
		if newPosts, err = p.store(ctx, f, items); err != nil {
			return 0, false, nil, err
		}
		upd = upd.SetEtag(resp.ETag).SetLastModified(resp.LastModified).AddPosts(newPosts)
	}
	err = upd.SetFailures(0).SetLastError("").SetNextPollAt(now.Add(time.Duration(f.interval) * time.Minute).UTC()).Exec(ctx)
	return newPosts, resp.NotModified, nil, err
}

// store inserts the items the feed does not have yet, once each.
func (p *FeedPoller) store(ctx context.Context, f claimedFeed, items []FeedItem) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.Key
	}
	have, err := p.client.FeedPost.Query().Where(feedpost.FeedID(f.id), feedpost.KeyIn(keys...)).Select(feedpost.FieldKey).Strings(ctx)
	if err != nil {
		return 0, fmt.Errorf("store posts of feed %d: %w", f.id, err)
	}
	known := make(map[string]bool, len(have))
	for _, k := range have {
		known[k] = true
	}
	var fresh []FeedItem
	for _, it := range items {
		if !known[it.Key] {
			fresh = append(fresh, it)
		}
	}
	if len(fresh) == 0 {
		return 0, nil
	}
	// In a transaction: the outbox records the contact whose document (the
	// newest post titles) the new posts change, and the keyword alerts of
	// the new posts are made with them, once.
	var st Stages
	if f.contactID != nil {
		if st, err = LoadStages(ctx, p.client); err != nil {
			return 0, fmt.Errorf("store posts of feed %d: %w", f.id, err)
		}
	}
	err = db.WithTx(ctx, p.client, func(ctx context.Context, tx *ent.Tx) error {
		creates := make([]*ent.FeedPostCreate, len(fresh))
		for i, it := range fresh {
			creates[i] = tx.FeedPost.Create().SetFeedID(f.id).SetNillableContactID(f.contactID).
				SetNillableOwnedChannelID(f.channelID).SetKey(it.Key).SetTitle(it.Title).SetLink(it.Link).
				SetSummary(it.Summary).SetPublishedAt(it.Published).SetCreatedAt(p.now().UTC())
		}
		err := tx.FeedPost.CreateBulk(creates...).OnConflict(entsql.ConflictColumns(feedpost.FieldFeedID, feedpost.FieldKey)).DoNothing().Exec(ctx)
		if err != nil || f.contactID == nil {
			return err
		}
		// The keyword rules see each new post once, with it.
		keys := make([]string, len(fresh))
		for i, it := range fresh {
			keys[i] = it.Key
		}
		ids, err := tx.FeedPost.Query().Where(feedpost.FeedID(f.id), feedpost.KeyIn(keys...)).IDs(ctx)
		if err != nil {
			return err
		}
		if _, err := alertKeywords(ctx, tx, *f.contactID, ids, p.now()); err != nil {
			return err
		}
		// The contact's posts of this month count in their health.
		return refreshHealth(ctx, tx, st, []int{*f.contactID}, p.now())
	})
	if err != nil {
		return 0, fmt.Errorf("store posts of feed %d: %w", f.id, err)
	}
	return len(fresh), nil
}

// CheckFeedNow makes a feed due at once (an admin's "check now").
func CheckFeedNow(ctx context.Context, client *ent.Client, id int, now time.Time) error {
	if err := client.Feed.UpdateOneID(id).SetNextPollAt(now.UTC()).Exec(ctx); err != nil {
		return fmt.Errorf("check feed %d now: %w", id, err)
	}
	return nil
}

// Run polls due feeds every interval until ctx ends, logging what failed.
func (p *FeedPoller) Run(ctx context.Context, every time.Duration, logf func(msg string, args ...any)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if rep, err := p.PollDue(ctx); err != nil && ctx.Err() == nil {
			logf("feed poll", "err", err)
		} else if rep.Feeds > 0 {
			logf("feed poll", "feeds", rep.Feeds, "new_posts", rep.NewPosts, "failed", rep.Failed, "not_modified", rep.NotModified)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
