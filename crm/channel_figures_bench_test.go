package crm_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// BenchmarkChannelFiguresWeekly: the weekly evaluation (12 and 52 weeks)
// of all of 70 owned channels (the company: ~70 accounts) with a
// reading a day for a year each (25,550 readings), on PostgreSQL; it
// reports the p50 and p95 per evaluation.
//
//	RAPPORT_REQUIRE_POSTGRES=1 go test -run '^$' -bench ChannelFiguresWeekly -benchtime 50x ./crm/
func BenchmarkChannelFiguresWeekly(b *testing.B) {
	d := dbtest.Open(b, dialect.Postgres, nil)
	ctx := b.Context()
	now := time.Now()
	oc := crm.NewOwnedChannels(d.Client)
	svc := crm.NewChannelFigures(d.Client, func() time.Time { return now })
	for i := range 70 {
		ch, err := oc.Save(ctx, 0, crm.OwnedChannelInput{Platform: "x", Handle: fmt.Sprint("kanal_", i), Region: []string{"München", "Berlin", "Hamburg"}[i%3]})
		if err != nil {
			b.Fatal(err)
		}
		ins := make([]crm.FigureInput, 0, 365)
		for k := range 365 {
			e := int64(k % 50)
			ins = append(ins, crm.FigureInput{OwnedChannelID: ch.ID, At: now.AddDate(0, 0, -k), Followers: int64(10000 + 3*(365-k)), Engagement: &e})
		}
		if _, err := svc.Record(ctx, ins, crm.MsgFiguresImport("bench")); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := d.SQL.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	for _, weeks := range []int{12, 52} {
		b.Run(fmt.Sprint(weeks, "weeks"), func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := svc.Weekly(ctx, crm.FigureScope{}, weeks); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}
