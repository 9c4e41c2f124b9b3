package graph

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
)

// ref is a row of a table that links a contact to a named thing: a topic,
// a tag, or an outlet with the employment's id and role.
type ref struct {
	id, seq int
	role    string
}

// names are the names of a small table (topics, tags, outlets) with each
// name's rank in the database's order. A load reads them once, and its
// queries send ids: no join and no sort by name for every row.
type names map[int]named

type named struct {
	name string
	rank int
}

// loadNames reads the names of table on conn, ranking equal names equally.
func loadNames(ctx context.Context, conn *sql.Conn, table string) (names, error) {
	rs, err := conn.QueryContext(ctx, `SELECT id, name FROM `+table+` ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	ns := names{}
	rank, prev := 0, ""
	for rs.Next() {
		var id int
		var name string
		if err := rs.Scan(intDest{&id}, &name); err != nil {
			return nil, err
		}
		if len(ns) == 0 || name != prev {
			rank++
		}
		ns[id], prev = named{name, rank}, name
	}
	return ns, rs.Err()
}

// sort orders refs by name in the database's collation, then by seq (an
// employment's id): the order an ORDER BY on the joined name gives. Ids
// added after the names were read sort last; strings and jobs leave them
// out.
func (p *names) sort(refs []ref) []ref {
	if len(refs) < 2 {
		return refs
	}
	ns := *p
	rank := func(id int) int {
		if n, ok := ns[id]; ok {
			return n.rank
		}
		return int(^uint(0) >> 1)
	}
	slices.SortFunc(refs, func(a, b ref) int {
		if c := cmp.Compare(rank(a.id), rank(b.id)); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	return refs
}

// strings returns the names of refs, in buf; nil for none.
func (p *names) strings(refs []ref, buf []string) ([]string, []string) {
	if len(refs) == 0 {
		return nil, buf
	}
	ns, buf := *p, buf[:0]
	for _, r := range refs {
		if n, ok := ns[r.id]; ok {
			buf = append(buf, n.name)
		}
	}
	return buf[:len(buf):len(buf)], buf
}

// jobs returns the jobs of refs (outlet ids with roles), in buf; nil for
// none.
func (p *names) jobs(refs []ref, buf []Job) ([]Job, []Job) {
	if len(refs) == 0 {
		return nil, buf
	}
	ns, buf := *p, buf[:0]
	for _, r := range refs {
		if n, ok := ns[r.id]; ok {
			buf = append(buf, Job{Outlet: n.name, Role: r.role})
		}
	}
	return buf[:len(buf):len(buf)], buf
}
