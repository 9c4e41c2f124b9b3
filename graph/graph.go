// Package graph reads contacts with their relations (e-mails, social
// channels, jobs at outlets, topics, tags, interactions, owner) from the
// database, for the two jobs that need many contacts whole: the search
// document and the export row. It streams: one query per table reads the
// whole member list (an ordered list of ids, or every contact), ordered by
// the member's position, and the rows are merged here as they arrive, so a
// set of a million contacts costs one query per table and memory does not
// grow with its size. The SQL runs on PostgreSQL and SQLite.
package graph

import (
	"database/sql"
	"time"
)

// Contact is one contact with the relations a Need asked for; the others
// are left zero.
type Contact struct {
	ID                               int
	Kind, Stage, FirstName, LastName string
	Title, Bio                       string
	City, Region, Country            string
	LawfulBasis, ConsentState        string
	OwnerID                          int    // 0 for nobody
	Owner                            string // the owner's name
	Health                           int
	Reach                            int64
	DoNotContact                     bool
	ConsentAt, LastInteractionAt     *time.Time
	UpdatedAt                        time.Time
	Phones                           []string
	Custom                           map[string]any // the custom fields' values by key, as JSON decodes them
	Emails                           []string       // the primary first, then in the order they were added
	Channels                         []Channel      // most followers first
	Jobs                             []Job          // by outlet name in the database's collation
	Topics, Tags                     []string       // by name in the database's collation
	Notes                            []Note         // the contact's newest interactions (at most MaxNotes), newest first
	Coverage                         []Piece        // the coverage the contact authored, newest first
	Posts                            []Post         // the newest posts of the contact's channel feeds (at most MaxPosts), newest first
}

// Post is a post of one of the contact's channel feeds.
type Post struct {
	ID    int
	At    time.Time
	Title string
}

// MaxPosts is how many of a contact's newest feed posts a load reads: the
// query bounds them per contact, so a busy feed's history is never read whole.
const MaxPosts = 20

// MaxNotes is how many of a contact's newest interactions a load reads: the
// query ranks them per contact on the participations' own dates, so a long
// history's bodies are never read (at 100,000 contacts a rebuild read 1.1
// million notes to keep 322,000).
const MaxNotes = 5

// Piece is a published piece of coverage the contact is an author of.
type Piece struct {
	ID            int
	At            time.Time
	Title, Outlet string
}

// Job is a role at an outlet.
type Job struct{ Outlet, Role string }

// Channel is a social channel.
type Channel struct {
	Platform, Handle string
	Followers        int64
}

// Note is an interaction the contact took part in; Body holds at most
// NoteBody characters.
type Note struct {
	ID      int
	Type    string
	At      time.Time
	Subject string
	Body    string
}

// NoteBody is how many characters of an interaction's body a Note holds.
const NoteBody = 2000

// Need says which fields and relations of a contact to read. The loader
// reads only those, so a narrow export moves narrow rows.
type Need uint32

// The parts of a contact; the ID is always read.
const (
	Kind Need = 1 << iota
	Stage
	FirstName
	LastName
	Title
	Bio
	City
	Region
	Country
	LawfulBasis
	ConsentState
	OwnerID
	Owner
	Health
	Reach
	DoNotContact
	ConsentAt
	LastInteractionAt
	UpdatedAt
	Phones
	Custom
	Emails
	Channels
	Jobs
	Topics
	Tags
	Notes
	Coverage
	Posts
	All = Posts<<1 - 1
)

// Queries is how many queries (and connections) a load of n runs at once:
// the contacts and one per relation.
func (n Need) Queries() int {
	q := 1
	for _, r := range []Need{Emails, Channels, Jobs, Topics, Tags, Notes, Coverage, Posts} {
		if n&r != 0 {
			q++
		}
	}
	return q
}

// Loader reads contacts from a database. It holds one connection per table
// it reads at once (up to nine), so the pool must allow that many.
type Loader struct {
	DB      *sql.DB
	Dialect string // dialect.Postgres or dialect.SQLite
	Window  int    // members read per round of queries (Each); 0 means DefaultWindow
}

// DefaultWindow is how many members one round of queries reads. The id
// list travels as one parameter per query and each query hashes it against
// a whole table, so a round's memory follows its size (≈ 80 bytes per member
// here, 84 MB for 1,000,000) and every further round scans the tables again
// (at 1,000,000 members, ten rounds of 100,000 took 17.1 s against 8.0 s for
// one, for 35 instead of 84 MB). One round up to a million members, and the
// memory stays bounded beyond.
const DefaultWindow = 1_000_000
