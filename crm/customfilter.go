package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/predicate"
	"github.com/rapport-crm/rapport/ent/schema"
)

// validKey is the form of a custom field's key (the ent schema's rule): it
// is written into JSON paths, so anything else matches nobody.
var validKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// customPredicate is a condition on the custom column of the selector's
// table, the same meaning on both databases: on PostgreSQL choices and
// yes/no are jsonb containment (the GIN index), elsewhere SQLite's JSON
// functions. Text matches case-blind (SQLite folds ASCII letters only).
func customPredicate(f schema.CustomFilter) func(*sql.Selector) {
	return func(s *sql.Selector) {
		col := s.C("custom")
		s.Where(sql.P(func(b *sql.Builder) {
			if !validKey.MatchString(f.Key) {
				b.WriteString("1 = 0")
				return
			}
			pg := b.Dialect() == dialect.Postgres
			k := f.Key
			path := "'$." + k + "'"
			first := true
			and := func() {
				if !first {
					b.WriteString(" AND ")
				}
				first = false
			}
			if len(f.Any) > 0 {
				and()
				if pg {
					b.WriteString("(")
					for i, v := range f.Any {
						if i > 0 {
							b.WriteString(" OR ")
						}
						one, _ := json.Marshal(map[string]any{k: v})
						list, _ := json.Marshal(map[string]any{k: []string{v}})
						b.WriteString(col + " @> ").Arg(string(one)).WriteString("::jsonb OR " + col + " @> ").Arg(string(list)).WriteString("::jsonb")
					}
					b.WriteString(")")
				} else {
					b.WriteString("EXISTS (SELECT 1 FROM json_each(" + col + ", " + path + ") WHERE json_each.value IN (")
					for i, v := range f.Any {
						if i > 0 {
							b.WriteString(", ")
						}
						b.Arg(v)
					}
					b.WriteString("))")
				}
			}
			if f.Contains != "" {
				and()
				if pg {
					b.WriteString("strpos(lower(" + col + "->>'" + k + "'), lower(").Arg(f.Contains).WriteString(")) > 0")
				} else {
					b.WriteString("instr(lower(json_extract(" + col + ", " + path + ")), lower(").Arg(f.Contains).WriteString(")) > 0")
				}
			}
			if f.Yes != nil {
				and()
				switch {
				case pg && *f.Yes:
					b.WriteString(col + " @> '{\"" + k + "\": true}'::jsonb")
				case pg:
					b.WriteString("NOT COALESCE(" + col + " @> '{\"" + k + "\": true}'::jsonb, false)")
				case *f.Yes:
					b.WriteString("json_type(" + col + ", " + path + ") = 'true'")
				default:
					b.WriteString("COALESCE(json_type(" + col + ", " + path + "), '') <> 'true'")
				}
			}
			num := "(CASE WHEN json_type(" + col + ", " + path + ") IN ('integer', 'real') THEN json_extract(" + col + ", " + path + ") END)"
			day := "(CASE WHEN json_type(" + col + ", " + path + ") = 'text' THEN json_extract(" + col + ", " + path + ") END)"
			if pg {
				num = "(CASE WHEN jsonb_typeof(" + col + "->'" + k + "') = 'number' THEN (" + col + "->>'" + k + "')::numeric END)"
				day = "(CASE WHEN jsonb_typeof(" + col + "->'" + k + "') = 'string' THEN (" + col + "->>'" + k + "') END) COLLATE \"C\""
			}
			if f.Min != nil {
				and()
				b.WriteString(num + " >= ").Arg(*f.Min)
			}
			if f.Max != nil {
				and()
				b.WriteString(num + " <= ").Arg(*f.Max)
			}
			if f.From != "" {
				and()
				b.WriteString(day + " >= ").Arg(f.From)
			}
			if f.To != "" {
				and()
				b.WriteString(day + " <= ").Arg(f.To)
			}
			if first {
				b.WriteString("1 = 1")
			}
		}))
	}
}

// customPredicates are the conditions of f on contacts.
func customPredicates(fs []schema.CustomFilter) []predicate.Contact {
	out := make([]predicate.Contact, len(fs))
	for i, f := range fs {
		out[i] = predicate.Contact(customPredicate(f))
	}
	return out
}

// customHolders reads the custom values of entity's records ("contact" or
// "outlet") that hold a value of key, by record id.
func customHolders(ctx context.Context, client *ent.Client, dia, entity, key string) (map[int]map[string]any, error) {
	if !validKey.MatchString(key) {
		return nil, fmt.Errorf("custom field key %q", key)
	}
	table := contact.Table
	if entity == EntityOutlet {
		table = "outlets"
	}
	q := "SELECT id, custom FROM " + table + " WHERE json_type(custom, '$." + key + "') IS NOT NULL ORDER BY id"
	if dia == dialect.Postgres {
		q = "SELECT id, custom FROM " + table + " WHERE custom -> '" + key + "' IS NOT NULL ORDER BY id"
	}
	out := map[int]map[string]any{}
	err := scanRows(ctx, client, q, func(scan func(...any) error) error {
		var id int
		var raw []byte
		if err := scan(&id, &raw); err != nil {
			return err
		}
		var v map[string]any
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("record %d: %w", id, err)
		}
		out[id] = normalizeCustom(v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read custom values: %w", err)
	}
	return out, nil
}
