package bench

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
)

// copyQuery is the peer: PostgreSQL's COPY of the same default columns,
// written as a competent user would, with each list aggregated once per
// table (GROUP BY) rather than per row.
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
	b.Run("csv", run(export.CSV))
	peer := func(settings string) func(b *testing.B) {
		return func(b *testing.B) {
			if _, err := exec.LookPath("psql"); err != nil {
				b.Skip("psql not installed")
			}
			args := []string{"-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", fmt.Sprintf("rapport_bench_%d_s%d", Size(), Seed)}
			if settings != "" {
				args = append(args, "-c", settings)
			}
			args = append(args, "-c", copyQuery)
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
