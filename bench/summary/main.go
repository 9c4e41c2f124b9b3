// Command summary reads Go benchmark output (a file or stdin) and prints a
// Markdown table per workload: p50, p95, throughput, peak RSS and each
// variant's ratio to the workload's reference (Rapport, or the ceiling).
// Repeated runs (-count) are summarised by their median.
//
//	go test -run '^$' -bench . -count 5 ./bench/ > bench.out
//	go run ./bench/summary bench.out
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// references name the variant the other variants of a workload are compared
// with; a workload not listed compares with its first variant.
var references = map[string]string{
	"ContactPage": "rapport",
	"Import":      "rapport",
	"Export":      "csv",
	"Search":      "bleve",
	"HTTP":        "hello-world",
}

// throughputUnits are metrics that are already a rate, best first.
var throughputUnits = []string{"max-rps-p99<=50ms", "rows/s", "contacts/s"}

var rssUnits = []string{"peak-RSS-MB", "peak-rss-growth-MB", "rss-MB"}

type result struct {
	workload, variant string
	metrics           map[string][]float64
}

var procs = regexp.MustCompile(`-\d+$`)

// configLine is a benchmark configuration line ("key: value") of the run.
var configLine = regexp.MustCompile(`^([a-z][a-z0-9-]*): (.+)$`)

// parse reads the results and the run's configuration lines (the last value
// of each key, in the order the keys first appear).
func parse(r io.Reader) ([]*result, [][2]string) {
	var order []*result
	var config [][2]string
	seen := map[string]int{}
	byName := map[string]*result{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if m := configLine.FindStringSubmatch(sc.Text()); m != nil && m[1] != "pkg" {
			if i, ok := seen[m[1]]; ok {
				config[i][1] = m[2]
			} else {
				seen[m[1]] = len(config)
				config = append(config, [2]string{m[1], m[2]})
			}
			continue
		}
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := procs.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		res := byName[name]
		if res == nil {
			w, v, _ := strings.Cut(name, "/")
			res = &result{workload: w, variant: v, metrics: map[string][]float64{}}
			byName[name] = res
			order = append(order, res)
		}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				res.metrics[f[i+1]] = append(res.metrics[f[i+1]], v)
			}
		}
	}
	return order, config
}

func median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

func (r *result) get(unit string) (float64, bool) { return median(r.metrics[unit]) }

// throughput is the result's rate and its unit: a reported rate, else
// operations per second from ns/op (one operation at a time).
func (r *result) throughput() (float64, string, bool) {
	for _, u := range throughputUnits {
		if v, ok := r.get(u); ok {
			if u == "max-rps-p99<=50ms" {
				u = "req/s at p99 ≤ 50 ms"
			}
			return v, u, true
		}
	}
	if _, ok := r.get("rss-MB"); ok { // a memory reading, not an operation
		return 0, "", false
	}
	if ns, ok := r.get("ns/op"); ok && ns > 0 {
		return 1e9 / ns, "op/s", true
	}
	return 0, "", false
}

func (r *result) rss() (float64, string, bool) {
	for _, u := range rssUnits {
		if v, ok := r.get(u); ok {
			return v, u, true
		}
	}
	return 0, "", false
}

// ratio is how many times the reference's throughput is the variant's
// ("2.5× slower" when the reference does 2.5 times as much per second).
func ratio(r, ref *result) string {
	if r == ref {
		return "1 (reference)"
	}
	a, ua, ok1 := r.throughput()
	b, ub, ok2 := ref.throughput()
	if !ok1 || !ok2 || ua != ub || a <= 0 || b <= 0 {
		return "—"
	}
	x := b / a
	switch {
	case x >= 1.05:
		return fmt.Sprintf("%s× slower", num(x))
	case x <= 0.95:
		return fmt.Sprintf("%s× faster", num(1/x))
	}
	return "≈ 1"
}

func num(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func cell(r *result, unit, suffix string) string {
	if v, ok := r.get(unit); ok {
		return num(v) + suffix
	}
	return ""
}

func write(w io.Writer, results []*result) {
	var workloads []string
	groups := map[string][]*result{}
	for _, r := range results {
		if _, ok := groups[r.workload]; !ok {
			workloads = append(workloads, r.workload)
		}
		groups[r.workload] = append(groups[r.workload], r)
	}
	fmt.Fprintln(w, "| workload | variant | p50 | p95 | p99 | throughput | peak RSS | vs reference | runs |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	for _, wl := range workloads {
		g := groups[wl]
		ref := g[0]
		for _, r := range g {
			if r.variant == references[wl] {
				ref = r
			}
		}
		for _, r := range g {
			tp := ""
			if v, u, ok := r.throughput(); ok {
				tp = num(v) + " " + u
			}
			mem := ""
			if v, u, ok := r.rss(); ok {
				mem = num(v) + " MB"
				if u == "peak-rss-growth-MB" {
					mem += " (growth)"
				} else if u == "rss-MB" {
					mem += " (resident after)"
				}
			}
			variant := r.variant
			if variant == "" {
				variant = "—"
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", wl, variant, cell(r, "p50-ms", " ms"), cell(r, "p95-ms", " ms"),
				cell(r, "p99-ms", " ms"), tp, mem, ratio(r, ref), len(r.metrics["ns/op"]))
		}
	}
}

func main() {
	var in io.Reader = os.Stdin
	if len(os.Args) > 1 && os.Args[1] != "-" {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "summary:", err)
			os.Exit(1)
		}
		defer f.Close()
		in = f
	}
	results, config := parse(in)
	if len(results) == 0 {
		fmt.Fprintln(os.Stderr, "summary: no benchmark results in the input")
		os.Exit(1)
	}
	writeConfig(os.Stdout, config)
	write(os.Stdout, results)
	writeGoals(os.Stdout, results, config)
}

// writeConfig prints where the figures come from: machine, versions,
// PostgreSQL settings, dataset and date, as the run printed them.
func writeConfig(w io.Writer, config [][2]string) {
	if len(config) == 0 {
		return
	}
	fmt.Fprintln(w, "| run | |")
	fmt.Fprintln(w, "|---|---|")
	for _, kv := range config {
		fmt.Fprintf(w, "| %s | %s |\n", kv[0], kv[1])
	}
	fmt.Fprintln(w)
}
