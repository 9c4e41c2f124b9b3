package crm

import (
	"slices"
	"time"

	"github.com/rapport-crm/rapport/ent"
)

// writePlan is what a batch writes, worked out before any statement runs
// except the load: the new contacts, the changed ones, and per table the rows
// to insert and delete.
type writePlan struct {
	w       *ContactWriter
	tx      *ent.Tx
	opt     WriteOptions
	now     time.Time
	creates []*pendingWrite
	updates []*pendingWrite
	rel     relWrites
	written map[int]int // index in the batch → contact id, of what was written
	consent []*consentChange
	pool    []pendingWrite // backs creates and updates; never grown (pointers into it)
	// resolved names (case-blind key → stored row) of outlets, topics, tags
	outlets, topics, tags map[string]storedLabel
	// lists: the batch may change who a contact list shows, in which order
	// (new contacts, listed fields, relations); labels: the filter choices.
	lists, labels bool
}

// pendingWrite is one contact of the batch that gets written.
type pendingWrite struct {
	i       int
	x       ContactWrite
	s       *stored // nil for a new contact
	id      int
	scalars bool // a field of the contact row changed
	health  bool // stage or reach tier changed: recompute health and touch-due
	score   int
	due     *time.Time
}

// relWrites are the relation rows a batch inserts and deletes. New rows
// name their contact by the pendingWrite, whose id a new contact only gets
// when it is inserted.
type relWrites struct {
	emails    []emailRow
	channels  []channelRow
	jobs      []jobRow
	topics    []labelRow
	tags      []labelRow
	followers []followerChange
	feeds     []feedRow

	dropEmails, dropChannels, dropJobs []int
	dropTopics, dropTags               map[int][]int // contact → topic (tag) ids
}

type emailRow struct {
	p            *pendingWrite
	address, typ string
	primary      bool
}

type channelRow struct {
	p                *pendingWrite
	platform, handle string
	followers        int64
}

// feedRow sets the feed of one of the contact's channels (new or kept) to
// url; "" removes it.
type feedRow struct {
	p                *pendingWrite
	platform, handle string
	url              string
}

type jobRow struct {
	p         *pendingWrite
	key, role string // key: the outlet's case-blind name
}

type labelRow struct {
	p   *pendingWrite
	key string
}

// followerChange is a stored channel whose follower count or engagement
// rate changes.
type followerChange struct {
	id       int
	from, to int64
	rate     *float64 // the new rate, nil: unchanged
}

// newRate is the rate to store when a kept channel with stored rate has
// rate in its input: nil when the input leaves it alone or it is the same.
func newRate(stored, rate *float64) *float64 {
	if rate == nil || (stored != nil && *stored == *rate) {
		return nil
	}
	return rate
}

// newWritePlan plans ws: room for its contacts and, when they are new, all
// their relation rows, reserved at once (an import batch has thousands).
func newWritePlan(w *ContactWriter, tx *ent.Tx, opt WriteOptions, ws []ContactWrite) *writePlan {
	var emails, channels, jobs, topics, tags, news int
	for i := range ws {
		if in := &ws[i].In; ws[i].ID == 0 {
			news++
			emails, channels, jobs = emails+len(in.Emails), channels+len(in.Channels), jobs+len(in.Outlets)
			topics, tags = topics+len(in.Topics), tags+len(in.Tags)
		}
	}
	return &writePlan{w: w, tx: tx, opt: opt, now: w.now().UTC(), written: make(map[int]int, len(ws)),
		creates: make([]*pendingWrite, 0, news), pool: make([]pendingWrite, 0, len(ws)),
		rel: relWrites{emails: make([]emailRow, 0, emails), channels: make([]channelRow, 0, channels),
			jobs: make([]jobRow, 0, jobs), topics: make([]labelRow, 0, topics), tags: make([]labelRow, 0, tags),
			dropTopics: map[int][]int{}, dropTags: map[int][]int{}}}
}

// pending returns a new pendingWrite from the plan's pool: one allocation
// for the batch, not one per contact.
func (p *writePlan) pending(pw pendingWrite) *pendingWrite {
	if len(p.pool) == cap(p.pool) {
		q := new(pendingWrite)
		*q = pw
		return q
	}
	p.pool = append(p.pool, pw)
	return &p.pool[len(p.pool)-1]
}

// create plans a new contact with all its relations.
func (p *writePlan) create(i int, x ContactWrite) {
	pw := p.pending(pendingWrite{i: i, x: x, scalars: true, health: true})
	p.creates = append(p.creates, pw)
	p.lists, p.labels = true, true
	in := x.In
	for j, e := range in.Emails {
		p.rel.emails = append(p.rel.emails, emailRow{p: pw, address: e.Address, typ: emailType(e.Type), primary: j == 0})
	}
	for _, c := range in.Channels {
		p.rel.channels = append(p.rel.channels, channelRow{p: pw, platform: c.Platform, handle: c.Handle, followers: c.Followers})
		if c.Feed != "" {
			p.rel.feeds = append(p.rel.feeds, feedRow{p: pw, platform: c.Platform, handle: c.Handle, url: c.Feed})
		}
	}
	for _, o := range in.Outlets {
		p.rel.jobs = append(p.rel.jobs, jobRow{p: pw, key: foldKey(o.Outlet), role: o.Role})
	}
	for _, t := range in.Topics {
		p.rel.topics = append(p.rel.topics, labelRow{p: pw, key: foldKey(t)})
	}
	for _, t := range in.Tags {
		p.rel.tags = append(p.rel.tags, labelRow{p: pw, key: foldKey(t)})
	}
}

// update compares x with the stored s and plans only what differs; an
// unchanged contact plans nothing.
func (p *writePlan) update(i int, x ContactWrite, s *stored) {
	in, id := x.In, s.c.ID
	pw := p.pending(pendingWrite{i: i, x: x, s: s, id: id})
	// Reach is a field of the row too (the sum of the channels' followers):
	// a follower count that moves changes it, tier crossed or not.
	pw.scalars = !sameScalars(s.in, in) || reachOf(in) != s.c.Reach
	// Health moves with the stage (its cadence) and with reach only where
	// reach crosses a tier: otherwise it stays as stored, and nothing is read.
	pw.health = in.Stage != string(s.c.Stage) || reachLine(reachOf(in)).Points != reachLine(s.c.Reach).Points
	rel := p.rel
	n := len(rel.emails) + len(rel.channels) + len(rel.jobs) + len(rel.topics) + len(rel.tags) + len(rel.followers) + len(rel.feeds) +
		len(rel.dropEmails) + len(rel.dropChannels) + len(rel.dropJobs) + len(rel.dropTopics) + len(rel.dropTags)

	emails := map[string]storedEmail{}
	for _, e := range s.emails {
		emails[e.address] = e
	}
	keep := map[int]bool{}
	for j, e := range in.Emails {
		typ := emailType(e.Type)
		if h, ok := emails[e.Address]; ok && h.typ == typ && h.primary == (j == 0) && !keep[h.id] {
			keep[h.id] = true
			continue
		}
		p.rel.emails = append(p.rel.emails, emailRow{p: pw, address: e.Address, typ: typ, primary: j == 0})
	}
	for _, e := range s.emails {
		if !keep[e.id] {
			p.rel.dropEmails = append(p.rel.dropEmails, e.id)
		}
	}

	chans := map[string]storedChannel{}
	for _, c := range s.channels {
		chans[c.platform+"/"+c.handle] = c
	}
	for _, c := range in.Channels {
		h, ok := chans[c.Platform+"/"+c.Handle]
		if (!ok && c.Feed != "") || (ok && h.feed != c.Feed) {
			p.rel.feeds = append(p.rel.feeds, feedRow{p: pw, platform: c.Platform, handle: c.Handle, url: c.Feed})
		}
		if !ok {
			p.rel.channels = append(p.rel.channels, channelRow{p: pw, platform: c.Platform, handle: c.Handle, followers: c.Followers})
			continue
		}
		keep[-h.id] = true // channels kept by minus their id: ids of two tables share keep
		if rate := newRate(h.rate, c.EngagementRate); h.followers != c.Followers || rate != nil {
			p.rel.followers = append(p.rel.followers, followerChange{id: h.id, from: h.followers, to: c.Followers, rate: rate})
		}
	}
	for _, c := range s.channels {
		if !keep[-c.id] {
			p.rel.dropChannels = append(p.rel.dropChannels, c.id)
		}
	}

	jobs := map[string][]storedJob{}
	for _, j := range s.jobs {
		k := foldKey(j.outlet) + "\x00" + j.role
		jobs[k] = append(jobs[k], j)
	}
	for _, o := range in.Outlets {
		k := foldKey(o.Outlet) + "\x00" + o.Role
		if have := jobs[k]; len(have) > 0 {
			jobs[k] = have[1:]
			continue
		}
		p.rel.jobs = append(p.rel.jobs, jobRow{p: pw, key: foldKey(o.Outlet), role: o.Role})
	}
	for _, rest := range jobs {
		for _, j := range rest {
			p.rel.dropJobs = append(p.rel.dropJobs, j.id)
		}
	}

	p.rel.topics = diffLabels(pw, s.topics, in.Topics, p.rel.topics, p.rel.dropTopics)
	p.rel.tags = diffLabels(pw, s.tags, in.Tags, p.rel.tags, p.rel.dropTags)

	rel = p.rel
	m := len(rel.emails) + len(rel.channels) + len(rel.jobs) + len(rel.topics) + len(rel.tags) + len(rel.followers) + len(rel.feeds) +
		len(rel.dropEmails) + len(rel.dropChannels) + len(rel.dropJobs) + len(rel.dropTopics) + len(rel.dropTags)
	if pw.scalars || m != n {
		p.updates = append(p.updates, pw)
	}
	if m != n || (pw.scalars && !sameListed(s.in, in)) {
		p.lists = true
		p.labels = p.labels || m != n || s.in.Region != in.Region
	}
}

// diffLabels plans the topic (or tag) links of one contact: the names it
// lacks are added to add, the links it no longer wants to drop.
func diffLabels(pw *pendingWrite, have []storedLabel, want []string, add []labelRow, drop map[int][]int) []labelRow {
	byKey := map[string]storedLabel{}
	for _, l := range have {
		byKey[foldKey(l.name)] = l
	}
	kept := map[int]bool{}
	for _, n := range want {
		if l, ok := byKey[foldKey(n)]; ok {
			kept[l.id] = true
			continue
		}
		add = append(add, labelRow{p: pw, key: foldKey(n)})
	}
	for _, l := range have {
		if !kept[l.id] {
			drop[pw.id] = append(drop[pw.id], l.id)
		}
	}
	return add
}

// sameScalars reports whether a and b set the contact row alike (its
// relations aside); nil and empty lists are alike.
func sameScalars(a, b ContactInput) bool {
	same := a.Kind == b.Kind && a.FirstName == b.FirstName && a.LastName == b.LastName && a.Title == b.Title &&
		a.Bio == b.Bio && a.City == b.City && a.Region == b.Region && a.Country == b.Country && a.Stage == b.Stage &&
		a.LawfulBasis == b.LawfulBasis && a.ConsentState == b.ConsentState && a.ConsentSource == b.ConsentSource &&
		a.DoNotContact == b.DoNotContact && slices.Equal(a.Languages, b.Languages) && slices.Equal(a.Phones, b.Phones) &&
		sameCustomValues(a.Custom, b.Custom)
	if !same || (a.OwnerID == nil) != (b.OwnerID == nil) {
		return false
	}
	return a.OwnerID == nil || *a.OwnerID == *b.OwnerID
}

// sameListed reports whether a and b agree on everything a contact list
// filters or sorts by (its relations aside): a change of anything else (a
// title, a bio, phones) changes only the contact's own row in a list.
func sameListed(a, b ContactInput) bool {
	same := a.Kind == b.Kind && a.FirstName == b.FirstName && a.LastName == b.LastName && a.Region == b.Region &&
		a.Stage == b.Stage && a.ConsentState == b.ConsentState && a.DoNotContact == b.DoNotContact &&
		sameCustomValues(a.Custom, b.Custom) // lists filter by custom fields and show them
	if !same || (a.OwnerID == nil) != (b.OwnerID == nil) {
		return false
	}
	return a.OwnerID == nil || *a.OwnerID == *b.OwnerID
}

func reachOf(in ContactInput) int64 {
	var reach int64
	for _, c := range in.Channels {
		reach += c.Followers
	}
	return reach
}
