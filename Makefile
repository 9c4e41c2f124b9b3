# Rapport: `make run` to try it, `make test` to check it. `make help` lists all.
GO        ?= go
BIN       := bin/rapport
PKGS      := ./...
BENCH_SIZE ?= 10000

.PHONY: help run build test test-short lint generate check-generated migration bench e2e demo admin clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-17s %s\n", $$1, $$2}'

run: ## serve on 127.0.0.1:8080 with the embedded SQLite database in ./data
	$(GO) run ./cmd/rapport serve

build: ## build bin/rapport
	$(GO) build -trimpath -o $(BIN) ./cmd/rapport

admin: ## create an admin: make admin EMAIL=you@example.com NAME="Your Name"
	$(GO) run ./cmd/rapport user add --role admin --email "$(EMAIL)" --name "$(NAME)"

demo: ## load the demo dataset (1,000 contacts) into the configured database
	$(GO) run ./cmd/rapport demo

test: ## run every test (PostgreSQL and browser tests skip when absent unless required)
	$(GO) test -count=1 -timeout 20m $(PKGS)

lint: ## go vet, gofmt and a tidy go.mod
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@$(GO) mod tidy -diff || (echo "go.mod/go.sum are not tidy: run 'go mod tidy' and commit"; exit 1)

generate: ## regenerate ent and templ code
	$(GO) generate ./ent
	$(GO) tool templ generate

check-generated: generate ## fail when generated code is not committed as generated
	@git diff --exit-code -- ent views || (echo "generated code differs: run 'make generate' and commit" && exit 1)
	@test -z "$$(git status --porcelain -- ent views)" || (git status --porcelain -- ent views; echo "generated files are not committed" && exit 1)

migration: ## write a new migration from schema changes: make migration NAME=add_tasks
	$(GO) run ./ent/migrate/diff -name "$(NAME)"

# The fast workloads run 5 times (benchstat's sample), the slow ones (a whole
# export, reindex or import per run) 3 times once each, and the HTTP workload
# (a ladder of request rates per page, ~2 min) in a process of its own so that
# its resident-memory reading is the server's; ServeRSS runs `rapport serve` as
# a process of its own and reads its memory. The workloads on databases of
# their own (API, webhooks, pitch, bulk tag, retention sweep of 100,000
# contacts, campaign report and list; the campaign workloads start from a copy
# of the prepared dataset) run once each, and so does the feed
# poller (crm's BenchmarkFeedPoll: 1,000 feeds × 50 items from a local server,
# its own database, a few minutes at most) and the weekly figures evaluation
# (crm's BenchmarkChannelFiguresWeekly: 70 owned channels × a year of daily
# readings, 12 and 52 weeks, p50/p95 over 50 evaluations, PostgreSQL). bench.out
# is benchstat input.
BENCH_FAST       := ^Benchmark(ContactPage|ContactList|Dashboard|Advocates|Coverage|ChannelMatrix|Search|ChangeToSearchable|ReindexLoad|MetricsMiddleware|DuplicateCheck|SearchAtTheLimits)$$
BENCH_SLOW       := ^Benchmark(Export|Reindex|Import|Erase|AccessReport|DuplicateScan|Revert)$$
BENCH_COUNT      ?= 5
BENCH_SLOW_COUNT ?= 3
BENCH_HTTP_COUNT ?= 1
bench: SHELL := /bin/bash
bench: ## run the benchmarks (BENCH_SIZE contacts) into bench.out and print a summary table
	@set -o pipefail; failed=0; start=$$(date +%s); : > bench.out; \
	RAPPORT_BENCH_SIZE=$(BENCH_SIZE) $(GO) test -run '^$$' -bench '$(BENCH_FAST)' -benchmem -count $(BENCH_COUNT) -timeout 150m ./bench/ | tee -a bench.out || failed=1; \
	RAPPORT_BENCH_SIZE=$(BENCH_SIZE) $(GO) test -run '^$$' -bench '$(BENCH_SLOW)' -benchmem -benchtime 1x -count $(BENCH_SLOW_COUNT) -timeout 90m ./bench/ | tee -a bench.out || failed=1; \
	RAPPORT_BENCH_SIZE=$(BENCH_SIZE) $(GO) test -run '^$$' -bench '^Benchmark(HTTP|ServeRSS|BusyTeam)$$' -benchtime 1x -count $(BENCH_HTTP_COUNT) -timeout 90m ./bench/ | tee -a bench.out || failed=1; \
	RAPPORT_BENCH_SIZE=$(BENCH_SIZE) $(GO) test -run '^$$' -bench '^Benchmark(APIList|WebhookDelay|Pitch|BulkTag|RetentionSweep|ReindexTokens)$$' -benchtime 1x -count 1 -timeout 30m ./bench/ | tee -a bench.out || failed=1; \
	RAPPORT_BENCH_SIZE=$(BENCH_SIZE) $(GO) test -run '^$$' -bench '^Benchmark(CampaignReport|CampaignList|CampaignTargets|APILoad)$$' -count 1 -timeout 30m ./bench/ | tee -a bench.out || failed=1; \
	RAPPORT_BENCH_SIZE=$(BENCH_SIZE) $(GO) test -run '^$$' -bench '^BenchmarkMetricsShare$$' -benchtime 100x -count 1 -timeout 30m ./bench/ | tee -a bench.out || failed=1; \
	$(GO) test -run '^$$' -bench '^BenchmarkFeedPoll$$' -benchtime 1x -count 1 -timeout 10m ./crm/ | tee -a bench.out || failed=1; \
	$(GO) test -run '^$$' -bench '^BenchmarkChannelFiguresWeekly$$' -benchtime 50x -count 1 -timeout 10m ./crm/ | tee -a bench.out || failed=1; \
	echo "bench-wall-time: $$(( $$(date +%s) - start ))s" | tee -a bench.out; \
	echo; $(GO) run ./bench/summary bench.out; \
	if [ $$failed = 1 ]; then echo "make bench: a benchmark failed (see FAIL above): its figures are not reported"; exit 1; fi

e2e: ## run only the browser tests
	$(GO) test -count=1 -v ./e2e/

clean: ## remove build output (not ./data)
	rm -rf bin bench.out
