package bench

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/search"
)

// importRows is the size of the import benchmark (RAPPORT_BENCH_IMPORT_ROWS).
func importRows() int {
	if n, err := strconv.Atoi(os.Getenv("RAPPORT_BENCH_IMPORT_ROWS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// peerRows bounds the per-row peers, which would take minutes (ent: hours)
// for 100,000 rows; their rate is per row, so the ratio holds.
const peerRows = 5_000

// entPeerRows bounds the per-row ent create, at about 80 rows/s.
const entPeerRows = 1_000

type benchRow struct {
	first, last, email, outlet, topic, city, handle, tags string
	followers                                             int
}

func benchData(n int) ([]benchRow, []byte) {
	cities := []string{"München", "Berlin", "Hamburg", "Köln", "Frankfurt am Main", "Stuttgart", "Düsseldorf", "Leipzig"}
	topics := []string{"IT", "Gesundheit", "Automobil", "Finanzen", "Mode", "Reisen", "Sport", "Politik", "Wissenschaft", "Energie"}
	rows := make([]benchRow, n)
	var b bytes.Buffer
	b.WriteString("\uFEFFVorname;Nachname;E-Mail;Medium;Ressort;Stadt;Twitter;Follower;Tags\r\n")
	for i := range rows {
		r := benchRow{first: "Jürgen", last: fmt.Sprintf("Müller-%d", i), email: fmt.Sprintf("person%d@beispiel-%d.de", i, i%97),
			outlet: fmt.Sprintf("Beispielzeitung %d", i%500), topic: topics[i%len(topics)], city: cities[i%len(cities)],
			handle: fmt.Sprintf("jm_%d", i), followers: (i * 37) % 100_000, tags: fmt.Sprintf("Liste %d, Presse", i%30)}
		rows[i] = r
		fmt.Fprintf(&b, "%s;%s;%s;%s;%s;%s;@%s;%d;\"%s\"\r\n", r.first, r.last, r.email, r.outlet, r.topic, r.city, r.handle, r.followers, r.tags)
	}
	return rows, b.Bytes()
}

// BenchmarkImport imports a German Excel CSV into PostgreSQL end to end
// (store the upload, read it back streaming, match, commit in transactional
// batches with row outcomes, audit and search changes — on PostgreSQL one
// INSERT … SELECT FROM unnest per table and batch, two batches in flight)
// against a per-row ent create (crm.CreateContact), a listmonk-style per-row
// upsert, and the floor: COPY into an unindexed staging table. After each
// run (untimed) it checks that every contact arrived whole, with its row
// outcome, its audit event and its search change. Besides rows/s it reports
// searchable-s (upload to the last contact found by the search index),
// peak-RSS-MB, and the CPU the run cost the database (db-cpu-s, when the
// server's processes are readable here) and this process (go-cpu-s): on a
// shared machine the CPU figures compare runs where the wall time cannot.
func BenchmarkImport(b *testing.B) {
	n := importRows()
	rows, file := benchData(n)
	ctx := context.Background()
	b.Run("rapport", func(b *testing.B) {
		var peak int64
		var searchable time.Duration
		var dbCPU, goCPU float64
		for b.Loop() {
			b.StopTimer()
			d := dbtest.Open(b, dialect.Postgres, nil)
			u, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: "bench@example.com", Name: "Bench", Role: "staff", Password: "bench-password-123"})
			if err != nil {
				b.Fatal(err)
			}
			s, err := search.Open(ctx, search.Options{Dir: b.TempDir(), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
			if err != nil {
				b.Fatal(err)
			}
			debug.FreeOSMemory() // what the previous run's search sync left is not this run's peak
			resetPeakRSS()
			cpu0, go0 := backendCPU(d), processCPU()
			start := time.Now()
			b.StartTimer()
			j, err := importing.CreateJob(ctx, d.Client, importing.NewJob{UserID: &u.ID, Filename: "bench.csv", Data: file})
			if err != nil {
				b.Fatal(err)
			}
			if j, err = importing.SetMapping(ctx, d.Client, j, j.Mapping); err != nil {
				b.Fatal(err)
			}
			if ok, err := importing.Claim(ctx, d.Client, j.ID, "bench", true); err != nil || !ok {
				b.Fatal(ok, err)
			}
			if err := (&importing.Runner{Client: d.Client, Worker: "bench"}).Run(ctx, j.ID); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			dbCPU += subCPU(backendCPU(d), cpu0)
			goCPU += processCPU() - go0
			peak = max(peak, peakRSS())
			searchable += syncSearch(b, s, n, start)
			checkImported(b, d, j.ID, n)
			b.StartTimer()
		}
		b.ReportMetric(float64(n)/(b.Elapsed().Seconds()/float64(b.N)), "rows/s")
		b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
		b.ReportMetric(searchable.Seconds()/float64(b.N), "searchable-s")
		if dbCPU > 0 {
			b.ReportMetric(dbCPU/float64(b.N), "db-cpu-s")
		}
		b.ReportMetric(goCPU/float64(b.N), "go-cpu-s")
	})
	b.Run("ent_per_row", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			d := dbtest.Open(b, dialect.Postgres, nil)
			b.StartTimer()
			for _, r := range rows[:min(n, entPeerRows)] {
				_, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: r.first, LastName: r.last, City: r.city,
					Emails: []crm.EmailInput{{Address: r.email}}, Outlets: []crm.OutletRole{{Outlet: r.outlet}}, Topics: []string{r.topic},
					Tags: crm.SplitList(r.tags), Channels: []crm.ChannelInput{{Platform: "x", Handle: r.handle, Followers: int64(r.followers)}}})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			wantCount(b, d, "SELECT count(*) FROM contacts c WHERE EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id)", min(n, entPeerRows))
			b.StartTimer()
		}
		b.ReportMetric(float64(min(n, entPeerRows))/(b.Elapsed().Seconds()/float64(b.N)), "rows/s")
	})
	b.Run("listmonk_upsert", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			d := dbtest.Open(b, dialect.Postgres, nil)
			mustExec(b, d, `CREATE TABLE subscribers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL,
				attribs jsonb NOT NULL DEFAULT '{}', created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now())`)
			b.StartTimer()
			upsertPerRow(b, d.SQL, rows[:min(n, peerRows)])
			b.StopTimer()
			wantCount(b, d, "SELECT count(*) FROM subscribers", min(n, peerRows))
			b.StartTimer()
		}
		b.ReportMetric(float64(min(n, peerRows))/(b.Elapsed().Seconds()/float64(b.N)), "rows/s")
	})
	b.Run("copy_floor", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			d := dbtest.Open(b, dialect.Postgres, nil)
			mustExec(b, d, `CREATE UNLOGGED TABLE staging (first text, last text, email text, outlet text, topic text, city text, handle text, followers int, tags text)`)
			b.StartTimer()
			copyRows(b, d.SQL, rows)
			b.StopTimer()
			wantCount(b, d, "SELECT count(*) FROM staging", n)
			b.StartTimer()
		}
		b.ReportMetric(float64(n)/(b.Elapsed().Seconds()/float64(b.N)), "rows/s")
	})
}

// syncSearch brings the search index up to date with the import's change
// records as the server's search runner does (here in one go after the last
// commit, so the two do not share the cores), checks that every contact is
// in it, closes it and returns the time since start: the import end to end
// until its last contact can be found.
func syncSearch(b *testing.B, s *search.Service, n int, start time.Time) time.Duration {
	b.Helper()
	defer s.Close()
	if err := s.Sync(context.Background()); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	res, err := s.Search(context.Background(), search.Request{Size: 1})
	if err != nil {
		b.Fatal(err)
	}
	if res.Total != uint64(n) {
		b.Fatalf("%d contacts searchable, want %d", res.Total, n)
	}
	return took
}

// checkImported asserts what the import promises for n new contacts: each
// whole (e-mail, channel, outlet, topic, two tags), one created row outcome,
// one audit event and one search change each, and the job done with exact
// counters.
func checkImported(b *testing.B, d *db.DB, jobID, n int) {
	b.Helper()
	counts := []struct{ what, q string }{
		{"contacts", "SELECT count(*) FROM contacts"},
		{"e-mails", "SELECT count(*) FROM contact_emails"},
		{"channels", "SELECT count(*) FROM social_profiles"},
		{"employments", "SELECT count(*) FROM employments"},
		{"topic links", "SELECT count(*) FROM contact_topics"},
		{"tag links / 2", "SELECT count(*) / 2 FROM contact_tags"},
		{"created row outcomes", "SELECT count(*) FROM import_rows WHERE action = 'create' AND contact_id IS NOT NULL"},
		{"audited contacts", "SELECT count(DISTINCT entity_id) FROM audit_events WHERE entity = 'contact' AND action = 'create'"},
		{"contacts with a search change", "SELECT count(DISTINCT contact_id) FROM changes WHERE contact_id IN (SELECT id FROM contacts)"},
		{"processed rows", fmt.Sprintf("SELECT processed_rows FROM import_jobs WHERE id = %d AND status = 'done' AND created_count = processed_rows", jobID)},
	}
	for _, c := range counts {
		var got int
		if err := d.SQL.QueryRow(c.q).Scan(&got); err != nil {
			b.Fatalf("%s: %v", c.what, err)
		}
		if got != n {
			b.Fatalf("%d %s, want %d", got, c.what, n)
		}
	}
}

// wantCount fails the benchmark unless q counts want: a peer is reported
// only when it committed the same rows as Rapport's import.
func wantCount(b *testing.B, d *db.DB, q string, want int) {
	b.Helper()
	var got int
	if err := d.SQL.QueryRow(q).Scan(&got); err != nil {
		b.Fatal(err)
	}
	if got != want {
		b.Fatalf("the peer committed %d rows, want %d (%s): it does not do the same work", got, want, q)
	}
}

func mustExec(b *testing.B, d *db.DB, q string) {
	b.Helper()
	if _, err := d.SQL.Exec(q); err != nil {
		b.Fatal(err)
	}
}

// upsertPerRow is listmonk's importer in miniature: one prepared upsert per
// row inside transactions of 1,000 rows.
func upsertPerRow(b *testing.B, sqldb *sql.DB, rows []benchRow) {
	for start := 0; start < len(rows); start += 1000 {
		tx, err := sqldb.Begin()
		if err != nil {
			b.Fatal(err)
		}
		stmt, err := tx.Prepare(`INSERT INTO subscribers (email, name, attribs) VALUES ($1, $2, $3)
			ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, attribs = subscribers.attribs || EXCLUDED.attribs, updated_at = now()`)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rows[start:min(len(rows), start+1000)] {
			attribs := fmt.Sprintf(`{"outlet":%q,"city":%q,"x":%q,"followers":%d,"tags":%q}`, r.outlet, r.city, r.handle, r.followers, r.tags)
			if _, err := stmt.Exec(r.email, r.first+" "+r.last, attribs); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

func copyRows(b *testing.B, sqldb *sql.DB, rows []benchRow) {
	tx, err := sqldb.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(pq.CopyIn("staging", "first", "last", "email", "outlet", "topic", "city", "handle", "followers", "tags"))
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rows {
		if _, err := stmt.Exec(r.first, r.last, r.email, r.outlet, r.topic, r.city, r.handle, r.followers, r.tags); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := stmt.Exec(); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// backendCPU is the CPU time (seconds) each PostgreSQL backend of d's
// database has used so far, by process id, read from /proc: it only works
// with the server on this machine and readable processes, and is empty
// otherwise. On a shared machine it says what the import costs the
// database whatever the load, which the wall time does not.
func backendCPU(d *db.DB) map[int]float64 {
	out := map[int]float64{}
	rows, err := d.SQL.Query("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
	if err != nil {
		return out
	}
	defer rows.Close()
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) != nil {
			continue
		}
		if s, ok := procCPU(fmt.Sprintf("/proc/%d/stat", pid)); ok {
			out[pid] = s
		}
	}
	return out
}

// subCPU is the CPU used between two backendCPU readings; a backend that
// started in between counts whole.
func subCPU(after, before map[int]float64) float64 {
	var sum float64
	for pid, s := range after {
		sum += s - before[pid]
	}
	return sum
}

// processCPU is this process's user and system CPU time in seconds.
func processCPU() float64 {
	s, _ := procCPU("/proc/self/stat")
	return s
}

// procCPU reads utime + stime (in clock ticks of 1/100 s) from a
// /proc/PID/stat file.
func procCPU(path string) (float64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	i := bytes.LastIndexByte(b, ')') // the command name may hold spaces
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return float64(u+s) / 100, true
}

// resetPeakRSS resets the kernel's high-water mark of this process (Linux).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak resident set in KiB (VmHWM), 0 if unknown.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}
