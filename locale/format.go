package locale

import (
	"context"
	"math"
	"strconv"
	"time"
)

var germanMonths = [...]string{"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."}

// Date formats a day: 4. Dez. 2026 / Dec 4, 2026.
func Date(ctx context.Context, t time.Time) string { return From(ctx).Date(t) }

// Month formats a month: Dez. 2026 / Dec 2026.
func Month(ctx context.Context, t time.Time) string { return From(ctx).Month(t) }

// DayMonth formats a day without its year, for chart axes: 4. Dez. / Dec 4.
func DayMonth(ctx context.Context, t time.Time) string { return From(ctx).DayMonth(t) }

// Time formats a time of day: 14:05 Uhr / 2:05 PM.
func Time(ctx context.Context, t time.Time) string { return From(ctx).Time(t) }

// DateTime formats a moment: 4. Dez. 2026, 14:05 Uhr / Dec 4, 2026, 2:05 PM.
func DateTime(ctx context.Context, t time.Time) string { return From(ctx).DateTime(t) }

// Number formats an integer with thousands separators: 1.234 / 1,234.
func Number(ctx context.Context, n int64) string { return From(ctx).Number(n) }

// Percent formats a share (0.025) as a percentage to one decimal: 2,5 % / 2.5 %.
func Percent(ctx context.Context, share float64) string { return From(ctx).Percent(share) }

// Ago says coarsely how long ago t was: vor 3 Tagen / 3 days ago; nil is never.
func Ago(ctx context.Context, t *time.Time, now time.Time) string { return From(ctx).Ago(t, now) }

// Date formats a day.
func (l *Locale) Date(t time.Time) string {
	if l.Code == German {
		return strconv.Itoa(t.Day()) + ". " + germanMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
	}
	return t.Format("Jan 2, 2006")
}

// Month formats a month.
func (l *Locale) Month(t time.Time) string {
	if l.Code == German {
		return germanMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
	}
	return t.Format("Jan 2006")
}

// DayMonth formats a day without its year.
func (l *Locale) DayMonth(t time.Time) string {
	if l.Code == German {
		return strconv.Itoa(t.Day()) + ". " + germanMonths[t.Month()-1]
	}
	return t.Format("Jan 2")
}

// Time formats a time of day.
func (l *Locale) Time(t time.Time) string {
	if l.Code == German {
		return t.Format("15:04") + " Uhr"
	}
	return t.Format("3:04 PM")
}

// DateTime formats a moment.
func (l *Locale) DateTime(t time.Time) string { return l.Date(t) + ", " + l.Time(t) }

// Number formats n with the locale's thousands separator.
func (l *Locale) Number(n int64) string {
	if n < 0 {
		return "-" + l.Number(-n)
	}
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, l.sep)
		}
		b = append(b, s[i])
	}
	return string(b)
}

// Percent formats share as a percentage to one decimal, with the locale's
// separators.
func (l *Locale) Percent(share float64) string {
	tenths := int64(math.Round(share * 1000))
	sign, mark := "", "."
	if tenths < 0 {
		sign, tenths = "-", -tenths
	}
	if l.Code == German {
		mark = ","
	}
	return sign + l.Number(tenths/10) + mark + strconv.FormatInt(tenths%10, 10) + " %"
}

// Ago says coarsely how long ago t was: today, yesterday, 3 days ago, 5
// months ago, 2 years ago; never when t is nil.
func (l *Locale) Ago(t *time.Time, now time.Time) string {
	if t == nil {
		return l.T("never")
	}
	switch days := int(now.Sub(*t).Hours() / 24); {
	case days < 1:
		return l.T("today")
	case days == 1:
		return l.T("yesterday")
	case days < 60:
		return l.N("{{.Count}} days ago", days)
	case days < 730:
		return l.N("{{.Count}} months ago", days/30)
	default:
		return l.N("{{.Count}} years ago", days/365)
	}
}
