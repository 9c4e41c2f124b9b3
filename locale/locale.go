// Package locale is Rapport's language: the message catalogues (active.*.toml,
// files a translator edits), the request's locale in its context, and the
// formatters of dates, times, numbers and plurals. Views call T(ctx, "…") and
// the formatters with the context templ hands every component, so no page's
// props carry the language.
//
// English is the source language: a message's ID is its English text, so
// active.en.toml holds only what differs from the ID (plural forms).
// active.de.toml holds every message. go-i18n parses the catalogues, picks
// plural forms and fills in {{.Placeholders}}.
package locale

import (
	"context"
	"embed"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed active.*.toml
var catalogues embed.FS

// The locales Rapport speaks.
const (
	English = "en"
	German  = "de"
)

// Names are the locales a user can pick, with their own names.
var Names = []struct{ Code, Name string }{{German, "Deutsch"}, {English, "English"}}

// Locale is one language: its catalogue and formats.
type Locale struct {
	Code  string
	tag   language.Tag
	loc   *i18n.Localizer
	plain map[string]string  // messages with neither plural forms nor placeholders
	full  map[string]bool    // every message ID of the catalogue
	fill  map[string]*filler // messages whose placeholders are all {{.Name}}
	sep   byte               // thousands separator
}

var (
	bundle  *i18n.Bundle
	locales = map[string]*Locale{}
	matcher language.Matcher
)

func init() {
	bundle = i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	tags := []language.Tag{language.English, language.German}
	for _, tag := range tags {
		code := tag.String()
		mf, err := bundle.LoadMessageFileFS(catalogues, "active."+code+".toml")
		if err != nil {
			panic(fmt.Sprintf("locale: catalogue %s: %v", code, err))
		}
		l := &Locale{Code: code, tag: tag, loc: i18n.NewLocalizer(bundle, code),
			plain: map[string]string{}, full: map[string]bool{}, fill: map[string]*filler{}, sep: ','}
		if tag == language.German {
			l.sep = '.'
		}
		for _, m := range mf.Messages {
			l.full[m.ID] = true
			if m.One == "" && m.Few == "" && m.Many == "" && m.Zero == "" && m.Two == "" && !strings.Contains(m.Other, "{{") {
				l.plain[m.ID] = m.Other
			}
			if f := catalogueFiller(m); f != nil {
				l.fill[m.ID] = f
			}
		}
		locales[code] = l
	}
	matcher = language.NewMatcher(tags)
}

// Get is the locale called code, English when there is none.
func Get(code string) *Locale {
	if l, ok := locales[code]; ok {
		return l
	}
	return locales[English]
}

// Known reports whether code names a locale Rapport speaks.
func Known(code string) bool { _, ok := locales[code]; return ok }

// Negotiate picks the locale: the user's choice when they made one, else the
// browser's Accept-Language, else English.
func Negotiate(choice, acceptLanguage string) *Locale {
	if l, ok := locales[choice]; ok {
		return l
	}
	if acceptLanguage == "" {
		return locales[English]
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return locales[English]
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return locales[English]
	}
	return []*Locale{locales[English], locales[German]}[i]
}

type ctxKey struct{}

// With returns ctx speaking l.
func With(ctx context.Context, l *Locale) context.Context { return context.WithValue(ctx, ctxKey{}, l) }

// From is the locale of ctx, English when it has none (tests, the CLI).
func From(ctx context.Context) *Locale {
	if l, ok := ctx.Value(ctxKey{}).(*Locale); ok {
		return l
	}
	return locales[English]
}

// T translates the message id in ctx's locale. kv are placeholder pairs:
// T(ctx, "Saved {{.Name}}.", "Name", name).
func T(ctx context.Context, id string, kv ...any) string { return From(ctx).T(id, kv...) }

// N translates the plural message id for count n; {{.Count}} is n, formatted.
func N(ctx context.Context, id string, n int, kv ...any) string { return From(ctx).N(id, n, kv...) }

// T translates id. A message missing from the catalogue shows as its ID (the
// English text) and is noted for Missing.
func (l *Locale) T(id string, kv ...any) string {
	if id == "" {
		return ""
	}
	if len(kv) == 0 {
		if bypass.Load() {
			return id
		}
		if s, ok := l.plain[id]; ok {
			return s
		}
		if l.Code == English {
			return id
		}
	}
	return l.localize(id, nil, kv)
}

// N translates the plural message id for count n.
// A "Count" among kv replaces the formatted n in the text.
func (l *Locale) N(id string, n int, kv ...any) string {
	return l.localize(id, n, append([]any{"Count", l.Number(int64(n))}, kv...))
}

func (l *Locale) localize(id string, count any, kv []any) string {
	if f := l.fill[id]; f != nil && l.full[id] {
		if s, ok := f.fill(count, kv); ok {
			return s
		}
	}
	if l.full[id] {
		if s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: templateData(kv), PluralCount: count}); err == nil {
			return s
		}
	}
	if l.Code != English || count != nil {
		noteMissing(l.Code, id)
	}
	if en := locales[English]; l != en && en.full[id] {
		return en.localize(id, count, kv)
	}
	// The ID is the English text: fill in its {{.Name}} placeholders. It is
	// never run as a template: an ID that no catalogue holds may carry text
	// a user typed (a message built with Sprintf), and go-i18n would execute
	// {{range}} or {{template}} in it (issue found 2026-12-06: 70 characters
	// in a form field made a 20 MB page, nested ranges ran out of memory).
	if f := englishFiller(id); f != nil {
		if s, ok := f.fill(nil, kv); ok {
			return s
		}
	}
	return id
}

// templateData is kv (name, value pairs) as go-i18n's template data.
func templateData(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		data[k] = kv[i+1]
	}
	return data
}

// Has reports whether the catalogue has the message id.
func (l *Locale) Has(id string) bool { return l.full[id] }

// IDs are the message IDs of l's catalogue.
func (l *Locale) IDs() []string {
	out := make([]string, 0, len(l.full))
	for id := range l.full {
		out = append(out, id)
	}
	return out
}

var (
	bypass    atomic.Bool // Bypass: the benchmark's baseline
	strict    atomic.Bool
	missingMu sync.Mutex
	missing   = map[string]bool{}
)

// Bypass makes T return plain messages' IDs untouched, as the pages did
// before they were translated: the baseline of the translation benchmark.
func Bypass(on bool) { bypass.Store(on) }

// Strict makes T note every message missing from a catalogue, for Missing
// (the translation tests turn it on).
func Strict(on bool) { strict.Store(on) }

func noteMissing(code, id string) {
	if !strict.Load() {
		return
	}
	missingMu.Lock()
	defer missingMu.Unlock()
	if len(missing) < 10000 {
		missing[code+": "+id] = true
	}
}

// Missing returns and forgets the messages found missing since the last call.
func Missing() []string {
	missingMu.Lock()
	defer missingMu.Unlock()
	out := make([]string, 0, len(missing))
	for k := range missing {
		out = append(out, k)
	}
	missing = map[string]bool{}
	return out
}
