package crm

import (
	"strings"
)

// The built-in columns of the contact list, by the key the URL's cols names
// them with. The name is always the first column; ColName in cols only says
// that the columns were chosen (a choice of nothing else shows the name alone).
const (
	ColName            = "name"
	ColKind            = "kind"
	ColTitle           = "title"
	ColOutlets         = "outlets"
	ColCity            = "city"
	ColRegion          = "region"
	ColStage           = "stage"
	ColHealth          = "health"
	ColReach           = "reach"
	ColLastInteraction = "last_interaction"
	ColTouchDue        = "touch_due"
	ColOwner           = "owner"
	ColTags            = "tags"
	ColTopics          = "topics"
	ColLawfulBasis     = "lawful_basis"
	ColConsent         = "consent"
)

// customColumnPrefix starts the key of a custom field's column: cf.KEY.
const customColumnPrefix = "cf."

// BuiltinColumns are the built-in columns in the order the picker offers them.
var BuiltinColumns = []string{ColKind, ColTitle, ColOutlets, ColCity, ColRegion, ColStage, ColHealth, ColReach,
	ColLastInteraction, ColTouchDue, ColOwner, ColTags, ColTopics, ColLawfulBasis, ColConsent}

// defaultColumns are the built-in columns of a list whose URL chooses none;
// the custom fields an admin marked "show in list" follow them.
var defaultColumns = []string{ColKind, ColOutlets, ColRegion, ColStage, ColReach, ColLastInteraction, ColOwner}

// MaxListColumns bounds the columns one list shows (besides the name).
const MaxListColumns = 12

// maxColumnKeys bounds the keys read from a URL: past it the rest is not read.
const maxColumnKeys = 200

// ListColumn is a column the list shows: a built-in one (Field nil) or a
// custom field's.
type ListColumn struct {
	Key   string       // a Col… constant, or "cf." and the field's key
	Field *CustomField // the custom field, for its column
}

// ListColumns are the columns a list shows, in order, and whether the URL
// chose them.
type ListColumns struct {
	Cols   []ListColumn
	Chosen bool // the URL named columns (else the defaults)
}

// Keys are the columns' keys as the URL carries them: ColName first, so
// that a choice of no other column is still a choice.
func (lc ListColumns) Keys() []string {
	out := make([]string, 0, len(lc.Cols)+1)
	out = append(out, ColName)
	for _, c := range lc.Cols {
		out = append(out, c.Key)
	}
	return out
}

// Has says whether the list shows the column key.
func (lc ListColumns) Has(key string) bool {
	for _, c := range lc.Cols {
		if c.Key == key {
			return true
		}
	}
	return false
}

// CustomColumnKey is the column key of a custom field.
func CustomColumnKey(f CustomField) string { return customColumnPrefix + f.Key }

// tooManyColumns says that more than MaxListColumns columns were chosen
// (the message names the number: keep them together).
func tooManyColumns() error {
	const msg = "Choose at most 12 columns."
	return &Error{Code: EInvalid, Message: msg, Fields: map[string]string{"cols": msg}}
}

// ParseListColumns reads the columns of the contact list from the URL's
// cols values (each may hold several keys, comma-separated) against the
// known ones: the built-in columns and fields, the contact's custom fields.
// Unknown keys and repeats are left out; none at all is the default
// columns. Past MaxListColumns the first are kept and an error is
// returned with them (an EInvalid error for the field cols).
func ParseListColumns(fields CustomFields, raw []string) (ListColumns, error) {
	var keys []string
	for _, r := range raw {
		for _, k := range strings.Split(r, ",") {
			if k = strings.TrimSpace(k); k != "" && len(keys) < maxColumnKeys {
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return DefaultListColumns(fields), nil
	}
	lc := ListColumns{Chosen: true}
	seen := map[string]bool{ColName: true}
	var err error
	for _, k := range keys {
		if seen[k] {
			continue
		}
		col, ok := columnOf(fields, k)
		if !ok {
			continue
		}
		seen[k] = true
		if len(lc.Cols) == MaxListColumns {
			err = tooManyColumns()
			break
		}
		lc.Cols = append(lc.Cols, col)
	}
	return lc, err
}

// DefaultListColumns are the columns of a list whose URL chooses none.
func DefaultListColumns(fields CustomFields) ListColumns {
	var lc ListColumns
	for _, k := range defaultColumns {
		lc.Cols = append(lc.Cols, ListColumn{Key: k})
	}
	for _, f := range fields.InList() {
		if len(lc.Cols) == MaxListColumns {
			break
		}
		lc.Cols = append(lc.Cols, ListColumn{Key: CustomColumnKey(f), Field: &f})
	}
	return lc
}

// columnOf is the column of key, if the list knows one.
func columnOf(fields CustomFields, key string) (ListColumn, bool) {
	if k, ok := strings.CutPrefix(key, customColumnPrefix); ok {
		f, ok := fields.ByKey(k)
		if !ok {
			return ListColumn{}, false
		}
		return ListColumn{Key: key, Field: &f}, true
	}
	for _, b := range BuiltinColumns {
		if b == key {
			return ListColumn{Key: key}, true
		}
	}
	return ListColumn{}, false
}
