package crm

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/rapport-crm/rapport/crm/sortkey"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// DupPerson is what the duplicate scan compares of a contact: compact, so
// that 100,000 of them fit in a few tens of megabytes.
type DupPerson struct {
	ID          int
	First, Last string
	Emails      []string // normalised
	Phones      []string // E.164
	Handles     []string // "platform/handle"
	Outlets     []int
}

// DuplicatePair is two contacts that may be one person, with the evidence.
type DuplicatePair struct {
	A, B     int // A < B
	Score    int
	Evidence []string
}

// DuplicateScan is the result of a scan, best candidates first.
type DuplicateScan struct {
	Contacts int
	Pairs    []DuplicatePair
	Took     time.Duration
}

// Scores of the evidence; a pair with at least DuplicateThreshold is listed.
const (
	scoreEmail         = 100
	scoreHandle        = 90
	scorePhone         = 70
	scoreSameName      = 40
	scoreSwapped       = 40
	scoreSoundsAlike   = 25
	scoreSharedOutlet  = 20
	DuplicateThreshold = 40
	// maxBlock bounds the pairs one blocking key makes: a key shared by more
	// contacts ("Müller Thomas") says little and would make the scan
	// quadratic; its pairs are left to the stronger keys.
	maxBlock = 50
)

// ScanDuplicates finds candidate pairs among all contacts: it groups them
// by blocking keys (e-mail, platform + handle, E.164 phone, the Kölner
// Phonetik of both names in either order, outlet + surname sound) and scores
// only pairs that share a key, never all pairs.
func ScanDuplicates(ctx context.Context, client *ent.Client) (*DuplicateScan, error) {
	start := time.Now()
	people, err := LoadDupPeople(ctx, client)
	if err != nil {
		return nil, err
	}
	pairs := BlockedPairs(people)
	return &DuplicateScan{Contacts: len(people), Pairs: pairs, Took: time.Since(start)}, nil
}

// BlockedPairs scores the pairs of people that share a blocking key.
func BlockedPairs(people []DupPerson) []DuplicatePair {
	blocks := map[string][]int32{}
	for i := range people {
		for _, k := range blockKeys(&people[i]) {
			blocks[k] = append(blocks[k], int32(i))
		}
	}
	seen := map[[2]int32]bool{}
	var out []DuplicatePair
	for _, idx := range blocks {
		if len(idx) < 2 || len(idx) > maxBlock {
			continue
		}
		for x := 0; x < len(idx); x++ {
			for y := x + 1; y < len(idx); y++ {
				k := [2]int32{min(idx[x], idx[y]), max(idx[x], idx[y])}
				if seen[k] {
					continue
				}
				seen[k] = true
				if p, ok := ScorePair(&people[k[0]], &people[k[1]]); ok {
					out = append(out, p)
				}
			}
		}
	}
	sortPairs(out)
	return out
}

// AllPairs scores every pair: the naive comparison the blocked scan is
// measured against (quadratic; for samples only).
func AllPairs(people []DupPerson) []DuplicatePair {
	var out []DuplicatePair
	for i := range people {
		for j := i + 1; j < len(people); j++ {
			if p, ok := ScorePair(&people[i], &people[j]); ok {
				out = append(out, p)
			}
		}
	}
	sortPairs(out)
	return out
}

func sortPairs(ps []DuplicatePair) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Score != ps[j].Score {
			return ps[i].Score > ps[j].Score
		}
		if ps[i].A != ps[j].A {
			return ps[i].A < ps[j].A
		}
		return ps[i].B < ps[j].B
	})
}

// blockKeys are the keys under which p is compared with others.
func blockKeys(p *DupPerson) []string {
	keys := make([]string, 0, len(p.Emails)+len(p.Handles)+len(p.Phones)+len(p.Outlets)+1)
	for _, e := range p.Emails {
		keys = append(keys, "e:"+e)
	}
	for _, h := range p.Handles {
		keys = append(keys, "h:"+h)
	}
	for _, ph := range p.Phones {
		keys = append(keys, "p:"+ph)
	}
	f, l := Koelner(p.First), Koelner(p.Last)
	if l != "" {
		a, b := f, l
		if a > b {
			a, b = b, a
		}
		keys = append(keys, "n:"+a+"|"+b) // either order: swapped names meet
		for _, o := range p.Outlets {
			keys = append(keys, fmt.Sprintf("o:%d|%s", o, l))
		}
	}
	return keys
}

// nameKey is a name as two spellings of it share: lower case, umlauts
// transliterated (Müller, Mueller → mueller), diacritics dropped.
func nameKey(s string) string { return sortkey.Key(transliterate(strings.TrimSpace(s))) }

// ScorePair scores a and b by their evidence; ok when it reaches the threshold.
func ScorePair(a, b *DupPerson) (DuplicatePair, bool) {
	p := DuplicatePair{A: min(a.ID, b.ID), B: max(a.ID, b.ID)}
	if e := shared(a.Emails, b.Emails); e != "" {
		p.Score += scoreEmail
		p.Evidence = append(p.Evidence, "same e-mail "+e)
	}
	if h := shared(a.Handles, b.Handles); h != "" {
		p.Score += scoreHandle
		platform, handle, _ := strings.Cut(h, "/")
		p.Evidence = append(p.Evidence, "same "+platform+" channel "+handle)
	}
	if ph := shared(a.Phones, b.Phones); ph != "" {
		p.Score += scorePhone
		p.Evidence = append(p.Evidence, "same phone "+ph)
	}
	af, al, bf, bl := nameKey(a.First), nameKey(a.Last), nameKey(b.First), nameKey(b.Last)
	similar := true
	switch {
	case al != "" && af == bf && al == bl:
		p.Score += scoreSameName
		p.Evidence = append(p.Evidence, "same name")
	case al != "" && af == bl && al == bf:
		p.Score += scoreSwapped
		p.Evidence = append(p.Evidence, "first and last name swapped")
	case al != "" && Koelner(a.Last) == Koelner(b.Last) && (Koelner(a.First) == Koelner(b.First) || initialOf(af, bf)):
		p.Score += scoreSoundsAlike
		p.Evidence = append(p.Evidence, "names sound alike (Kölner Phonetik)")
	default:
		similar = false
	}
	if similar && sharesInt(a.Outlets, b.Outlets) {
		p.Score += scoreSharedOutlet
		p.Evidence = append(p.Evidence, "same outlet")
	}
	return p, p.Score >= DuplicateThreshold
}

// initialOf reports whether one first name is the other's initial (M. Klein).
func initialOf(a, b string) bool {
	a, b = strings.TrimSuffix(a, "."), strings.TrimSuffix(b, ".")
	return (len(a) == 1 && strings.HasPrefix(b, a)) || (len(b) == 1 && strings.HasPrefix(a, b))
}

func shared(a, b []string) string {
	for _, x := range a {
		if slices.Contains(b, x) {
			return x
		}
	}
	return ""
}

func sharesInt(a, b []int) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// E164 is a phone number in E.164 (+4989123456), read as German when it has
// no country code; "" when it is no phone number.
func E164(number string) string {
	n, err := phonenumbers.Parse(number, "DE")
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// dupPage is how many contacts LoadDupPeople reads per query.
const dupPage = 5000

// LoadDupPeople reads what the scan compares of every contact, page by page
// in id order: names and phones from the contacts, then their e-mails,
// channels and outlets, a few queries per page.
func LoadDupPeople(ctx context.Context, client *ent.Client) ([]DupPerson, error) {
	var out []DupPerson
	after := 0
	for {
		cs, err := client.Contact.Query().Where(contact.IDGT(after)).Order(ent.Asc(contact.FieldID)).Limit(dupPage).
			Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName, contact.FieldPhones).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("duplicates: load contacts: %w", err)
		}
		if len(cs) == 0 {
			return out, nil
		}
		after = cs[len(cs)-1].ID
		base := len(out)
		at := make(map[int]int, len(cs))
		ids := make([]int, len(cs))
		for i, c := range cs {
			p := DupPerson{ID: c.ID, First: c.FirstName, Last: c.LastName}
			for _, ph := range c.Phones {
				if e := E164(ph.Number); e != "" {
					p.Phones = append(p.Phones, e)
				}
			}
			at[c.ID], ids[i] = base+i, c.ID
			out = append(out, p)
		}
		es, err := client.ContactEmail.Query().Where(contactemail.ContactIDIn(ids...)).
			Select(contactemail.FieldContactID, contactemail.FieldAddress).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("duplicates: load e-mails: %w", err)
		}
		for _, e := range es {
			if i, ok := at[e.ContactID]; ok {
				out[i].Emails = append(out[i].Emails, NormalizeEmail(e.Address))
			}
		}
		ss, err := client.SocialProfile.Query().Where(socialprofile.ContactIDIn(ids...)).
			Select(socialprofile.FieldContactID, socialprofile.FieldPlatform, socialprofile.FieldHandle).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("duplicates: load channels: %w", err)
		}
		for _, s := range ss {
			if i, ok := at[s.ContactID]; ok {
				out[i].Handles = append(out[i].Handles, string(s.Platform)+"/"+s.Handle)
			}
		}
		js, err := client.Employment.Query().Where(employment.ContactIDIn(ids...)).
			Select(employment.FieldContactID, employment.FieldOutletID).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("duplicates: load outlets: %w", err)
		}
		for _, j := range js {
			if i, ok := at[j.ContactID]; ok {
				out[i].Outlets = append(out[i].Outlets, j.OutletID)
			}
		}
	}
}
