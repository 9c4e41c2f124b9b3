package crm

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/place"
)

// Place is a canonical city or region name with the spellings that mean it;
// a city names the region it lies in.
type Place struct {
	ID      int // 0 for a built-in place
	Kind    string
	Name    string
	Aliases []string
	Region  string
}

// PlaceTable resolves what people write for a city or a region to one
// spelling: München, Munich, Muenchen and Munchen are München. It is the
// rule the contact writer applies to every write, so lists, facets,
// segments and the region × topic matrix never split a place on spelling.
type PlaceTable struct {
	cities, regions map[string]Place // folded spelling → place
}

// NewPlaceTable builds the table from the built-in places and the admins'
// (which add places or, with the same kind and name, replace built-in ones).
func NewPlaceTable(custom []Place) *PlaceTable {
	t := &PlaceTable{cities: map[string]Place{}, regions: map[string]Place{}}
	over := map[string]bool{}
	for _, p := range custom {
		over[p.Kind+"\x00"+foldPlace(p.Name)] = true
	}
	add := func(m map[string]Place, kind string, ps []Place, builtin bool) {
		for _, p := range ps {
			if builtin && over[kind+"\x00"+foldPlace(p.Name)] {
				continue
			}
			p.Kind = kind
			for _, a := range append([]string{p.Name, transliterate(p.Name)}, p.Aliases...) {
				if k := foldPlace(a); k != "" {
					if _, taken := m[k]; !taken || !builtin {
						m[k] = p
					}
				}
			}
		}
	}
	add(t.regions, "region", builtinRegions, true)
	add(t.cities, "city", builtinCities, true)
	var cc, cr []Place
	for _, p := range custom {
		if p.Kind == "city" {
			cc = append(cc, p)
		} else {
			cr = append(cr, p)
		}
	}
	add(t.regions, "region", cr, false)
	add(t.cities, "city", cc, false)
	return t
}

// Canonical returns city and region in their canonical spelling. An empty
// region is derived from a known city. A region that is itself a known city
// (teams plan by "München" as well as by "Bayern") takes the city's
// spelling. Unknown values come back trimmed, as written.
func (t *PlaceTable) Canonical(city, region string) (string, string) {
	city, region = strings.TrimSpace(city), strings.TrimSpace(region)
	var c Place
	var known bool
	if city != "" {
		if c, known = t.cities[foldPlace(city)]; known {
			city = c.Name
		}
	}
	switch {
	case region == "" && known:
		region = c.Region
		if r, ok := t.regions[foldPlace(region)]; ok {
			region = r.Name
		}
	case region != "":
		if r, ok := t.regions[foldPlace(region)]; ok {
			region = r.Name
		} else if rc, ok := t.cities[foldPlace(region)]; ok {
			region = rc.Name
		}
	}
	return city, region
}

// foldPlace is the key two spellings of a place share: lower case, without
// diacritics (ü → u, ß → ss), dots, brackets and slashes; hyphens and runs of
// spaces as one space.
func foldPlace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '.' || r == '(' || r == ')':
			continue
		case r == 'ß':
			b.WriteString("ss")
		case r == '-' || r == '/' || r == ',' || unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// transliterate writes umlauts as two letters: München → Muenchen.
func transliterate(s string) string { return umlauts.Replace(s) }

// umlauts is built once: a strings.Replacer builds its lookup table on first
// use, which the duplicate scan paid for twice per contact.
var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss")

// placesGen counts edits of the place table in this process: a writer's
// cached table older than the last edit is loaded again.
var placesGen atomic.Int64

// placeTTL bounds how long a writer trusts its table without seeing an edit
// (an edit on another server).
const placeTTL = 5 * time.Second

type placeCache struct {
	mu    sync.Mutex
	gen   int64
	at    time.Time
	table *PlaceTable
}

// places is the writer's place table, loaded at most every placeTTL and
// after each edit in this process.
func (w *ContactWriter) places(ctx context.Context, client *ent.Client) (*PlaceTable, error) {
	c := &w.placeCache
	c.mu.Lock()
	defer c.mu.Unlock()
	gen := placesGen.Load()
	if c.table != nil && c.gen == gen && time.Since(c.at) < placeTTL {
		return c.table, nil
	}
	custom, err := CustomPlaces(ctx, client)
	if err != nil {
		return nil, err
	}
	c.table, c.gen, c.at = NewPlaceTable(custom), gen, time.Now()
	return c.table, nil
}

// loadPlaceTable is the place table as it is stored now: for writers
// without a ContactWriter's cache (an outlet's save).
func loadPlaceTable(ctx context.Context, client *ent.Client) (*PlaceTable, error) {
	custom, err := CustomPlaces(ctx, client)
	if err != nil {
		return nil, err
	}
	return NewPlaceTable(custom), nil
}

// CustomPlaces are the admins' places, by kind and name.
func CustomPlaces(ctx context.Context, client *ent.Client) ([]Place, error) {
	rows, err := client.Place.Query().Order(ent.Asc(place.FieldKind), ent.Asc(place.FieldName)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load places: %w", err)
	}
	out := make([]Place, len(rows))
	for i, r := range rows {
		out[i] = Place{ID: r.ID, Kind: string(r.Kind), Name: r.Name, Aliases: r.Aliases, Region: r.Region}
	}
	return out, nil
}

// BuiltinPlaces are the places Rapport knows without an admin's help.
func BuiltinPlaces() []Place {
	out := make([]Place, 0, len(builtinRegions)+len(builtinCities))
	for _, p := range builtinRegions {
		p.Kind = "region"
		out = append(out, p)
	}
	for _, p := range builtinCities {
		p.Kind = "city"
		out = append(out, p)
	}
	return out
}
