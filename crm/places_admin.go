package crm

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/place"
)

// maxAliases bounds the spellings of one place.
const maxAliases = 50

// SavePlace stores an admin's place (a new one when p.ID is 0): a canonical
// name and the spellings that mean it. Writers use it from their next write.
func SavePlace(ctx context.Context, client *ent.Client, p Place) (int, error) {
	p.Name, p.Region = strings.TrimSpace(p.Name), strings.TrimSpace(p.Region)
	p.Aliases = cleanList(p.Aliases)
	fe := FieldErrors{}
	if p.Kind != "city" && p.Kind != "region" {
		fe.Add("kind", "Choose city or region.")
	}
	if p.Name == "" || utf8.RuneCountInString(p.Name) > maxName {
		fe.Add("name", fmt.Sprintf("Enter a name of at most %d characters.", maxName))
	}
	if utf8.RuneCountInString(p.Region) > maxName {
		fe.Add("region", fmt.Sprintf("At most %d characters.", maxName))
	}
	if len(p.Aliases) > maxAliases {
		fe.Add("aliases", fmt.Sprintf("At most %d spellings.", maxAliases))
	}
	for _, a := range p.Aliases {
		if utf8.RuneCountInString(a) > maxName {
			fe.Add("aliases", fmt.Sprintf("A spelling has at most %d characters.", maxName))
		}
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	var id int
	var err error
	if p.ID == 0 {
		var row *ent.Place
		row, err = client.Place.Create().SetKind(place.Kind(p.Kind)).SetName(p.Name).SetAliases(p.Aliases).SetRegion(p.Region).Save(ctx)
		if row != nil {
			id = row.ID
		}
	} else {
		id = p.ID
		err = client.Place.UpdateOneID(p.ID).SetKind(place.Kind(p.Kind)).SetName(p.Name).SetAliases(p.Aliases).SetRegion(p.Region).Exec(ctx)
	}
	switch {
	case ent.IsConstraintError(err):
		return 0, &Error{Code: EInvalid, Message: "Please correct the marked fields.", Fields: map[string]string{"name": "This place is in the table already: edit it there."}}
	case ent.IsNotFound(err):
		return 0, Errorf(ENotFound, "This place does not exist (any more).")
	case err != nil:
		return 0, fmt.Errorf("save place: %w", err)
	}
	placesGen.Add(1)
	return id, nil
}

// DeletePlace removes an admin's place; a built-in one of the same name
// applies again.
func DeletePlace(ctx context.Context, client *ent.Client, id int) error {
	if err := client.Place.DeleteOneID(id).Exec(ctx); err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("delete place: %w", err)
	}
	placesGen.Add(1)
	return nil
}

// PlaceChange is one spelling the normalisation replaced, and how often.
type PlaceChange struct {
	Field, From, To string
	Contacts        int
}

// PlaceReport is what NormalizePlaces did.
type PlaceReport struct {
	Scanned, Changed int
	Outlets          int           // outlets whose region changed
	Changes          []PlaceChange // most frequent first
}

// normalizeBatch is how many contacts NormalizePlaces reads and writes at once.
const normalizeBatch = 1000

// NormalizePlaces brings the city and region of every stored contact to the
// canonical spelling of the place table, through the contact writer (audit,
// search index and list cache follow), batch by batch, and reports each
// replaced spelling with its count. It is the data migration of existing
// contacts; running it again changes nothing.
func NormalizePlaces(ctx context.Context, w *ContactWriter) (PlaceReport, error) {
	var rep PlaceReport
	count := map[PlaceChange]int{}
	after := 0
	for {
		rows, err := w.client.Contact.Query().Where(contact.IDGT(after)).Order(ent.Asc(contact.FieldID)).Limit(normalizeBatch).
			Select(contact.FieldID, contact.FieldCity, contact.FieldRegion).All(ctx)
		if err != nil {
			return rep, fmt.Errorf("normalise places: %w", err)
		}
		if len(rows) == 0 {
			break
		}
		after = rows[len(rows)-1].ID
		rep.Scanned += len(rows)
		table, err := w.places(ctx, w.client)
		if err != nil {
			return rep, err
		}
		var ids []int
		for _, c := range rows {
			city, region := table.Canonical(c.City, c.Region)
			if city == c.City && region == c.Region {
				continue
			}
			ids = append(ids, c.ID)
			if city != c.City {
				count[PlaceChange{Field: "city", From: c.City, To: city}]++
			}
			if region != c.Region {
				count[PlaceChange{Field: "region", From: c.Region, To: region}]++
			}
		}
		if len(ids) == 0 {
			continue
		}
		err = db.WithTx(ctx, w.client, func(ctx context.Context, tx *ent.Tx) error {
			st, err := loadStored(ctx, tx.Client(), w.dialect, ids)
			if err != nil {
				return err
			}
			ws := make([]ContactWrite, 0, len(ids))
			for _, id := range ids {
				if s := st[id]; s != nil {
					ws = append(ws, ContactWrite{ID: id, In: s.in, Msg: MsgPlacesCanonical()})
				}
			}
			res, err := w.Write(ctx, tx, ws, WriteOptions{Trusted: true})
			for _, r := range res {
				if r.Changed {
					rep.Changed++
				}
			}
			return err
		})
		if err != nil {
			return rep, fmt.Errorf("normalise places: %w", err)
		}
	}
	if err := normalizeOutletRegions(ctx, w, &rep, count); err != nil {
		return rep, err
	}
	for c, n := range count {
		c.Contacts = n
		rep.Changes = append(rep.Changes, c)
	}
	sort.Slice(rep.Changes, func(i, j int) bool {
		a, b := rep.Changes[i], rep.Changes[j]
		if a.Contacts != b.Contacts {
			return a.Contacts > b.Contacts
		}
		return a.Field+a.From < b.Field+b.From
	})
	return rep, nil
}

// normalizeOutletRegions saves every outlet whose region is not in the
// table's spelling through SaveOutlet, which applies the rule (with its
// audit); the replaced spellings are counted as "outlet region".
func normalizeOutletRegions(ctx context.Context, w *ContactWriter, rep *PlaceReport, count map[PlaceChange]int) error {
	table, err := loadPlaceTable(ctx, w.client)
	if err != nil {
		return err
	}
	os, err := w.client.Outlet.Query().Where(outlet.RegionNEQ("")).Order(ent.Asc(outlet.FieldID)).All(ctx)
	if err != nil {
		return fmt.Errorf("normalise outlet regions: %w", err)
	}
	for _, o := range os {
		if _, region := table.Canonical("", o.Region); region != o.Region {
			in := OutletInput{Name: o.Name, Type: string(o.Type), Website: o.Website, Region: o.Region, Description: o.Description, Audience: o.Audience, Custom: o.Custom}
			if _, err := SaveOutlet(ctx, w.client, o.ID, in); err != nil {
				return fmt.Errorf("normalise outlet %d: %w", o.ID, err)
			}
			count[PlaceChange{Field: "outlet region", From: o.Region, To: region}]++
			rep.Outlets++
		}
	}
	return nil
}
