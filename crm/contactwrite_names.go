package crm

import (
	"context"
	"fmt"
	"slices"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/topic"
)

// nameTable is a table of named things a contact links to by name.
type nameTable string

const (
	outletTable nameTable = outlet.Table
	topicTable  nameTable = topic.Table
	tagTable    nameTable = tag.Table
)

// bulkChunk keeps every multi-row statement well under PostgreSQL's 65,535
// parameters (a contact row has about 25 columns).
const bulkChunk = 1000

// findOrCreateNames is the one find-or-create of outlets, topics and tags: it
// maps the case-blind key of each name to the stored row (the oldest of
// that name, whatever its spelling), creating the missing ones with the
// first spelling given, set-wise: one look-up and one INSERT per table and
// 1,000 names. beforeCreate (may be nil) runs before any is created; when
// set, the missing names are looked up once more after it, so names that
// another transaction created meanwhile are found, not created twice.
func findOrCreateNames(ctx context.Context, tx *ent.Tx, t nameTable, names []string, beforeCreate func() error) (map[string]storedLabel, error) {
	lowers, first := distinctFold(names)
	out := make(map[string]storedLabel, len(lowers))
	if len(lowers) == 0 {
		return out, nil
	}
	if err := lookupNames(ctx, tx, t, lowers, first, out); err != nil {
		return nil, err
	}
	missing := missingOf(lowers, out)
	if len(missing) > 0 && beforeCreate != nil {
		if err := beforeCreate(); err != nil {
			return nil, err
		}
		if err := lookupNames(ctx, tx, t, missing, first, out); err != nil {
			return nil, err
		}
		missing = missingOf(missing, out)
	}
	if len(missing) == 0 {
		return out, nil
	}
	for chunk := range slices.Chunk(missing, bulkChunk) {
		if err := createNames(ctx, tx, t, chunk, first, out); err != nil {
			return nil, err
		}
	}
	if t != outletTable { // topics and tags are unique: a name created meanwhile was skipped
		if err := lookupNames(ctx, tx, t, missingOf(missing, out), first, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func lookupNames(ctx context.Context, tx *ent.Tx, t nameTable, lowers []string, first map[string]string, out map[string]storedLabel) error {
	for chunk := range slices.Chunk(lowers, bulkChunk) {
		where := func(s *sql.Selector) { s.Where(foldIn(s.C("name"), chunk)) }
		var found []storedLabel
		var err error
		switch t {
		case outletTable:
			var os []*ent.Outlet
			os, err = tx.Outlet.Query().Where(where).Order(ent.Asc(outlet.FieldID)).Select(outlet.FieldID, outlet.FieldName).All(ctx)
			for _, o := range os {
				found = append(found, storedLabel{id: o.ID, name: o.Name})
			}
		case topicTable:
			var ts []*ent.Topic
			ts, err = tx.Topic.Query().Where(where).Order(ent.Asc(topic.FieldID)).All(ctx)
			for _, o := range ts {
				found = append(found, storedLabel{id: o.ID, name: o.Name})
			}
		case tagTable:
			var ts []*ent.Tag
			ts, err = tx.Tag.Query().Where(where).Order(ent.Asc(tag.FieldID)).All(ctx)
			for _, o := range ts {
				found = append(found, storedLabel{id: o.ID, name: o.Name})
			}
		}
		if err != nil {
			return fmt.Errorf("find %s: %w", t, err)
		}
		for _, l := range found {
			if _, ok := out[foldKey(l.name)]; !ok {
				out[foldKey(l.name)] = l
			}
		}
	}
	return nil
}

// createNames inserts the names of chunk; outlets get their ids back,
// topics and tags skip a name another transaction took meanwhile.
func createNames(ctx context.Context, tx *ent.Tx, t nameTable, chunk []string, first map[string]string, out map[string]storedLabel) error {
	var err error
	switch t {
	case outletTable:
		bulk := make([]*ent.OutletCreate, len(chunk))
		for i, l := range chunk {
			bulk[i] = tx.Outlet.Create().SetName(first[l])
		}
		var os []*ent.Outlet
		if os, err = tx.Outlet.CreateBulk(bulk...).Save(ctx); err == nil {
			for i, o := range os {
				out[chunk[i]] = storedLabel{id: o.ID, name: o.Name}
			}
		}
	case topicTable:
		bulk := make([]*ent.TopicCreate, len(chunk))
		for i, l := range chunk {
			bulk[i] = tx.Topic.Create().SetName(first[l])
		}
		err = tx.Topic.CreateBulk(bulk...).OnConflictColumns(topic.FieldName).DoNothing().Exec(ctx)
	case tagTable:
		bulk := make([]*ent.TagCreate, len(chunk))
		for i, l := range chunk {
			bulk[i] = tx.Tag.Create().SetName(first[l])
		}
		err = tx.Tag.CreateBulk(bulk...).OnConflictColumns(tag.FieldName).DoNothing().Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", t, err)
	}
	return nil
}

// distinctFold returns the distinct case-blind keys of names and, for
// each, the first spelling seen.
func distinctFold(names []string) ([]string, map[string]string) {
	first := map[string]string{}
	var lowers []string
	for _, n := range names {
		l := foldKey(n)
		if _, ok := first[l]; !ok {
			first[l] = n
			lowers = append(lowers, l)
		}
	}
	return lowers, first
}

// missingOf returns the keys that m lacks.
func missingOf[V any](keys []string, m map[string]V) []string {
	var out []string
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

// foldIn matches a name column case-blind (on SQLite through the Unicode
// lower() that package db registers).
func foldIn(col string, lowers []string) *sql.Predicate {
	return sql.In(sql.Lower(col), anys(lowers)...)
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
