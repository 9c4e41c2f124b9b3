package graph

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"

	"golang.org/x/sync/errgroup"
)

// load calls fn with every member's contact, in the order of the members
// (ids, or every contact when ids is nil). One query per table (those n
// asks for) reads all members, ordered by position; the queries run
// concurrently, each on a connection of its own, and fn sees each contact
// as soon as every table has delivered its part.
func (l Loader) load(ctx context.Context, ids *string, n Need, fn func(*Contact) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		g        errgroup.Group
		contacts = newStream[Contact]()
		emails   = newStream[string]()
		channels = newStream[Channel]()
		topics   = newStream[ref]()
		tags     = newStream[ref]()
		jobs     = newStream[ref]()
		notes    = newStream[Note]()
		pieces   = newStream[Piece]()
		posts    = newStream[Post]()
		// The names of topics, tags and outlets: each is written by the
		// goroutine of its stream before that sends its first batch, and
		// read here only for rows that stream delivered values for.
		topicNames, tagNames, outletNames names
		// Reused for every contact.
		scratch          []ref
		topicBuf, tagBuf []string
		jobBuf           []Job
	)
	type table struct {
		want bool
		s    interface{ end() }
		name string
		run  func(conn *sql.Conn) error
	}
	str := func(rs *sql.Rows, ord *int, v *string) error { return rs.Scan(intDest{ord}, v) }
	refs := func(rs *sql.Rows, ord *int, v *ref) error {
		return rs.Scan(intDest{ord}, intDest{&v.id}, intDest{&v.seq}, &v.role)
	}
	// named loads the names of a small table on conn, then reads q's refs.
	named := func(s *stream[ref], ns *names, nameTable, q string) func(*sql.Conn) error {
		return func(conn *sql.Conn) error {
			var err error
			if *ns, err = loadNames(ctx, conn, nameTable); err != nil {
				return err
			}
			return l.read(ctx, conn, q, ids, func(rs *sql.Rows) error { return produce(ctx, s, rs, refs) })
		}
	}
	cols, dests, owner := "c.id", make([]func(*Contact) any, 0, len(contactFields)), ""
	if n&Owner != 0 {
		owner = " LEFT JOIN users u ON u.id = c.owner_id"
	}
	for _, f := range contactFields {
		if n&f.need != 0 {
			cols += ", " + f.sql
			dests = append(dests, f.dest)
		}
	}
	tables := []table{
		{true, contacts, "contacts", func(conn *sql.Conn) error {
			dest := make([]any, 2+len(dests))
			return l.read(ctx, conn, l.query(ids, cols, "contacts c", "c.id", owner, ""), ids, func(rs *sql.Rows) error {
				return produce(ctx, contacts, rs, func(rs *sql.Rows, ord *int, c *Contact) error {
					dest[0], dest[1] = intDest{ord}, intDest{&c.ID}
					for i, d := range dests {
						dest[2+i] = d(c)
					}
					return rs.Scan(dest...)
				})
			})
		}},
		{n&Emails != 0, emails, "e-mails", func(conn *sql.Conn) error {
			q := l.query(ids, "e.address", "contact_emails e", "e.contact_id", "", `e."primary" DESC, e.id`)
			return l.read(ctx, conn, q, ids, func(rs *sql.Rows) error { return produce(ctx, emails, rs, str) })
		}},
		{n&Channels != 0, channels, "channels", func(conn *sql.Conn) error {
			q := l.query(ids, "s.platform, s.handle, s.followers", "social_profiles s", "s.contact_id", "", "s.followers DESC, s.id")
			return l.read(ctx, conn, q, ids, func(rs *sql.Rows) error {
				return produce(ctx, channels, rs, func(rs *sql.Rows, ord *int, ch *Channel) error {
					return rs.Scan(intDest{ord}, &ch.Platform, &ch.Handle, int64Dest{&ch.Followers})
				})
			})
		}},
		{n&Topics != 0, topics, "topics", named(topics, &topicNames, "topics",
			l.query(ids, "x.topic_id, 0, ''", "contact_topics x", "x.contact_id", "", ""))},
		{n&Tags != 0, tags, "tags", named(tags, &tagNames, "tags",
			l.query(ids, "x.tag_id, 0, ''", "contact_tags x", "x.contact_id", "", ""))},
		{n&Jobs != 0, jobs, "outlets", named(jobs, &outletNames, "outlets",
			l.query(ids, "x.outlet_id, x.id, x.role", "employments x", "x.contact_id", "", ""))},
		{n&Notes != 0, notes, "interactions", func(conn *sql.Conn) error {
			return l.read(ctx, conn, l.newestNotes(ids), ids, func(rs *sql.Rows) error {
				return produce(ctx, notes, rs, func(rs *sql.Rows, ord *int, nt *Note) error {
					return rs.Scan(intDest{ord}, intDest{&nt.ID}, &nt.Type, utcDest{&nt.At}, &nt.Subject, &nt.Body)
				})
			})
		}},
		{n&Coverage != 0, pieces, "coverage", func(conn *sql.Conn) error {
			q := l.query(ids, "ci.id, ci.published_at, ci.title, ci.outlet_name",
				"coverage_authors ca", "ca.contact_id", " JOIN coverage_items ci ON ci.id = ca.coverage_item_id", "")
			return l.read(ctx, conn, q, ids, func(rs *sql.Rows) error {
				return produce(ctx, pieces, rs, func(rs *sql.Rows, ord *int, p *Piece) error {
					return rs.Scan(intDest{ord}, intDest{&p.ID}, utcDest{&p.At}, &p.Title, &p.Outlet)
				})
			})
		}},
		{n&Posts != 0, posts, "posts", func(conn *sql.Conn) error {
			q := l.query(ids, "fp.id, fp.published_at, fp.title", "feed_posts fp", "fp.contact_id", postsNewest, "")
			return l.read(ctx, conn, q, ids, func(rs *sql.Rows) error {
				return produce(ctx, posts, rs, func(rs *sql.Rows, ord *int, p *Post) error {
					return rs.Scan(intDest{ord}, intDest{&p.ID}, utcDest{&p.At}, &p.Title)
				})
			})
		}},
	}
	conns, err := l.conns(ctx, n.Queries())
	if err != nil {
		return err
	}
	// A failing query cancels ctx before it ends its stream, so the merge
	// below stops instead of passing on a contact without that table's part.
	for _, t := range tables {
		if !t.want {
			t.s.end()
			continue
		}
		conn := conns[0]
		conns = conns[1:]
		g.Go(func() error {
			err := t.run(conn)
			conn.Close()
			if err != nil {
				err = fmt.Errorf("load %s: %w", t.name, err)
				cancel()
			}
			t.s.end()
			return err
		})
	}
	stopped := false
	for {
		it, ok := contacts.head()
		if !ok {
			break
		}
		c := &it.v
		c.Emails, c.Channels, c.Notes = emails.take(it.ord), channels.take(it.ord), newestFirst(notes.take(it.ord))
		c.Coverage = newestPieces(pieces.take(it.ord))
		c.Posts = newestPosts(posts.take(it.ord))
		scratch = topicNames.sort(append(scratch[:0], topics.take(it.ord)...))
		c.Topics, topicBuf = topicNames.strings(scratch, topicBuf)
		scratch = tagNames.sort(append(scratch[:0], tags.take(it.ord)...))
		c.Tags, tagBuf = tagNames.strings(scratch, tagBuf)
		scratch = outletNames.sort(append(scratch[:0], jobs.take(it.ord)...))
		c.Jobs, jobBuf = outletNames.jobs(scratch, jobBuf)
		if ctx.Err() != nil {
			stopped = true // a query failed (g.Wait says which) or the caller gave up
			break
		}
		if err = fn(c); err != nil {
			cancel()
			break
		}
		contacts.next++
	}
	contacts.drain()
	emails.drain()
	channels.drain()
	topics.drain()
	tags.drain()
	jobs.drain()
	notes.drain()
	pieces.drain()
	posts.drain()
	gerr := g.Wait()
	switch {
	case err != nil:
		return err
	case gerr != nil:
		return fmt.Errorf("graph: %w", gerr)
	case stopped:
		return fmt.Errorf("graph: %w", ctx.Err())
	}
	return nil
}

// newestFirst sorts notes by time, newest first, the newer of two at the
// same time (by id) first. The query reads a contact's few unsorted:
// sorting every row of the set by date in SQL would cost more than sorting
// each contact's here.
func newestFirst(notes []Note) []Note {
	slices.SortFunc(notes, func(a, b Note) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return b.ID - a.ID
	})
	return notes
}

// newestPieces sorts pieces like newestFirst: by publication, newest first.
func newestPieces(pieces []Piece) []Piece {
	slices.SortFunc(pieces, func(a, b Piece) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return b.ID - a.ID
	})
	return pieces
}

// postsNewest keeps a contact's MaxPosts newest posts: the subquery reads
// them from the (contact_id, published_at) index, so a feed's long history
// is never read whole. It follows the join of l.query (or the table, when
// every contact is loaded).
var postsNewest = " WHERE fp.id IN (SELECT p2.id FROM feed_posts p2 WHERE p2.contact_id = fp.contact_id" +
	" ORDER BY p2.published_at DESC, p2.id DESC LIMIT " + strconv.Itoa(MaxPosts) + ")"

// newestPosts sorts posts like newestFirst: by publication, newest first.
func newestPosts(posts []Post) []Post {
	slices.SortFunc(posts, func(a, b Post) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return b.ID - a.ID
	})
	return posts
}
