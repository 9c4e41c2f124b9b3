package main

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `date: 2026-12-04T18:00:00Z
bench-size: 100000
BenchmarkContactPage/rapport-2   	     100	   4000000 ns/op	         4.0 p50-ms	         5.5 p95-ms
BenchmarkContactPage/eager-ent-2 	      10	  30000000 ns/op	        30.0 p50-ms	        35.0 p95-ms
BenchmarkSearch/bleve-2          	     100	   5000000 ns/op	         5.0 p50-ms	         9.0 p95-ms
BenchmarkSearch/postgres_tsvector-2	     100	   6000000 ns/op	         6.0 p50-ms	        12.0 p95-ms
BenchmarkSearch/bleve_with_facet_counts_and_snippets-2	     100	   6000000 ns/op	         6.0 p50-ms	        14.0 p95-ms
BenchmarkReindex/bleve-2         	       1	34000000000 ns/op	      2941 contacts/s
BenchmarkReindex/postgres-gin-2  	       1	 8500000000 ns/op	     11765 contacts/s
BenchmarkErase/postgres-2        	       1	1500000000 ns/op	         0 compact-ms	       800 db-ms	       700 index-ms
BenchmarkRetentionSweep/postgres-2	       1	3000000000 ns/op	         2.5 sweep-s	       250 loop-s	     33000 reviews	    100000 contacts
BenchmarkBusyTeam-2              	       1	60000000000 ns/op	       310 req/s	       250 list-p95-ms	       320 edit-p95-ms	         0 5xx
BenchmarkDashboard/staff-cached-2	     100	   4000000 ns/op	         4.0 p50-ms	         6.0 p95-ms
BenchmarkDashboard/staff-cold-2  	     100	  90000000 ns/op	        90.0 p50-ms	       120 p95-ms
BenchmarkDashboard/manager-cached-2	     100	   5000000 ns/op	         5.0 p50-ms	        70.0 p95-ms
BenchmarkFeedPoll-2              	       1	20500000000 ns/op	        18.3 first-poll-s	         2.20 second-poll-s	        67.1 peak-RSS-MB
`

// TestGoals: the goals table is computed from the run it reads; a goal the
// run did not measure says so instead of borrowing a figure.
func TestGoals(t *testing.T) {
	results, config := parse(strings.NewReader(sample))
	var out bytes.Buffer
	writeGoals(&out, results, config)
	got := out.String()
	for _, want := range []string{
		"Goals at a glance (this run, 100000 contacts)",
		"| contact page with 10,000 interactions, p95 ≤ 10 ms | p50 4.00 ms, p95 5.50 ms; 7.50× faster than eager loading (p50) | yes |",
		"p50 5.00 ms, p95 9.00 ms; 1.20× / 1.33× faster than `tsvector` (p50 / p95) | **no** |",
		"| search with facet counts and snippets (the search page): p95 ≤ 15 ms (issue 19) | p50 6.00 ms, p95 14.0 ms | yes |",
		"| `rapport reindex` of 100k ≤ 12 s (and its ratio to PostgreSQL building a GIN index over the same text) | 34.0 s (2941 contacts/s); PostgreSQL GIN 8.50 s, bleve takes 4.00× its time | **no** |",
		"310 req/s, edit p95 320 ms, list p95 250 ms, no 5xx | **no** |",
		"| start page with its charts p95 ≤ 50 ms (staff and manager, as served; cold: after a write) | staff p50 4.00 ms, p95 6.00 ms (cold p95 120 ms); manager p50 5.00 ms, p95 70.0 ms | **no** |",
		"| erasure of a contact with 10,000 interactions ≤ 1 s (PostgreSQL), plus the index rewrite | 800 ms + index 700 ms | yes |",
		"| retention sweep over 100,000 contacts ≤ 10 s (PostgreSQL) | 2.50 s over 100000 contacts; a per-contact loop 250 s (100×) | yes |",
		"| access report of that contact ≤ 1 s (PostgreSQL) | not in this run | — |",
		"| 1,000 feeds × 50 items: first poll ≤ 30 s, second (nothing new) ≤ 5 s; peak RSS | first 18.3 s, second 2.20 s, peak RSS 67.1 MB | yes |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}
