package crm

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/contact"
)

// Duplicates keeps the last scan and scans again only after a contact
// changed (a new change record) or when it is older than maxAge.
type Duplicates struct {
	client *ent.Client
	maxAge time.Duration

	mu   sync.Mutex
	key  [2]int // last change id and number of contacts the scan saw
	at   time.Time
	scan *DuplicateScan
}

// NewDuplicates returns the duplicate lister of client.
func NewDuplicates(client *ent.Client) *Duplicates {
	return &Duplicates{client: client, maxAge: 10 * time.Minute}
}

// DuplicateRow is a listed pair with the two contacts' names.
type DuplicateRow struct {
	DuplicatePair
	NameA, NameB string
}

// List returns up to limit pairs, best first, and how many there are.
func (d *Duplicates) List(ctx context.Context, limit int) ([]DuplicateRow, int, error) {
	scan, err := d.current(ctx)
	if err != nil {
		return nil, 0, err
	}
	pairs := scan.Pairs[:min(limit, len(scan.Pairs))]
	var ids []int
	for _, p := range pairs {
		ids = append(ids, p.A, p.B)
	}
	names := map[int]string{}
	if len(ids) > 0 {
		cs, err := d.client.Contact.Query().Where(contact.IDIn(ids...)).Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName).All(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("duplicates: %w", err)
		}
		for _, c := range cs {
			names[c.ID] = DisplayName(c.FirstName, c.LastName)
		}
	}
	out := make([]DuplicateRow, 0, len(pairs))
	for _, p := range pairs {
		if names[p.A] != "" && names[p.B] != "" {
			out = append(out, DuplicateRow{DuplicatePair: p, NameA: names[p.A], NameB: names[p.B]})
		}
	}
	return out, len(scan.Pairs), nil
}

func (d *Duplicates) current(ctx context.Context) (*DuplicateScan, error) {
	last, err := d.client.Change.Query().Order(ent.Desc(change.FieldID)).FirstID(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	n, err := d.client.Contact.Query().Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	key := [2]int{last, n}
	if d.scan != nil && d.key == key && time.Since(d.at) < d.maxAge {
		return d.scan, nil
	}
	scan, err := ScanDuplicates(ctx, d.client)
	if err != nil {
		return nil, err
	}
	d.scan, d.key, d.at = scan, key, time.Now()
	return scan, nil
}
