package crm

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
)

// BenchmarkFeedPoll polls 1,000 feeds of 50 items each from a local test
// server on PostgreSQL: first-poll (50,000 new posts) and second-poll
// (every feed answers 304 Not Modified) seconds, and the process's peak RSS.
// `make bench` runs it once (-benchtime 1x) and bench/summary checks it
// against issue 18's goals (first poll ≤ 30 s, second ≤ 5 s).
func BenchmarkFeedPoll(b *testing.B) {
	const feeds = 1000
	d := dbtest.Open(b, dialect.Postgres, nil)
	ctx := context.Background()
	srv := newFeedServer(b)
	chs := make([]*ent.OwnedChannelCreate, feeds)
	for i := range chs {
		chs[i] = d.Client.OwnedChannel.Create().SetPlatform("blog").SetHandle(fmt.Sprint("bench", i))
	}
	created := d.Client.OwnedChannel.CreateBulk(chs...).SaveX(ctx)
	fs := make([]*ent.FeedCreate, feeds)
	for i, ch := range created {
		fs[i] = d.Client.Feed.Create().SetURL(fmt.Sprintf("%s/f/%d.xml", srv.URL, i)).SetOwnedChannelID(ch.ID).
			SetNextPollAt(time.Now().Add(-time.Minute)).SetLeaseUntil(neverLeased)
	}
	d.Client.Feed.CreateBulk(fs...).ExecX(ctx)
	now := time.Now()
	p := NewFeedPoller(d.Client, d.Dialect, NewFeedFetcher(true, 0), func() time.Time { return now }, "bench")
	b.ResetTimer()
	for b.Loop() {
		err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error { // posts are in the outbox's sight
			_, err := tx.FeedPost.Delete().Exec(ctx)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		d.Client.Feed.Update().SetNextPollAt(now.Add(-time.Minute)).SetEtag("").ExecX(ctx)
		start := time.Now()
		rep, err := p.PollDue(ctx)
		if err != nil || rep.NewPosts != feeds*50 || rep.Failed != 0 {
			b.Fatalf("first poll %+v %v", rep, err)
		}
		first := time.Since(start)
		d.Client.Feed.Update().SetNextPollAt(now.Add(-time.Minute)).SetEtag(`"v1"`).ExecX(ctx)
		srvNotModified(srv)
		start = time.Now()
		rep, err = p.PollDue(ctx)
		if err != nil || rep.NewPosts != 0 || rep.Feeds != feeds {
			b.Fatalf("second poll %+v %v", rep, err)
		}
		b.ReportMetric(first.Seconds(), "first-poll-s")
		b.ReportMetric(time.Since(start).Seconds(), "second-poll-s")
	}
	b.ReportMetric(peakRSSMiB()*1.048576, "peak-RSS-MB") // the unit bench/summary reads as memory
}

// srvNotModified makes the /f/ feeds answer 304 to If-None-Match "v1" from now on.
func srvNotModified(s *feedServer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits["notModified"] = 1
}

func peakRSSMiB() float64 {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kb)
			return kb / 1024
		}
	}
	return 0
}
