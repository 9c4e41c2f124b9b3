package main

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/locale"
)

// langVars are the variables that say which language the command line
// speaks, first match wins: Rapport's own, then POSIX's order (LC_ALL
// overrides LC_MESSAGES, which overrides LANG).
var langVars = []string{"RAPPORT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"}

// cliLocale is the language of the command line's messages: the first of
// langVars that is set decides (de… is German, anything else, C and POSIX
// included, English); when none is set it is German, the language of
// Rapport's users (a container, cron job or systemd unit often sets none,
// and says nothing about its reader). Log lines stay English.
func cliLocale(getenv func(string) string) *locale.Locale {
	for _, k := range langVars {
		v := strings.ToLower(strings.TrimSpace(getenv(k)))
		if v == "" {
			continue
		}
		if strings.HasPrefix(v, "de") {
			return locale.Get(locale.German)
		}
		return locale.Get(locale.English)
	}
	return locale.Get(locale.German)
}

// said, when set (by the tests), hears the ID of every message the command
// line translates.
var said func(id string)

// tr translates a message for the user (not for a log line) into ctx's
// language; kv are its placeholder pairs, as locale.T takes them.
func tr(ctx context.Context, id string, kv ...any) string {
	if said != nil {
		said(id)
	}
	return locale.T(ctx, id, kv...)
}

// trn translates a message with plural forms for count n.
func trn(ctx context.Context, id string, n int, kv ...any) string {
	if said != nil {
		said(id)
	}
	return locale.N(ctx, id, n, kv...)
}

// num formats a count: 1.234 / 1,234.
func num(ctx context.Context, n int) string { return locale.Number(ctx, int64(n)) }

// took formats how long something took: 850 ms, 1,2 s / 1.2 s, 3 min 5 s.
func took(ctx context.Context, d time.Duration) string {
	switch {
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	case d < time.Minute:
		s := strconv.FormatFloat(d.Seconds(), 'f', 1, 64)
		if locale.From(ctx).Code == locale.German {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s + " s"
	}
	d = d.Round(time.Second)
	return strconv.Itoa(int(d/time.Minute)) + " min " + strconv.Itoa(int(d%time.Minute/time.Second)) + " s"
}
