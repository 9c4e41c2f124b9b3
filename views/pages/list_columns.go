package pages

import (
	"context"
	"strconv"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/views/components"
)

// columnLabels are the English headings of the built-in columns.
var columnLabels = map[string]string{
	crm.ColKind: "Kind", crm.ColTitle: "Title", crm.ColOutlets: "Outlets", crm.ColCity: "City", crm.ColRegion: "Region",
	crm.ColStage: "Stage", crm.ColHealth: "Health", crm.ColReach: "Reach", crm.ColLastInteraction: "Last touch",
	crm.ColTouchDue: "Next touch due", crm.ColOwner: "Owner", crm.ColTags: "Tags", crm.ColTopics: "Topics",
	crm.ColLawfulBasis: "Lawful basis", crm.ColConsent: "Consent",
}

// builtinLabel is a built-in column's heading in ctx's language.
func builtinLabel(ctx context.Context, key string) string { return tr(ctx, columnLabels[key]) }

// columnHeading is a column's heading in ctx's language.
func columnHeading(ctx context.Context, c crm.ListColumn) string {
	if c.Field != nil {
		return fieldLabel(ctx, *c.Field)
	}
	return builtinLabel(ctx, c.Key)
}

// columnTestID names a column's heading and cells for the tests: a custom
// field's by its key (column-KEY, cell-KEY), a built-in one's as col-KEY,
// val-KEY (a custom key may be a built-in one's).
func columnTestID(c crm.ListColumn, cell bool) string {
	switch {
	case c.Field != nil && cell:
		return "cell-" + c.Field.Key
	case c.Field != nil:
		return "column-" + c.Field.Key
	case cell:
		return "val-" + c.Key
	}
	return "col-" + c.Key
}

// numeric says whether a column holds numbers (aligned right).
func numeric(c crm.ListColumn) bool {
	if c.Field != nil {
		return c.Field.Type == crm.FieldNumber
	}
	return c.Key == crm.ColReach || c.Key == crm.ColHealth
}

// CellEnv is what a column's cells are shown with besides the row: the
// stages' labels (zero: the built-in words) and the time "ago" counts from.
type CellEnv struct {
	Stages crm.Stages
	Now    time.Time
}

// columnCell is a row's value of a column as the list shows it in ctx's
// language (the name column has its own cell). Every list with chosen
// columns (the contact list, the search results) shows its cells so.
func columnCell(ctx context.Context, c crm.ListColumn, r ContactRow, p CellEnv) string {
	if c.Field != nil {
		return customDisplay(ctx, *c.Field, r.Custom[c.Field.Key])
	}
	switch c.Key {
	case crm.ColKind:
		return components.Label(ctx, r.Kind)
	case crm.ColTitle:
		return r.Title
	case crm.ColOutlets:
		return r.Outlets
	case crm.ColCity:
		return r.City
	case crm.ColRegion:
		return r.Region
	case crm.ColStage:
		return stageLabel(ctx, p.Stages, r.Stage)
	case crm.ColHealth:
		return strconv.Itoa(r.Health)
	case crm.ColReach:
		return components.Number(ctx, r.Reach)
	case crm.ColLastInteraction:
		return components.Ago(ctx, r.LastInteraction, p.Now)
	case crm.ColTouchDue:
		if r.TouchDue == nil {
			return ""
		}
		return locale.Date(ctx, *r.TouchDue)
	case crm.ColOwner:
		return r.Owner
	case crm.ColTags:
		return r.Tags
	case crm.ColTopics:
		return r.Topics
	case crm.ColLawfulBasis:
		return components.Label(ctx, r.LawfulBasis)
	case crm.ColConsent:
		return components.Label(ctx, r.ConsentState)
	}
	return ""
}

// ColumnChoice is a column the picker offers, ticked when the list shows it.
type ColumnChoice struct {
	Key, Label string
	Checked    bool
}

// columnChoices are the picker's columns: the built-in ones, then every
// custom field of contacts (fields), ticked when cols has them.
func columnChoices(ctx context.Context, cols crm.ListColumns, fields crm.CustomFields) []ColumnChoice {
	out := make([]ColumnChoice, 0, len(crm.BuiltinColumns)+len(fields))
	for _, k := range crm.BuiltinColumns {
		out = append(out, ColumnChoice{Key: k, Label: builtinLabel(ctx, k), Checked: cols.Has(k)})
	}
	for _, f := range fields {
		k := crm.CustomColumnKey(f)
		out = append(out, ColumnChoice{Key: k, Label: fieldLabel(ctx, f), Checked: cols.Has(k)})
	}
	return out
}
