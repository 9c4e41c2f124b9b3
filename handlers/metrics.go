package handlers

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rapport-crm/rapport/crm"
)

// Metrics are the Prometheus metrics of a server: requests by route and
// status with their latency, the database pool, the search index's lag and
// outbox depth, import and export jobs and webhook deliveries.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// positioner is the search index's position in the change feed.
type positioner interface{ Position() int }

// NewMetrics registers the metrics of a server on database db (nil: none of
// the database's); idx (may be nil) is the search index whose lag is reported.
func NewMetrics(db *sql.DB, idx any) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rapport_http_requests_total",
		Help: "HTTP requests by route template, method and status."}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "rapport_http_request_duration_seconds",
		Help: "HTTP request latency by route template and method.", Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}},
		[]string{"route", "method"})
	pos, _ := idx.(positioner)
	m.reg.MustRegister(m.requests, m.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, "rapport"), &tableCollector{db: db, index: pos})
	}
	return m
}

// Middleware counts and times every request by its route template (never
// the concrete path: ids would make a series per record).
func (m *Metrics) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := statusAfter(c, err)
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(route, c.Request().Method).Observe(time.Since(start).Seconds())
		return err
	}
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Timeout: 10 * time.Second})
}

// metricsRoute serves /metrics on the main address to a scraper that sends
// Authorization: Bearer token; without a configured token it is not there.
func metricsRoute(m *Metrics, token string) echo.HandlerFunc {
	return func(c echo.Context) error {
		if m == nil || token == "" {
			return echo.ErrNotFound
		}
		got, _ := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			return echo.ErrUnauthorized
		}
		m.Handler().ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// tableCollector reads the gauges that live in the database at scrape time.
type tableCollector struct {
	db    *sql.DB
	index positioner
}

var (
	descOutbox   = prometheus.NewDesc("rapport_search_outbox_depth", "Changes the search index has not read yet.", nil, nil)
	descLag      = prometheus.NewDesc("rapport_search_indexer_lag_seconds", "Age of the oldest change the index has not read (0 when current).", nil, nil)
	descImports  = prometheus.NewDesc("rapport_import_jobs", "Import jobs by status.", []string{"status"}, nil)
	descExports  = prometheus.NewDesc("rapport_exports", "Logged exports by status.", []string{"status"}, nil)
	descWebhooks = prometheus.NewDesc("rapport_webhook_deliveries", "Webhook deliveries by status.", []string{"status"}, nil)
	descUp       = prometheus.NewDesc("rapport_database_up", "1 when the last scrape could query the database.", nil, nil)
)

// Describe implements prometheus.Collector.
func (t *tableCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descOutbox, descLag, descImports, descExports, descWebhooks, descUp} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (t *tableCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	up := 1.0
	if t.index != nil {
		pos := t.index.Position()
		var depth int
		var oldest sql.NullTime
		err := t.db.QueryRowContext(ctx, `SELECT COUNT(*), MIN(created_at) FROM (SELECT created_at FROM changes WHERE id > $1 LIMIT 1000000) c`, pos).Scan(&depth, &oldest)
		if err != nil {
			up = 0
		} else {
			lag := 0.0
			if oldest.Valid {
				lag = max(0, time.Since(oldest.Time).Seconds())
			}
			ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(depth))
			ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, lag)
		}
	}
	for desc, table := range map[*prometheus.Desc]string{descImports: "import_jobs", descExports: "export_logs", descWebhooks: "webhook_deliveries"} {
		if err := t.byStatus(ctx, ch, desc, table); err != nil {
			up = 0
		}
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up)
}

func (t *tableCollector) byStatus(ctx context.Context, ch chan<- prometheus.Metric, desc *prometheus.Desc, table string) error {
	rows, err := t.db.QueryContext(ctx, "SELECT status, COUNT(*) FROM "+table+" GROUP BY status")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return err
		}
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(n), s)
	}
	return rows.Err()
}

// statusAfter is the status of c's answer: the one written, or the one the
// error funnel will write for err (it runs after the middlewares).
func statusAfter(c echo.Context, err error) int {
	if err == nil {
		return c.Response().Status
	}
	if he, ok := err.(*echo.HTTPError); ok {
		return he.Code
	}
	if s := statusOfError(err); s != 0 {
		return s
	}
	return c.Response().Status
}

// statusOfError is the status the error funnel will give err.
func statusOfError(err error) int {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		return ae.status
	case unavailable(err):
		return http.StatusServiceUnavailable
	}
	if s, ok := statusOf[crm.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}
