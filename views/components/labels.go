// Package components holds the templ pieces that pages share: form fields,
// the timeline, pagers. They take plain values and know nothing of HTTP.
package components

import (
	"context"
	"time"

	"github.com/rapport-crm/rapport/locale"
)

// Label is the word for an enum value in ctx's language.
func Label(ctx context.Context, v string) string { return locale.Label(ctx, v) }

// Number formats n with the locale's thousands separators: 1.234 / 1,234.
func Number(ctx context.Context, n int64) string { return locale.Number(ctx, n) }

// Percent formats a share (0.025) as a percentage in the reader's format: 2,5 % / 2.5 %.
func Percent(ctx context.Context, share float64) string { return locale.Percent(ctx, share) }

// Date formats a day: 4. Dez. 2026 / Dec 4, 2026.
func Date(ctx context.Context, t time.Time) string { return locale.Date(ctx, t) }

// DateTime formats a moment: 4. Dez. 2026, 14:05 Uhr / Dec 4, 2026, 2:05 PM.
func DateTime(ctx context.Context, t time.Time) string { return locale.DateTime(ctx, t) }

// Ago says how long ago t was, coarsely: today, 3 days ago, 5 months ago.
func Ago(ctx context.Context, t *time.Time, now time.Time) string { return locale.Ago(ctx, t, now) }

// t translates a message; see locale.T.
func tr(ctx context.Context, id string, kv ...any) string { return locale.T(ctx, id, kv...) }

// tn translates a plural message for n; see locale.N.
func tn(ctx context.Context, id string, n int, kv ...any) string { return locale.N(ctx, id, n, kv...) }
