package crm_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/schema"
)

// customAgreementSelections is how many generated custom-field selections
// each database compares.
const customAgreementSelections = 120

var (
	cfBeats = []string{"IT", "Health", "Energy", "Travel"}
	cfTimes = []string{"Morning", "Noon", "Evening"}
	cfMet   = []string{"Messe Köln", "Pressereise", "Konferenz", "Zufall"}
)

// TestCustomFiltersAgree generates contacts with custom values of every
// filterable type and selections with conditions on them (alone and with
// the other filters, every sort) and checks that the contact list (every
// page), a saved segment's count and page and an export hold the same
// contacts, and that they are the contacts whose values meet the
// conditions as Go reads them. RAPPORT_AGREEMENT_SEED replays a failure.
func TestCustomFiltersAgree(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("RAPPORT_AGREEMENT_SEED"), 10, 64); err == nil {
		seed = s
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		t.Logf("seed %d (RAPPORT_AGREEMENT_SEED=%d replays it)", seed, seed)
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(seed, 21))
		users := agreementData(t, ctx, d, rng)
		keys := customData(t, ctx, d, rng)
		stored, err := crm.NewContactWriter(d.Client, d.Dialect, nil, nil).LoadContactInputs(ctx, nil, d.Client.Contact.Query().IDsX(ctx))
		if err != nil {
			t.Fatal(err)
		}
		sels := crm.NewSelections(d.Client, d.Dialect, nil, nil, crm.NewLookups(d.Client, time.Hour))
		mctx := crm.WithActor(ctx, crm.Actor{UserID: users[0], Name: "Manager", Role: crm.RoleManager})
		counts, nonEmpty := map[int]int{}, 0
		for i := range customAgreementSelections {
			sel := crm.Selection{Sort: pick(rng, agSorts)}
			if rng.IntN(3) == 0 {
				sel = randomSelection(rng, users)
				sel.Query = ""
			}
			sel.Filter.Custom = randomCustomFilters(rng, keys)
			if !agree(t, mctx, d.Client, sels, nil, false, 10000+i, sel, counts) {
				t.Fatalf("selection %d of seed %d disagrees: %+v", i, seed, sel.Filter.Custom)
			}
			list := walkList(t, ctx, sels, crm.Selection{Filter: schema.SegmentFilter{Custom: sel.Filter.Custom}})
			var want []int
			for id, in := range stored {
				if customMatch(in.Custom, sel.Filter.Custom) {
					want = append(want, id)
				}
			}
			if !sameSet(list, want) {
				t.Fatalf("seed %d: filter %+v lists %v, Go reads %v", seed, sel.Filter.Custom, list, want)
			}
			if len(list) > 0 {
				nonEmpty++
			}
		}
		if nonEmpty < customAgreementSelections/4 {
			t.Errorf("only %d of %d selections matched anybody: the test compares empty sets", nonEmpty, customAgreementSelections)
		}
	})
}

// customData defines a field of each filterable type and gives most
// contacts values through the contact writer; it returns the field keys
// by type.
func customData(t *testing.T, ctx context.Context, d *db.DB, rng *rand.Rand) map[string]string {
	t.Helper()
	keys := map[string]string{}
	for _, f := range []crm.CustomField{
		{Type: crm.FieldText, LabelEN: "How we met"}, {Type: crm.FieldNumber, LabelEN: "Circulation"},
		{Type: crm.FieldDate, LabelEN: "Birthday"}, {Type: crm.FieldChoice, LabelEN: "Embargo time", Choices: cfTimes},
		{Type: crm.FieldMulti, LabelEN: "Beats", Choices: cfBeats}, {Type: crm.FieldBool, LabelEN: "Press pass"},
	} {
		f.Entity, f.LabelDE = crm.EntityContact, f.LabelEN
		got, err := crm.CreateCustomField(ctx, d.Client, f)
		if err != nil {
			t.Fatal(err)
		}
		keys[f.Type] = got.Key
	}
	w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
	ids := d.Client.Contact.Query().IDsX(ctx)
	stored, err := w.LoadContactInputs(ctx, nil, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		in := stored[id]
		v := schema.CustomValues{}
		if rng.IntN(4) > 0 {
			v[keys[crm.FieldText]] = pick(rng, cfMet) + " " + strconv.Itoa(rng.IntN(3))
		}
		if rng.IntN(4) > 0 {
			v[keys[crm.FieldNumber]] = float64(rng.IntN(200)) / 4
		}
		if rng.IntN(4) > 0 {
			v[keys[crm.FieldDate]] = time.Date(1960+rng.IntN(40), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		}
		if rng.IntN(4) > 0 {
			v[keys[crm.FieldChoice]] = pick(rng, cfTimes)
		}
		if b := some(rng, cfBeats, 0.4); len(b) > 0 {
			v[keys[crm.FieldMulti]] = b
		}
		if rng.IntN(3) > 0 {
			v[keys[crm.FieldBool]] = rng.IntN(2) == 0
		}
		in.Custom = v
		if _, err := w.Update(ctx, id, in); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func randomCustomFilters(rng *rand.Rand, keys map[string]string) []schema.CustomFilter {
	var out []schema.CustomFilter
	for len(out) == 0 {
		if rng.IntN(3) == 0 {
			out = append(out, schema.CustomFilter{Key: keys[crm.FieldChoice], Any: some(rng, cfTimes, 0.4)})
		}
		if rng.IntN(3) == 0 {
			out = append(out, schema.CustomFilter{Key: keys[crm.FieldMulti], Any: some(rng, cfBeats, 0.3)})
		}
		if rng.IntN(3) == 0 {
			lo := float64(rng.IntN(30))
			f := schema.CustomFilter{Key: keys[crm.FieldNumber], Min: &lo}
			if rng.IntN(2) == 0 {
				hi := lo + float64(rng.IntN(20))
				f.Max = &hi
			}
			out = append(out, f)
		}
		if rng.IntN(3) == 0 {
			out = append(out, schema.CustomFilter{Key: keys[crm.FieldDate], From: strconv.Itoa(1960+rng.IntN(20)) + "-06-01",
				To: strconv.Itoa(1980+rng.IntN(20)) + "-01-15"})
		}
		if rng.IntN(4) == 0 {
			b := rng.IntN(2) == 0
			out = append(out, schema.CustomFilter{Key: keys[crm.FieldBool], Yes: &b})
		}
		if rng.IntN(4) == 0 {
			out = append(out, schema.CustomFilter{Key: keys[crm.FieldText], Contains: strings.ToLower(pick(rng, cfMet)[:4])})
		}
	}
	return out
}

// customMatch is the meaning of the filters, in Go.
func customMatch(v schema.CustomValues, fs []schema.CustomFilter) bool {
	for _, f := range fs {
		x, has := v[f.Key]
		if len(f.Any) > 0 {
			if !has || !slices.ContainsFunc(crm.CustomStrings(x), func(s string) bool { return slices.Contains(f.Any, s) }) {
				return false
			}
		}
		if f.Contains != "" && (!has || !strings.Contains(strings.ToLower(fmt.Sprint(x)), strings.ToLower(f.Contains))) {
			return false
		}
		if f.Yes != nil && (x == true) != *f.Yes {
			return false
		}
		n, isNum := x.(float64)
		if f.Min != nil && (!isNum || n < *f.Min) || f.Max != nil && (!isNum || n > *f.Max) {
			return false
		}
		s, isStr := x.(string)
		if f.From != "" && (!isStr || s < f.From) || f.To != "" && (!isStr || s > f.To) {
			return false
		}
	}
	return true
}
