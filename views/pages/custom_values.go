package pages

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/locale"
)

// fieldLabel is a custom field's label in ctx's language.
func fieldLabel(ctx context.Context, f crm.CustomField) string { return f.Label(locale.From(ctx).Code) }

// customDisplay is a stored custom value as a page shows it in ctx's
// language: numbers with the locale's decimal mark, dates in its words,
// yes/no translated, choices joined.
func customDisplay(ctx context.Context, f crm.CustomField, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return customNumber(ctx, x)
	case bool:
		if x {
			return tr(ctx, "yes")
		}
		return tr(ctx, "no")
	case string:
		if f.Type == crm.FieldDate {
			if d, err := time.Parse(time.DateOnly, x); err == nil {
				return locale.Date(ctx, d)
			}
		}
	}
	return crm.CustomText(v)
}

// customNumber is a number with the locale's thousands separator and
// decimal mark: 1.234,5 in German, 1,234.5 in English.
func customNumber(ctx context.Context, x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if x <= -1e15 || x >= 1e15 {
		return s
	}
	sign, s := "", strings.TrimPrefix(s, "-")
	if x < 0 {
		sign = "-"
	}
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return sign + s
	}
	out := sign + locale.Number(ctx, n)
	if frac == "" {
		return out
	}
	if locale.From(ctx).Code == locale.German {
		return out + "," + frac
	}
	return out + "." + frac
}

// customInputValue is the first value the form holds for a field.
func customInputValue(vals map[string][]string, f crm.CustomField) string {
	if v := vals[f.Key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// customChecked says whether a multi-choice option is ticked.
func customChecked(vals map[string][]string, f crm.CustomField, choice string) bool {
	return slices.Contains(vals[f.Key], choice)
}

// CustomFormValues are stored values as a form holds them.
func CustomFormValues(vals map[string]any) map[string][]string {
	out := map[string][]string{}
	for k, v := range vals {
		out[k] = crm.CustomStrings(v)
	}
	return out
}

// filterParam is a list filter's value for a field (cf.KEY.op).
func filterParam(q url.Values, f crm.CustomField, op string) string {
	return q.Get("cf." + f.Key + "." + op)
}

func filterName(f crm.CustomField, op string) string { return "cf." + f.Key + "." + op }

func yesNoOptions() [][2]string { return [][2]string{{"", "Any"}, {"true", "yes"}, {"false", "no"}} }

// urlPlaceholder hints at a web address in a URL field: the same in every language.
const urlPlaceholder = "https://"
