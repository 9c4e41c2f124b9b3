package crm

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

func TestScorePair(t *testing.T) {
	p := func(first, last string, f func(*DupPerson)) DupPerson {
		d := DupPerson{ID: rand.IntN(1 << 30), First: first, Last: last}
		if f != nil {
			f(&d)
		}
		return d
	}
	email := func(e string) func(*DupPerson) { return func(d *DupPerson) { d.Emails = []string{NormalizeEmail(e)} } }
	outlet := func(id int) func(*DupPerson) { return func(d *DupPerson) { d.Outlets = []int{id} } }
	for _, tc := range []struct {
		name     string
		a, b     DupPerson
		dup      bool
		evidence []string
	}{
		{"dup_same_email_other_case", p("Miriam", "Klein", email("Miriam.Klein@SZ.example")), p("Miriam", "Klein", email("miriam.klein@sz.example")), true,
			[]string{"same e-mail miriam.klein@sz.example", "same name"}},
		{"dup_umlaut_transliterated_same_outlet", p("Jürgen", "Müller", outlet(2)), p("Juergen", "Mueller", outlet(2)), true, []string{"same name", "same outlet"}},
		{"not_same_name_alone", p("Jürgen", "Müller", nil), p("Juergen", "Mueller", nil), false, nil},
		{"dup_swapped_same_outlet", p("Klein", "Miriam", outlet(4)), p("Miriam", "Klein", outlet(4)), true, []string{"first and last name swapped", "same outlet"}},
		{"dup_sounds_alike_same_outlet", p("Christoph", "Meier", outlet(7)), p("Christof", "Meyer", outlet(7)), true,
			[]string{"names sound alike (Kölner Phonetik)", "same outlet"}},
		{"not_sounds_alike_other_outlet", p("Christoph", "Meier", outlet(7)), p("Christof", "Meyer", outlet(8)), false, nil},
		{"dup_initial_same_outlet", p("M.", "Schmidt", outlet(3)), p("Maria", "Schmitt", outlet(3)), true,
			[]string{"names sound alike (Kölner Phonetik)", "same outlet"}},
		{"dup_same_handle", p("Anja", "Weiß", func(d *DupPerson) { d.Handles = []string{"x/anjaweiss"} }), p("A.", "Weiss", func(d *DupPerson) { d.Handles = []string{"x/anjaweiss"} }), true,
			[]string{"same x channel anjaweiss", "names sound alike (Kölner Phonetik)"}},
		{"dup_same_phone", p("Jonas", "Brandt", func(d *DupPerson) { d.Phones = []string{E164("0511 5352-0")} }), p("Jonas", "Brand", func(d *DupPerson) { d.Phones = []string{E164("+49 511 53520")} }), true,
			[]string{"same phone +4951153520", "names sound alike (Kölner Phonetik)"}},
		{"not_other_people", p("Miriam", "Klein", nil), p("Jonas", "Brandt", nil), false, nil},
		{"not_same_surname_only", p("Thomas", "Müller", nil), p("Anna", "Müller", nil), false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ScorePair(&tc.a, &tc.b)
			if ok != tc.dup {
				t.Fatalf("duplicate = %v (score %d, %v), want %v", ok, got.Score, got.Evidence, tc.dup)
			}
			if ok && !reflect.DeepEqual(got.Evidence, tc.evidence) {
				t.Errorf("evidence %q, want %q", got.Evidence, tc.evidence)
			}
		})
	}
}

func TestE164(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"+49 89 2183-0", "+498921830"}, {"089 2183-0", "+498921830"}, {"0049 (89) 21830", "+498921830"},
		{"0171/2345678", "+491712345678"}, {"+43 1 53113", "+43153113"}, {"030 4000456", "+49304000456"},
		{"089 2183-0 ext. 12", "+498921830"}, // the library reads the extension apart
		{"keine", ""},
	} {
		if got := E164(tc.in); got != tc.want {
			t.Errorf("E164(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestBlockedScanFindsWhatAllPairsFinds: on random people with planted
// duplicates, the blocked scan finds every pair the naive all-pairs
// comparison finds.
func TestBlockedScanFindsWhatAllPairsFinds(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	firsts := []string{"Miriam", "Jürgen", "Anna", "Thomas", "Christoph", "Lena", "Aylin", "Jonas", "Sophie", "Felix"}
	lasts := []string{"Klein", "Müller", "Meier", "Schmidt", "Becker", "Wagner", "Yıldız", "Hoffmann", "Schäfer", "Neumann", "Koch", "Richter"}
	var people []DupPerson
	for i := range 2000 {
		p := DupPerson{ID: i + 1, First: firsts[r.IntN(len(firsts))] + fmt.Sprint(r.IntN(200)), Last: lasts[r.IntN(len(lasts))],
			Emails: []string{fmt.Sprintf("p%d@example.com", i)}, Outlets: []int{r.IntN(300)}}
		switch r.IntN(10) {
		case 0: // a duplicate by e-mail
			q := p
			q.ID, q.Emails = len(people)+100000, []string{p.Emails[0]}
			people = append(people, q)
		case 1: // a duplicate by transliterated name
			q := p
			q.ID, q.Last, q.Emails = len(people)+200000, transliterate(p.Last), nil
			people = append(people, q)
		}
		people = append(people, p)
	}
	blocked, naive := BlockedPairs(people), AllPairs(people)
	if len(naive) < 100 || !reflect.DeepEqual(blocked, naive) {
		t.Fatalf("blocked scan found %d pairs, all pairs %d", len(blocked), len(naive))
	}
}

// TestDuplicateHintsAndScan: the form's check finds a contact by e-mail in
// another case, by a transliterated name, and by a similar name at the same
// outlet; the scan lists the pair with its evidence.
func TestDuplicateHintsAndScan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		klein, err := w.Create(ctx, ContactInput{FirstName: "Miriam", LastName: "Klein", Emails: []EmailInput{{Address: "miriam.klein@sz.example"}},
			Outlets: []OutletRole{{Outlet: "Süddeutsche Zeitung"}}})
		if err != nil {
			t.Fatal(err)
		}
		mueller, err := w.Create(ctx, ContactInput{FirstName: "Jürgen", LastName: "Müller", Outlets: []OutletRole{{Outlet: "FAZ"}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			in   ContactInput
			want int
			why  string
		}{
			{"email_case", ContactInput{FirstName: "M.", LastName: "Klein-Berg", Emails: []EmailInput{{Address: "Miriam.Klein@SZ.example"}}}, klein, "same e-mail miriam.klein@sz.example"},
			{"name_transliterated", ContactInput{FirstName: "Juergen", LastName: "Mueller"}, mueller, "same name"},
			{"sounds_alike_same_outlet", ContactInput{FirstName: "Miriam", LastName: "Kleine", Outlets: []OutletRole{{Outlet: "süddeutsche zeitung"}}}, klein,
				"names sound alike (Kölner Phonetik) and also at Süddeutsche Zeitung"},
			{"none_sounds_alike_elsewhere", ContactInput{FirstName: "Miriam", LastName: "Kleine", Outlets: []OutletRole{{Outlet: "taz"}}}, 0, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				hs, err := DuplicateHints(ctx, d.Client, tc.in, 0)
				if err != nil {
					t.Fatal(err)
				}
				if tc.want == 0 {
					if len(hs) != 0 {
						t.Fatalf("hints %+v, want none", hs)
					}
					return
				}
				if len(hs) != 1 || hs[0].ID != tc.want || hs[0].Reason != tc.why {
					t.Fatalf("hints %+v, want #%d (%s)", hs, tc.want, tc.why)
				}
			})
		}
		if hs, _ := DuplicateHints(ctx, d.Client, ContactInput{FirstName: "Miriam", LastName: "Klein"}, klein); len(hs) != 0 {
			t.Errorf("a contact is its own duplicate: %+v", hs)
		}
		twin, err := w.Create(ctx, ContactInput{FirstName: "Miriam", LastName: "Klein", Emails: []EmailInput{{Address: "MIRIAM.KLEIN@sz.example"}}})
		if err == nil {
			scan, err := ScanDuplicates(ctx, d.Client)
			if err != nil {
				t.Fatal(err)
			}
			if len(scan.Pairs) != 1 || scan.Pairs[0].A != klein || scan.Pairs[0].B != twin || scan.Contacts != 3 {
				t.Fatalf("scan %+v", scan)
			}
		} else {
			t.Fatalf("second Miriam Klein: %v", err)
		}
	})
}
