package crm

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/customfield"
)

// The types of a custom field.
const (
	FieldText   = "text"
	FieldNumber = "number"
	FieldDate   = "date"
	FieldChoice = "choice"
	FieldMulti  = "multi"
	FieldURL    = "url"
	FieldBool   = "bool"
)

// CustomFieldTypes are the types an admin can choose, in the order offered.
var CustomFieldTypes = []string{FieldText, FieldNumber, FieldDate, FieldChoice, FieldMulti, FieldURL, FieldBool}

// Limits of custom fields.
const (
	maxCustomFields  = 50  // per entity
	maxCustomChoices = 100 // per field
	maxCustomText    = 1000
)

// CustomField is an admin's field for contacts or outlets.
type CustomField struct {
	ID               int
	Entity           string // "contact" or "outlet"
	Key              string // names the value in the record's custom column
	Type             string
	LabelEN, LabelDE string
	Choices          []string
	InList           bool // shown as a column of the list
	Position         int
}

// Label is the field's label in a locale ("de" or else English).
func (f CustomField) Label(lang string) string {
	if lang == "de" && f.LabelDE != "" {
		return f.LabelDE
	}
	return f.LabelEN
}

// HasChoices says whether the field offers a list of choices.
func (f CustomField) HasChoices() bool { return f.Type == FieldChoice || f.Type == FieldMulti }

// CustomFields are one entity's fields in their order.
type CustomFields []CustomField

// ByKey is the field with key, or false.
func (fs CustomFields) ByKey(key string) (CustomField, bool) {
	for _, f := range fs {
		if f.Key == key {
			return f, true
		}
	}
	return CustomField{}, false
}

// InList are the fields the list shows as columns.
func (fs CustomFields) InList() CustomFields {
	var out CustomFields
	for _, f := range fs {
		if f.InList {
			out = append(out, f)
		}
	}
	return out
}

func customFieldOf(r *ent.CustomField) CustomField {
	return CustomField{ID: r.ID, Entity: string(r.Entity), Key: r.Key, Type: string(r.Type), LabelEN: r.LabelEn,
		LabelDE: r.LabelDe, Choices: r.Choices, InList: r.InList, Position: r.Position}
}

// LoadCustomFields reads entity's fields ("contact" or "outlet") in their order.
func LoadCustomFields(ctx context.Context, client *ent.Client, entity string) (CustomFields, error) {
	rows, err := client.CustomField.Query().Where(customfield.EntityEQ(customfield.Entity(entity))).
		Order(ent.Asc(customfield.FieldPosition), ent.Asc(customfield.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load custom fields: %w", err)
	}
	out := make(CustomFields, len(rows))
	for i, r := range rows {
		out[i] = customFieldOf(r)
	}
	return out, nil
}

// customGen counts edits of the field definitions in this process: a cached
// list older than the last edit is loaded again.
var customGen atomic.Int64

// customTTL bounds how long a cache trusts its definitions without seeing an
// edit (an edit on another server).
const customTTL = 5 * time.Second

// CustomFieldCache holds both entities' fields, loaded at most every
// customTTL and after each edit in this process: the writer validates every
// write against it, and the pages read it, without a statement each.
type CustomFieldCache struct {
	mu     sync.Mutex
	gen    int64
	at     time.Time
	fields map[string]CustomFields
}

// Fields are entity's fields ("contact" or "outlet"), read through client
// (a transaction's, inside one: SQLite has one connection) when they are
// not cached.
func (c *CustomFieldCache) Fields(ctx context.Context, client *ent.Client, entity string) (CustomFields, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	gen := customGen.Load()
	if c.fields != nil && c.gen == gen && time.Since(c.at) < customTTL {
		return c.fields[entity], nil
	}
	all := map[string]CustomFields{}
	for _, e := range []string{EntityContact, EntityOutlet} {
		fs, err := LoadCustomFields(ctx, client, e)
		if err != nil {
			return nil, err
		}
		all[e] = fs
	}
	c.fields, c.gen, c.at = all, gen, time.Now()
	return all[entity], nil
}

// customKeyOf makes a key from a label: lower-case ASCII letters, digits and
// underscores (ä → ae, ß → ss), at most 30 characters, starting with a
// letter; taken adds a number until it is free.
func customKeyOf(label string, taken func(string) bool) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(transliterate(label)) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if b.Len() == 0 && unicode.IsDigit(r) {
				b.WriteString("f_")
			}
			b.WriteRune(r)
			under = false
		case b.Len() > 0 && !under:
			b.WriteByte('_')
			under = true
		}
		if b.Len() >= 30 {
			break
		}
	}
	key := strings.Trim(b.String(), "_")
	if key == "" {
		key = "field"
	}
	base := key
	for n := 2; taken(key); n++ {
		key = fmt.Sprintf("%s_%d", base, n)
	}
	return key
}
