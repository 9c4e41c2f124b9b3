// Package pages holds one templ component per page, each taking one typed Props.
package pages

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/search"
	"github.com/rapport-crm/rapport/views/components"
)

// maxText is the maxlength of search boxes: the limit on search text.
var maxText = fmt.Sprint(search.MaxTextChars)

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// anyOf is a select's options with a first "any" choice, labelled by components.Label.
func anyOf(values []string, anyLabel string) []components.Option {
	return withFirst("", anyLabel, components.Options(values))
}

// anyOfPlain is anyOf for values that are their own labels (regions, topics).
func anyOfPlain(values []string, anyLabel string) []components.Option {
	out := []components.Option{components.Msg("", anyLabel)}
	for _, v := range values {
		out = append(out, components.Option{Value: v, Label: v})
	}
	return out
}

func itoa(n int) string { return fmt.Sprint(n) }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func join(xs []string) string { return strings.Join(xs, ", ") }

// safeHTTP returns u when it is an http(s) URL, else "": a stored URL never
// becomes a javascript: link.
func safeHTTP(u string) string {
	l := strings.ToLower(strings.TrimSpace(u))
	if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") {
		return u
	}
	return ""
}

// withFirst puts a first option (such as "anyone") before opts.
func withFirst(value, label string, opts []components.Option) []components.Option {
	return append([]components.Option{components.Msg(value, label)}, opts...)
}

func sortOptions() []components.Option {
	return components.Options([]string{"name", "last_interaction", "reach"})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// orText is s, or alt when s is empty.
func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// localeOptions are the languages a user can pick; the first lets the browser decide.
func localeOptions() []components.Option {
	out := []components.Option{components.Msg("", "As the browser asks")}
	for _, n := range locale.Names {
		out = append(out, components.Option{Value: n.Code, Label: n.Name})
	}
	return out
}
