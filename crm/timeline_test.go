package crm

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
)

// logNotes gives contact n interactions, the newest first, an hour apart:
// note(i) is the subject and body of the i-th newest. Fixture rows, in
// transactions of 1,000 (the outbox records them).
func logNotes(t testing.TB, c *ent.Client, contact, n int, note func(i int) (string, string)) {
	t.Helper()
	newest := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for done := 0; done < n; done += 1000 {
		err := db.WithTx(context.Background(), c, func(ctx context.Context, tx *ent.Tx) error {
			bulk := make([]*ent.InteractionCreate, min(1000, n-done))
			for k := range bulk {
				subject, body := note(done + k)
				bulk[k] = tx.Interaction.Create().SetType("email").SetOccurredAt(newest.Add(-time.Duration(done+k) * time.Hour)).
					SetSubject(subject).SetBody(body)
			}
			its, err := tx.Interaction.CreateBulk(bulk...).Save(ctx)
			if err != nil {
				return err
			}
			ps := make([]*ent.ParticipationCreate, len(its))
			for k, it := range its {
				ps[k] = Participations(tx.Participation, it, contact)[0]
			}
			return tx.Participation.CreateBulk(ps...).Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// oldCases are notes far older than the newest search.MaxNotes, each
// found by a word written differently (stem, folding, compound, feminine).
var oldCases = map[int][2]string{
	31: {"Reise nach Wien", "Plant eine Pressereise im Frühjahr."},
	33: {"Treffen", "Termin in München verschoben."},
	35: {"", "Die Gesundheitsbloggerin möchte ein Testgerät."},
	37: {"Café", "Kaffee im Straßencafé am Hafen."},
}

func oldNote(i int) (string, string) {
	if c, ok := oldCases[i]; ok {
		return c[0], c[1]
	}
	return "Rückfrage", fmt.Sprintf("Bittet um Bildmaterial (%d).", i)
}

// TestTimelineWords: a contact's timeline finds words in its whole history
// with the search's analysis: old notes by stem, folding, compound and
// feminine forms, in pages, with the other filters, on both databases.
func TestTimelineWords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		id := makeContacts(t, d.Client, 1)[0]
		logNotes(t, d.Client, id, 40, oldNote)
		subjects := func(tl *Timeline) []string {
			var out []string
			for _, e := range tl.Entries {
				out = append(out, e.Subject+"|"+e.Body)
			}
			return out
		}
		for _, tc := range []struct {
			name, q string
			want    []int
		}{
			{"stem_reisen_finds_reise", "Reisen", []int{31}},
			{"compound_pressereise", "Pressereisen", []int{31}},
			{"folded_ue", "Muenchen", []int{33}},
			{"folded_no_dots", "munchen", []int{33}},
			{"compound_and_feminine", "Blogger", []int{35}},
			{"eszett_ss", "strassencafe", []int{37}},
			{"accent", "cafe", []int{37}},
			{"two_words", "Termin verschoben", []int{33}},
			{"phrase", `"in München"`, []int{33}},
			{"phrase_wrong_order", `"verschoben München"`, nil},
			{"nothing", "Segelflug", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tl, err := LoadTimelineFiltered(ctx, d.Client, id, TimelineFilter{Text: tc.q}, "", 20)
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, i := range tc.want {
					s, b := oldNote(i)
					want = append(want, s+"|"+b)
				}
				if got := subjects(tl); !slices.Equal(got, want) || tl.Next != "" {
					t.Errorf("%q: %q (next %q), want %q", tc.q, got, tl.Next, want)
				}
			})
		}

		// 36 notes ask for pictures: a page of 20, then the other 16, newest first.
		tl, err := LoadTimelineFiltered(ctx, d.Client, id, TimelineFilter{Text: "bildmaterial"}, "", 20)
		if err != nil || len(tl.Entries) != 20 || tl.Next == "" || tl.Entries[0].Body != "Bittet um Bildmaterial (0)." {
			t.Fatalf("first page: %v, %d entries, next %q", err, len(tl.Entries), tl.Next)
		}
		tl2, err := LoadTimelineFiltered(ctx, d.Client, id, TimelineFilter{Text: "bildmaterial"}, tl.Next, 20)
		if err != nil || len(tl2.Entries) != 16 || tl2.Next != "" || tl2.Entries[15].Body != "Bittet um Bildmaterial (39)." {
			t.Fatalf("second page: %v, %d entries, next %q", err, len(tl2.Entries), tl2.Next)
		}

		// Words and a period: only the notes of the period (37 to 39 are on the 28th, 37 is the café).
		from, to := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
		tl, err = LoadTimelineFiltered(ctx, d.Client, id, TimelineFilter{Text: "Bildmaterial", From: &from, To: &to}, "", 20)
		if got := subjects(tl); err != nil || !slices.Equal(got, []string{"Rückfrage|Bittet um Bildmaterial (38).", "Rückfrage|Bittet um Bildmaterial (39)."}) {
			t.Errorf("period: %v, %q", err, got)
		}

		// Out of time: what matched so far and a cursor that reads on.
		defer func(b time.Duration, c int) { TimelineBudget, timelineChunk = b, c }(TimelineBudget, timelineChunk)
		TimelineBudget, timelineChunk = 0, 10
		tl, err = LoadTimelineFiltered(ctx, d.Client, id, TimelineFilter{Text: "Reise"}, "", 20)
		if err != nil || len(tl.Entries) != 0 || !tl.Partial || tl.Next == "" {
			t.Fatalf("over budget: %v, %d entries, partial %v", err, len(tl.Entries), tl.Partial)
		}
		for tl.Partial && len(tl.Entries) == 0 {
			if tl, err = LoadTimelineFiltered(ctx, d.Client, id, TimelineFilter{Text: "Reise"}, tl.Next, 20); err != nil {
				t.Fatal(err)
			}
		}
		if len(tl.Entries) != 1 || tl.Entries[0].Subject != "Reise nach Wien" {
			t.Errorf("read on: %q", subjects(tl))
		}
	})
}
