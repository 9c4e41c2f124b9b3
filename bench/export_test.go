package bench

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/db"
)

// copyQuery is the peer: PostgreSQL's COPY of the same default columns and
// the same people (those an export may contact: not do-not-contact, no
// withdrawn consent or objection, a lawful basis), written as a competent
// user would, with each list aggregated once per table (GROUP BY) rather
// than per row. checkExportPeer proves it exports the same ids.
const copyQuery = `COPY (
WITH e AS (SELECT DISTINCT ON (contact_id) contact_id, address FROM contact_emails ORDER BY contact_id, "primary" DESC, id),
 o AS (SELECT m.contact_id, string_agg(o.name || CASE WHEN m.role <> '' THEN ' (' || m.role || ')' ELSE '' END, '; ' ORDER BY o.name) v
       FROM employments m JOIN outlets o ON o.id = m.outlet_id GROUP BY m.contact_id),
 s AS (SELECT contact_id, string_agg(platform || ':' || handle || ' (' || followers || ')', '; ' ORDER BY followers DESC) v FROM social_profiles GROUP BY contact_id),
 tp AS (SELECT x.contact_id, string_agg(t.name, '; ' ORDER BY t.name) v FROM contact_topics x JOIN topics t ON t.id = x.topic_id GROUP BY x.contact_id),
 tg AS (SELECT x.contact_id, string_agg(t.name, '; ' ORDER BY t.name) v FROM contact_tags x JOIN tags t ON t.id = x.tag_id GROUP BY x.contact_id)
SELECT c.id, c.first_name, c.last_name, e.address, o.v, s.v, c.reach, c.region, tp.v, tg.v, c.stage, c.consent_state
FROM contacts c LEFT JOIN e ON e.contact_id = c.id LEFT JOIN o ON o.contact_id = c.id LEFT JOIN s ON s.contact_id = c.id
 LEFT JOIN tp ON tp.contact_id = c.id LEFT JOIN tg ON tg.contact_id = c.id
WHERE NOT c.do_not_contact AND c.consent_state NOT IN ('withdrawn', 'objected') AND c.lawful_basis <> 'none'
ORDER BY c.last_name, c.first_name, c.id) TO STDOUT WITH (FORMAT csv, HEADER)`

// BenchmarkExport exports every contact of the dataset with the default
// columns: Rapport's streaming CSV and XLSX (resolving the selection, then
// writing) against PostgreSQL's COPY … TO STDOUT of the same columns (through
// psql, the tool a user would reach for), in one run. "resolve" times the
// first step alone, to show how the time of an export splits; it runs after
// csv so as not to warm csv's memory figure.
func BenchmarkExport(b *testing.B) {
	d := Dataset(b)
	ctx := crm.WithActor(context.Background(), crm.Actor{Role: crm.RoleManager})
	loader := export.Loader{DB: d.SQL, Dialect: d.Dialect}
	cols, _ := export.Select(nil)
	run := func(format string) func(b *testing.B) {
		return func(b *testing.B) {
			var lat latencies
			peakRSSGrowth(b, func() {
				for b.Loop() {
					lat.time(func() {
						res, err := crm.NewSelections(d.Client, d.Dialect, nil, nil, nil).Resolve(ctx, crm.Selection{}, false)
						if err != nil {
							b.Fatal(err)
						}
						if _, err := export.Write(ctx, loader, io.Discard, format, cols, res.IDs); err != nil {
							b.Fatal(err)
						}
					})
				}
			})
			lat.report(b)
		}
	}
	checkExportPeer(b, ctx, d, loader, cols)
	b.Run("csv", run(export.CSV))
	peer := func(settings string) func(b *testing.B) {
		return func(b *testing.B) {
			if _, err := exec.LookPath("psql"); err != nil {
				b.Skip("psql not installed")
			}
			args := psqlCopyArgs(settings)
			var lat latencies
			for b.Loop() {
				lat.time(func() {
					cmd := exec.Command("psql", args...)
					var stderr strings.Builder
					cmd.Stdout, cmd.Stderr = io.Discard, &stderr
					if err := cmd.Run(); err != nil {
						b.Fatalf("%v: %s", err, stderr.String())
					}
				})
			}
			lat.report(b)
		}
	}
	b.Run("postgres-copy", peer(""))
	// The same COPY with the settings Rapport's export gives its own queries
	// (see export.Loader): enough work_mem for in-memory hashes and sorts, no
	// parallel workers, no JIT.
	b.Run("postgres-copy-tuned", peer("SET work_mem = '32MB'; SET max_parallel_workers_per_gather = 0; SET jit = off"))
	b.Run("resolve", func(b *testing.B) {
		var lat latencies
		for b.Loop() {
			lat.time(func() {
				if _, err := crm.NewSelections(d.Client, d.Dialect, nil, nil, nil).Resolve(ctx, crm.Selection{}, false); err != nil {
					b.Fatal(err)
				}
			})
		}
		lat.report(b)
	})
	b.Run("xlsx", run(export.XLSX))
}

// psqlCopyArgs are psql's arguments to run copyQuery after settings.
func psqlCopyArgs(settings string) []string {
	args := []string{"-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", datasetName()}
	if settings != "" {
		args = append(args, "-c", settings)
	}
	return append(args, "-c", copyQuery)
}

// checkExportPeer fails the benchmark unless the COPY peer writes the same
// contacts as Rapport's CSV export: a peer that exported everyone (or
// nobody) would not be doing the same work.
func checkExportPeer(b *testing.B, ctx context.Context, d *db.DB, loader export.Loader, cols []export.Column) {
	b.Helper()
	res, err := crm.NewSelections(d.Client, d.Dialect, nil, nil, nil).Resolve(ctx, crm.Selection{}, false)
	if err != nil {
		b.Fatal(err)
	}
	var ours bytes.Buffer
	if _, err := export.Write(ctx, loader, &ours, export.CSV, cols, res.IDs); err != nil {
		b.Fatal(err)
	}
	theirs, err := exec.Command("psql", psqlCopyArgs("")...).Output()
	if err != nil {
		b.Skipf("psql: %v", err)
	}
	a, p := firstColumn(b, ours.Bytes()), firstColumn(b, theirs)
	slices.Sort(a)
	slices.Sort(p)
	if len(a) == 0 || !slices.Equal(a, p) {
		b.Fatalf("Rapport exports %d contacts, the COPY peer %d (or other ones): the peer does not do the same work", len(a), len(p))
	}
}

// firstColumn reads the first column of a CSV file with a header.
func firstColumn(b *testing.B, data []byte) []string {
	b.Helper()
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	out := make([]string, 0, len(recs))
	for _, r := range recs[min(1, len(recs)):] {
		out = append(out, r[0])
	}
	return out
}
