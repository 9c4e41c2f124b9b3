package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// A goal is one line of "Goals at a glance": what the issues ask of a
// workload, checked against the results of the same run. Goals are stated
// for 100,000 contacts; the table says the run's size.
type goal struct {
	text string
	// check reports the measured values and whether the goal is met; ok is
	// false when the run holds no result for it.
	check func(rs results) (measured string, met, ok bool)
}

// results finds a run's results by "Workload/variant".
type results map[string]*result

func (rs results) metric(name, unit string) (float64, bool) {
	r := rs[name]
	if r == nil {
		return 0, false
	}
	return r.get(unit)
}

// seconds is one operation's time in seconds (benchmarks that run once per
// operation: an export, an import, a reindex).
func (rs results) seconds(name string) (float64, bool) {
	ns, ok := rs.metric(name, "ns/op")
	return ns / 1e9, ok
}

func ms(v float64) string { return num(v) + " ms" }

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

// latencyGoal is a p95 limit on one benchmark.
func latencyGoal(text, name string, p95 float64) goal {
	return goal{text, func(rs results) (string, bool, bool) {
		p50, ok1 := rs.metric(name, "p50-ms")
		v, ok2 := rs.metric(name, "p95-ms")
		return fmt.Sprintf("p50 %s, p95 %s", ms(p50), ms(v)), v <= p95, ok1 && ok2
	}}
}

var goals = []goal{
	{"contact page with 10,000 interactions, p95 ≤ 10 ms", func(rs results) (string, bool, bool) {
		p50, ok1 := rs.metric("ContactPage/rapport", "p50-ms")
		p95, ok2 := rs.metric("ContactPage/rapport", "p95-ms")
		eager, ok3 := rs.metric("ContactPage/eager-ent", "p50-ms")
		s := fmt.Sprintf("p50 %s, p95 %s", ms(p50), ms(p95))
		if ok3 && p50 > 0 {
			s += fmt.Sprintf("; %s× faster than eager loading (p50)", num(eager/p50))
		}
		return s, p95 <= 10, ok1 && ok2
	}},
	{"search text + 2 facets, top 20: p95 ≤ 5 ms and ≥ 3× faster than PostgreSQL `tsvector` at p50 and p95 (issue 19)", func(rs results) (string, bool, bool) {
		p50, ok1 := rs.metric("Search/bleve", "p50-ms")
		p95, ok2 := rs.metric("Search/bleve", "p95-ms")
		t50, ok3 := rs.metric("Search/postgres_tsvector", "p50-ms")
		t95, ok4 := rs.metric("Search/postgres_tsvector", "p95-ms")
		if !(ok1 && ok2 && ok3 && ok4) || p50 <= 0 || p95 <= 0 {
			return "", false, false
		}
		return fmt.Sprintf("p50 %s, p95 %s; %s× / %s× faster than `tsvector` (p50 / p95)", ms(p50), ms(p95), num(t50/p50), num(t95/p95)),
			p95 <= 5 && t50/p50 >= 3 && t95/p95 >= 3, true
	}},
	{"search with facet counts and snippets (the search page): p95 ≤ 15 ms (issue 19)", func(rs results) (string, bool, bool) {
		p50, ok1 := rs.metric("Search/bleve_with_facet_counts_and_snippets", "p50-ms")
		p95, ok2 := rs.metric("Search/bleve_with_facet_counts_and_snippets", "p95-ms")
		return fmt.Sprintf("p50 %s, p95 %s", ms(p50), ms(p95)), p95 <= 15, ok1 && ok2
	}},
	{"`rapport reindex` of 100k ≤ 12 s (and its ratio to PostgreSQL building a GIN index over the same text)", func(rs results) (string, bool, bool) {
		s, ok := rs.seconds("Reindex/bleve")
		cps, _ := rs.metric("Reindex/bleve", "contacts/s")
		m := fmt.Sprintf("%s s (%s contacts/s)", num(s), num(cps))
		if gin, ok := rs.seconds("Reindex/postgres-gin"); ok && gin > 0 {
			m += fmt.Sprintf("; PostgreSQL GIN %s s, bleve takes %s× its time", num(gin), num(s/gin))
		}
		return m, s <= 12, ok
	}},
	latencyGoal("change-to-searchable p95 ≤ 200 ms", "ChangeToSearchable", 200),
	{"bulk tag of 50,000 contacts ≤ 5 s committed, ≤ 15 s searchable", func(rs results) (string, bool, bool) {
		c, ok := rs.metric("BulkTag", "committed-s")
		sr, _ := rs.metric("BulkTag", "searchable-s")
		loop, _ := rs.metric("BulkTag", "loop-s")
		m := fmt.Sprintf("committed %s s, searchable %s s", num(c), num(sr))
		if loop > 0 && c > 0 {
			m += fmt.Sprintf("; a per-contact loop %s s (%s×)", num(loop), num(loop/c))
		}
		return m, c <= 5 && sr > 0 && sr <= 15, ok
	}},
	latencyGoal("owned-channel matrix (region × topic, engaged contacts per cell) p95 ≤ 50 ms", "ChannelMatrix/cold", 50),
	{"import 100,000 rows ≤ 5 s committed, ≤ 20 s searchable, peak RSS ≤ 256 MB", func(rs results) (string, bool, bool) {
		s, ok := rs.seconds("Import/rapport")
		rps, _ := rs.metric("Import/rapport", "rows/s")
		searchable, _ := rs.metric("Import/rapport", "searchable-s")
		peak, _ := rs.metric("Import/rapport", "peak-RSS-MB")
		return fmt.Sprintf("committed %s s (%s rows/s), searchable %s s, peak %s MB", num(s), num(rps), num(searchable), num(peak)),
			s <= 5 && searchable <= 20 && peak <= 256, ok
	}},
	{"export: CSV ≤ 1 s and ≤ 3× `COPY`, RSS growth ≤ 32 MB; XLSX ≤ 5 s, ≤ 128 MB", func(rs results) (string, bool, bool) {
		csv, ok1 := rs.seconds("Export/csv")
		cp, ok2 := rs.seconds("Export/postgres-copy")
		xlsx, ok3 := rs.seconds("Export/xlsx")
		cm, _ := rs.metric("Export/csv", "peak-rss-growth-MB")
		xm, _ := rs.metric("Export/xlsx", "peak-rss-growth-MB")
		if !(ok1 && ok2 && ok3) || cp <= 0 {
			return "", false, false
		}
		return fmt.Sprintf("CSV %s s = %s× `COPY`, %s MB; XLSX %s s, %s MB", num(csv), num(csv/cp), num(cm), num(xlsx), num(xm)),
			csv <= 1 && csv/cp <= 3 && cm <= 32 && xlsx <= 5 && xm <= 128, true
	}},
	{"erasure of a contact with 10,000 interactions ≤ 1 s (PostgreSQL), plus the index rewrite", func(rs results) (string, bool, bool) {
		db, ok := rs.metric("Erase/postgres", "db-ms")
		idx, _ := rs.metric("Erase/postgres", "index-ms")
		s := fmt.Sprintf("%s + index %s", ms(db), ms(idx))
		if lite, ok := rs.metric("Erase/sqlite", "db-ms"); ok {
			c, _ := rs.metric("Erase/sqlite", "compact-ms")
			s += fmt.Sprintf("; SQLite %s + compaction %s", ms(lite), ms(c))
		}
		return s, db <= 1000, ok
	}},
	{"access report of that contact ≤ 1 s (PostgreSQL)", func(rs results) (string, bool, bool) {
		v, ok := rs.seconds("AccessReport/postgres")
		return ms(v * 1000), v <= 1, ok
	}},
	{"retention sweep over 100,000 contacts ≤ 10 s (PostgreSQL)", func(rs results) (string, bool, bool) {
		v, ok := rs.metric("RetentionSweep/postgres", "sweep-s")
		n, _ := rs.metric("RetentionSweep/postgres", "contacts")
		loop, _ := rs.metric("RetentionSweep/postgres", "loop-s")
		s := fmt.Sprintf("%s s over %s contacts", num(v), num(n))
		if loop > 0 && v > 0 {
			s += fmt.Sprintf("; a per-contact loop %s s (%s×)", num(loop), num(loop/v))
		}
		return s, v <= 10 && n >= 100_000, ok
	}},
	{"start page with its charts p95 ≤ 50 ms (staff and manager, as served; cold: after a write)", func(rs results) (string, bool, bool) {
		var parts []string
		met, all := true, true
		for _, who := range []string{"staff", "manager"} {
			p50, ok1 := rs.metric("Dashboard/"+who+"-cached", "p50-ms")
			p95, ok2 := rs.metric("Dashboard/"+who+"-cached", "p95-ms")
			all, met = all && ok1 && ok2, met && p95 <= 50
			s := fmt.Sprintf("%s p50 %s, p95 %s", who, ms(p50), ms(p95))
			if c95, ok := rs.metric("Dashboard/"+who+"-cold", "p95-ms"); ok {
				s += fmt.Sprintf(" (cold p95 %s)", ms(c95))
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, "; "), met, all
	}},
	{"`/advocates` p95 ≤ 50 ms (every order)", func(rs results) (string, bool, bool) {
		var parts []string
		met, any := true, false
		for name, r := range rs {
			if r.workload != "Advocates" {
				continue
			}
			if v, ok := r.get("p95-ms"); ok {
				any = true
				met = met && v <= 50
				parts = append(parts, fmt.Sprintf("%s %s", strings.TrimPrefix(name, "Advocates/"), ms(v)))
			}
		}
		slices.Sort(parts)
		return "p95 " + strings.Join(parts, ", "), met, any
	}},
	{"list page over HTTP ≥ 2,000 req/s with p99 ≤ 50 ms", func(rs results) (string, bool, bool) {
		in, ok1 := rs.metric("HTTP/contacts", "max-rps-p99<=50ms")
		serve, ok2 := rs.metric("ServeRSS", "max-rps-p99<=50ms")
		s := fmt.Sprintf("%s req/s in-process", num(in))
		if ok2 {
			s += fmt.Sprintf(", %s req/s from the `rapport serve` binary", num(serve))
		}
		return s, in >= 2000 && (!ok2 || serve >= 2000), ok1
	}},
	{"API list of 100 ≥ 2,000 req/s with p99 ≤ 50 ms (issue 17)", func(rs results) (string, bool, bool) {
		api, ok := rs.metric("HTTP/api-list100", "max-rps-p99<=50ms")
		p99, _ := rs.metric("HTTP/api-list100", "p99-ms")
		html, _ := rs.metric("HTTP/contacts", "max-rps-p99<=50ms")
		return fmt.Sprintf("%s req/s at p99 %s (HTML list %s req/s)", num(api), ms(p99), num(html)), api >= 2000, ok
	}},
	{"`/metrics` adds ≤ 3 % to request time (issue 17)", func(rs results) (string, bool, bool) {
		added, ok := rs.metric("MetricsShare", "added-%")
		with, _ := rs.metric("MetricsShare", "with-us/req")
		without, _ := rs.metric("MetricsShare", "without-us/req")
		return fmt.Sprintf("%s %% on one API contact (%s against %s µs)", num(added), num(with), num(without)), added <= 3, ok
	}},
	{"server RSS ≤ 200 MB after 100k contacts and the HTTP workload", func(rs results) (string, bool, bool) {
		rss, ok := rs.metric("ServeRSS", "rss-MB")
		peak, _ := rs.metric("ServeRSS", "peak-rss-MB")
		return fmt.Sprintf("%s MB resident after (peak %s MB)", num(rss), num(peak)), rss <= 200, ok
	}},
	{"server building its index at start: peak resident ≤ 512 MB (issue 19)", func(rs results) (string, bool, bool) {
		peak, ok := rs.metric("ServeRSS", "peak-rss-MB")
		anon, _ := rs.metric("ServeRSS", "peak-anon-MB")
		file, _ := rs.metric("ServeRSS", "peak-file-MB")
		return fmt.Sprintf("peak %s MB (anonymous at most %s MB, mapped index files at most %s MB)", num(peak), num(anon), num(file)), peak <= 512, ok
	}},
	{"busy team: ≥ 300 req/s, p95 ≤ 300 ms for every kind, no 5xx", func(rs results) (string, bool, bool) {
		r := rs["BusyTeam"]
		if r == nil {
			return "", false, false
		}
		rps, ok := r.get("req/s")
		fivexx, _ := r.get("5xx")
		met := rps >= 300 && fivexx == 0
		parts := []string{fmt.Sprintf("%s req/s", num(rps))}
		var kinds []string
		for unit := range r.metrics {
			if strings.HasSuffix(unit, "-p95-ms") {
				kinds = append(kinds, unit)
			}
		}
		slices.Sort(kinds)
		for _, unit := range kinds {
			v, _ := r.get(unit)
			met = met && v <= 300
			parts = append(parts, fmt.Sprintf("%s p95 %s", strings.TrimSuffix(unit, "-p95-ms"), ms(v)))
		}
		if fivexx == 0 {
			parts = append(parts, "no 5xx")
		} else {
			parts = append(parts, fmt.Sprintf("%.0f × 5xx", fivexx))
		}
		return strings.Join(parts, ", "), met, ok
	}},
}

// feedPollGoal is issue 18's feed poller: BenchmarkFeedPoll (crm/), which
// make bench runs once.
var feedPollGoal = goal{"1,000 feeds × 50 items: first poll ≤ 30 s, second (nothing new) ≤ 5 s; peak RSS", func(rs results) (string, bool, bool) {
	first, ok1 := rs.metric("FeedPoll", "first-poll-s")
	second, ok2 := rs.metric("FeedPoll", "second-poll-s")
	rss, _ := rs.metric("FeedPoll", "peak-RSS-MB")
	return fmt.Sprintf("first %s s, second %s s, peak RSS %s MB", num(first), num(second), num(rss)), first <= 30 && second <= 5, ok1 && ok2
}}

func init() { goals = append(goals, feedPollGoal) }

// writeGoals prints "Goals at a glance" from this run's results; a goal the
// run has no result for says so instead of borrowing an older figure.
func writeGoals(w io.Writer, list []*result, config [][2]string) {
	rs := results{}
	for _, r := range list {
		name := r.workload
		if r.variant != "" {
			name += "/" + r.variant
		}
		rs[name] = r
	}
	size := "?"
	for _, kv := range config {
		if kv[0] == "bench-size" {
			size = kv[1]
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "### Goals at a glance (this run, %s contacts)\n\n", size)
	fmt.Fprintln(w, "| goal | measured | met? |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, g := range goals {
		measured, met, ok := g.check(rs)
		if !ok {
			fmt.Fprintf(w, "| %s | not in this run | — |\n", g.text)
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", g.text, measured, yes(met))
	}
}
