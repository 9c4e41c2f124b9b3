package search

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// Hash is a digest of everything the document holds; the index stores it so
// that a test (or an operator) can compare the index with the database.
// Every value is written with its length and every list with its count, so
// two different documents never write the same bytes; TestHashSeesEveryField
// changes each field in turn. (It was SHA-256 of the document's JSON, whose
// encoding took 3 % of a build's CPU.)
func (d *Document) Hash() string {
	d.normalize()
	h := hashInput(make([]byte, 0, 1024))
	h.int(int64(d.ID))
	h.str(d.Kind, d.Stage, d.FirstName, d.LastName, d.Title, d.Bio, d.City, d.Region)
	h.int(int64(d.OwnerID))
	h.int(d.Reach)
	if d.LastInteractionAt == nil {
		h.int(0)
	} else {
		h.int(1)
		h.time(*d.LastInteractionAt)
	}
	h.time(d.UpdatedAt)
	h.list(d.Emails)
	h.int(int64(len(d.Channels)))
	for _, c := range d.Channels {
		h.str(c.Platform, c.Handle)
	}
	h.int(int64(len(d.Outlets)))
	for _, o := range d.Outlets {
		h.str(o.Name, o.Role)
	}
	h.list(d.Topics)
	h.list(d.Tags)
	h.int(int64(len(d.Notes)))
	for _, n := range d.Notes {
		h.time(n.At)
		h.str(n.Type, n.Subject, n.Body)
	}
	h.list(d.Custom)
	h.int(int64(len(d.Coverage)))
	for _, p := range d.Coverage {
		h.time(p.At)
		h.str(p.Title, p.Outlet)
	}
	h.int(int64(len(d.Posts)))
	for _, p := range d.Posts {
		h.time(p.At)
		h.str(p.Title)
	}
	sum := sha256.Sum256(h)
	return hex.EncodeToString(sum[:16])
}

// hashInput is what Hash digests, written value by value.
type hashInput []byte

func (h *hashInput) int(n int64) { *h = binary.AppendVarint(*h, n) }

func (h *hashInput) str(values ...string) {
	for _, v := range values {
		h.int(int64(len(v)))
		*h = append(*h, v...)
	}
}

func (h *hashInput) list(values []string) {
	h.int(int64(len(values)))
	h.str(values...)
}

func (h *hashInput) time(t time.Time) {
	h.int(t.Unix())
	h.int(int64(t.Nanosecond()))
}
