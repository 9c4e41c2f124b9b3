package db

import (
	"fmt"
	"strings"
	"time"
)

// Time scans a nullable timestamp from any raw-SQL column on both databases.
// PostgreSQL and SQLite columns declared as a time arrive as time.Time; but
// SQLite hands a time over as the text it stored when the column has no
// declared type — a UNION branch, CASE, COALESCE or MIN/MAX — and that text is
// in the driver's own format (time.Time.String(), see SQLiteDSN). Every
// raw-SQL reader scans such columns into a Time instead of parsing itself.
type Time struct {
	Time  time.Time // UTC
	Valid bool      // false for NULL
}

// Scan implements sql.Scanner.
func (t *Time) Scan(v any) error {
	t.Time, t.Valid = time.Time{}, false
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		t.Time, t.Valid = x.UTC(), true
		return nil
	case string:
		return t.parse(x)
	case []byte:
		return t.parse(string(x))
	default:
		return fmt.Errorf("scan time: unsupported %T", v)
	}
}

func (t *Time) parse(s string) error {
	if s == "" {
		return nil
	}
	at, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time, t.Valid = at, true
	return nil
}

// Ptr returns the time or nil for NULL.
func (t Time) Ptr() *time.Time {
	if !t.Valid {
		return nil
	}
	at := t.Time
	return &at
}

// timeLayouts are the texts a stored time can have: what modernc.org/sqlite
// writes by default (time.Time.String(), possibly with a monotonic clock
// reading " m=+0.01" after it), then the formats that driver itself parses
// (SQLite's date functions), then RFC 3339.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	time.RFC3339Nano,
}

// ParseTime parses a time as either database stores or renders it, in UTC.
// Texts without a zone are UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, " m="); i > 0 {
		s = s[:i]
	}
	for _, layout := range timeLayouts {
		if at, err := time.Parse(layout, s); err == nil {
			return at.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("parse time %q: unknown format", s)
}
