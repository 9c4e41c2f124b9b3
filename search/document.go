package search

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm/sortkey"
	"github.com/rapport-crm/rapport/graph"
)

// Document is what the index holds of one contact. It is built from the
// database only (LoadDocuments, LoadAll), so rebuilding it is idempotent.
type Document struct {
	ID                  int
	Kind, Stage         string
	FirstName, LastName string
	Title, Bio          string
	City, Region        string
	OwnerID             int
	Reach               int64
	LastInteractionAt   *time.Time
	UpdatedAt           time.Time
	Emails              []string
	Channels            []Channel
	Outlets             []Outlet
	Topics, Tags        []string
	Notes               []Note   // newest first, at most MaxNotes
	Custom              []string // the custom fields' text values (text, choices, URLs), sorted
	Coverage            []Piece  // the coverage the contact authored, newest first, at most MaxCoverage
	Posts               []Post   // the newest posts of the contact's channel feeds, newest first, at most MaxPosts
}

// Post is a post of one of the contact's channel feeds: its title is searched.
type Post struct {
	At    time.Time
	Title string
	id    int // of the feed post: the newer of two at the same time
}

// Piece is a piece of coverage the contact is an author of.
type Piece struct {
	At            time.Time
	Title, Outlet string
	id            int // of the coverage item: the newer of two at the same time
}

// Channel is a contact's social channel.
type Channel struct{ Platform, Handle string }

// Outlet is a contact's job.
type Outlet struct{ Name, Role string }

// Note is one recent interaction of the contact.
type Note struct {
	At      time.Time
	Type    string
	Subject string
	Body    string
	id      int // of the interaction: the newer of two at the same time
}

// Limits of what a document holds of a contact's interactions.
const (
	MaxNotes    = graph.MaxNotes // the newest interactions, searched as words only (the loader bounds them)
	MaxNoteText = graph.NoteBody // characters of an interaction's body (the loader cuts it)
	MaxCoverage = 20             // the newest pieces of coverage a contact authored (title and outlet)
	MaxPosts    = graph.MaxPosts // the newest feed posts of a contact's channels (titles; the loader bounds them)
)

// documentOf is the document of c, a contact loaded with docNeeds. It
// copies what it keeps: c is the loader's, valid only during its callback.
func documentOf(c *graph.Contact) *Document {
	d := &Document{ID: c.ID, Kind: c.Kind, Stage: c.Stage, FirstName: c.FirstName, LastName: c.LastName,
		Title: c.Title, Bio: c.Bio, City: c.City, Region: c.Region, OwnerID: c.OwnerID, Reach: c.Reach,
		UpdatedAt: c.UpdatedAt.UTC(), Emails: slices.Clone(c.Emails), Topics: slices.Clone(c.Topics), Tags: slices.Clone(c.Tags)}
	if c.LastInteractionAt != nil {
		t := c.LastInteractionAt.UTC()
		d.LastInteractionAt = &t
	}
	for _, ch := range c.Channels {
		d.Channels = append(d.Channels, Channel{Platform: ch.Platform, Handle: ch.Handle})
	}
	for _, j := range c.Jobs {
		d.Outlets = append(d.Outlets, Outlet{Name: j.Outlet, Role: j.Role})
	}
	for _, n := range c.Notes {
		d.Notes = append(d.Notes, Note{At: n.At.UTC(), Type: n.Type, Subject: n.Subject, Body: n.Body, id: n.ID})
	}
	for _, p := range c.Coverage {
		d.Coverage = append(d.Coverage, Piece{At: p.At.UTC(), Title: p.Title, Outlet: p.Outlet, id: p.ID})
	}
	for _, p := range c.Posts {
		d.Posts = append(d.Posts, Post{At: p.At.UTC(), Title: p.Title, id: p.ID})
	}
	d.Custom = customTexts(c.Custom)
	d.normalize()
	return d
}

// normalize sorts the lists, so that two loads of the same rows make the
// same document (and the same hash) whatever order the database returns.
func (d *Document) normalize() {
	slices.Sort(d.Emails)
	slices.SortFunc(d.Channels, func(a, b Channel) int { return strings.Compare(a.Platform+" "+a.Handle, b.Platform+" "+b.Handle) })
	slices.SortFunc(d.Outlets, func(a, b Outlet) int { return strings.Compare(a.Name+"\x00"+a.Role, b.Name+"\x00"+b.Role) })
	slices.Sort(d.Topics)
	slices.Sort(d.Tags)
	slices.Sort(d.Custom)
	slices.SortStableFunc(d.Notes, func(a, b Note) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return b.id - a.id
	})
	if len(d.Notes) > MaxNotes {
		d.Notes = d.Notes[:MaxNotes]
	}
	slices.SortStableFunc(d.Coverage, func(a, b Piece) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return b.id - a.id
	})
	if len(d.Coverage) > MaxCoverage {
		d.Coverage = d.Coverage[:MaxCoverage]
	}
	slices.SortStableFunc(d.Posts, func(a, b Post) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return b.id - a.id
	})
	if len(d.Posts) > MaxPosts {
		d.Posts = d.Posts[:MaxPosts]
	}
}

// Name is the display name.
func (d *Document) Name() string { return strings.TrimSpace(d.FirstName + " " + d.LastName) }

// fields is the document as bleve indexes it, keyed by the field names of
// the mapping.
func (d *Document) fields() map[string]any {
	hash := d.Hash() // normalises first
	m := map[string]any{
		FieldName:     d.Name(),
		FieldSortName: sortkey.Name(d.LastName, d.FirstName),
		FieldTitle:    d.Title,
		FieldBio:      d.Bio,
		FacetKind:     d.Kind,
		FacetStage:    d.Stage,
		FieldReachKey: fmt.Sprintf("%019d", d.Reach),
		FieldLastKey:  "0",
		FieldHash:     hash,
	}
	if d.LastInteractionAt != nil {
		m[FieldLastKey] = d.LastInteractionAt.UTC().Format(time.RFC3339)
	}
	place := strings.TrimSpace(d.City)
	if d.Region != "" && d.Region != d.City {
		place += " " + d.Region
	}
	m[FieldPlace] = place
	if d.Region != "" {
		m[FacetRegion] = d.Region
	}
	if d.OwnerID != 0 {
		m[FacetOwner] = strconv.Itoa(d.OwnerID)
	}
	var addrs, words []string
	for _, e := range d.Emails {
		addrs = append(addrs, e)
		local, domain, _ := strings.Cut(e, "@")
		words = append(words, e+" "+local+" "+domain)
	}
	m[FieldEmail], m[FieldEmails] = addrs, words
	var handles, platforms []string
	for _, c := range d.Channels {
		handles = append(handles, c.Handle)
		if !slices.Contains(platforms, c.Platform) {
			platforms = append(platforms, c.Platform)
		}
	}
	m[FieldHandle], m[FieldHandles], m[FacetPlatform] = handles, handles, platforms
	var outlets, outletNames []string
	for _, o := range d.Outlets {
		outlets = append(outlets, strings.TrimSpace(o.Name+" "+o.Role))
		if !slices.Contains(outletNames, o.Name) {
			outletNames = append(outletNames, o.Name)
		}
	}
	m[FieldOutlets], m[FacetOutlet] = outlets, outletNames
	m[FieldTopics], m[FacetTopic] = d.Topics, d.Topics
	m[FieldTags], m[FacetTag] = d.Tags, d.Tags
	notes, meta := make([]string, len(d.Notes)), make([]string, len(d.Notes))
	for i, n := range d.Notes {
		notes[i] = noteText(n)
		meta[i] = n.At.UTC().Format(time.DateOnly) + " " + n.Type
	}
	m[FieldNotes], m[FieldNoteMeta] = notes, meta
	pieces := make([]string, len(d.Coverage))
	for i, p := range d.Coverage {
		pieces[i] = pieceText(p)
	}
	m[FieldCoverage] = pieces
	posts := make([]string, 0, len(d.Posts))
	for _, p := range d.Posts {
		if strings.TrimSpace(p.Title) != "" {
			posts = append(posts, p.Title)
		}
	}
	m[FieldPosts] = posts
	if len(d.Custom) > 0 {
		m[FieldCustom] = d.Custom
	}
	return m
}

// pieceText is the searchable text of a piece of coverage: title, then outlet.
func pieceText(p Piece) string {
	if p.Outlet == "" {
		return p.Title
	}
	return p.Title + " — " + p.Outlet
}

// customTexts are the words of custom values a search finds: strings and
// lists of strings (text, choice, multi-choice, URL), not numbers, yes/no
// or dates (YYYY-MM-DD), which the lists filter instead.
func customTexts(vals map[string]any) []string {
	var out []string
	add := func(v any) {
		if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				out = append(out, s)
			}
		}
	}
	for _, v := range vals {
		if l, ok := v.([]any); ok {
			for _, x := range l {
				add(x)
			}
			continue
		}
		add(v)
	}
	return out
}

// noteText is the searchable text of an interaction: subject, then body
// (at most MaxNoteText characters of it, as the loader reads it).
func noteText(n Note) string {
	body := n.Body
	switch {
	case n.Subject == "":
		return body
	case body == "":
		return n.Subject
	}
	return n.Subject + " — " + body
}
