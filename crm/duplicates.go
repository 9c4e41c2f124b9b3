package crm

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
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

	keys *nameKeys // the names' comparison keys, worked out once (prepare)
}

// nameKeys are a person's names as the scoring compares them.
type nameKeys struct {
	first, last, kFirst, kLast string // nameKey and Koelner of each
}

func (p *DupPerson) names() *nameKeys {
	if p.keys == nil {
		p.keys = &nameKeys{first: nameKey(p.First), last: nameKey(p.Last), kFirst: Koelner(p.First), kLast: Koelner(p.Last)}
	}
	return p.keys
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
	scoreEmail        = 100
	scoreHandle       = 90
	scorePhone        = 70
	scoreSameName     = 40
	scoreSwapped      = 40
	scoreSoundsAlike  = 30
	scoreSharedOutlet = 20
	// A name alone (the same, or swapped) is not enough in a large address
	// book: it takes a second piece of evidence (an outlet, a phone, …).
	DuplicateThreshold = 50
	// MaxDuplicateBlock bounds the pairs one blocking key makes: a key shared
	// by more contacts ("Müller Thomas") says little and would make the scan
	// quadratic; its pairs are left to the stronger keys.
	MaxDuplicateBlock = 20
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
	blocks := make(map[string][]int32, 4*len(people)) // about four keys a person: grown once, not rehashed on the way
	for i := range people {
		for _, k := range blockKeys(&people[i]) {
			blocks[k] = append(blocks[k], int32(i))
		}
	}
	seen := map[[2]int32]bool{}
	var out []DuplicatePair
	for _, idx := range blocks {
		if len(idx) < 2 || len(idx) > MaxDuplicateBlock {
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
	nk := p.names()
	f, l := nk.kFirst, nk.kLast
	if l != "" {
		a, b := f, l
		if a > b {
			a, b = b, a
		}
		keys = append(keys, "n:"+a+"|"+b) // either order: swapped names meet
		for _, o := range p.Outlets {
			keys = append(keys, "o:"+strconv.Itoa(o)+"|"+l)
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
	ak, bk := a.names(), b.names()
	af, al, bf, bl := ak.first, ak.last, bk.first, bk.last
	similar := true
	switch {
	case al != "" && af == bf && al == bl:
		p.Score += scoreSameName
		p.Evidence = append(p.Evidence, "same name")
	case al != "" && af == bl && al == bf:
		p.Score += scoreSwapped
		p.Evidence = append(p.Evidence, "first and last name swapped")
	case al != "" && ak.kLast == bk.kLast && (ak.kFirst == bk.kFirst || initialOf(af, bf)):
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
	if e, ok := fastE164(number); ok {
		return e
	}
	n, err := phonenumbers.Parse(number, "DE")
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// LoadDupPeople reads what the scan compares of every contact: one query
// per table (contacts, e-mails, channels, jobs), each a sequential read,
// joined in memory by the contact's position.
func LoadDupPeople(ctx context.Context, client *ent.Client) ([]DupPerson, error) {
	cs, err := client.Contact.Query().Order(ent.Asc(contact.FieldID)).
		Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName, contact.FieldPhones).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("duplicates: load contacts: %w", err)
	}
	out := make([]DupPerson, len(cs))
	at := make(map[int]int, len(cs))
	for i, c := range cs {
		p := DupPerson{ID: c.ID, First: c.FirstName, Last: c.LastName}
		for _, ph := range c.Phones {
			if e := E164(ph.Number); e != "" {
				p.Phones = append(p.Phones, e)
			}
		}
		out[i], at[c.ID] = p, i
		cs[i] = nil
	}
	es, err := client.ContactEmail.Query().Select(contactemail.FieldContactID, contactemail.FieldAddress).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("duplicates: load e-mails: %w", err)
	}
	for _, e := range es {
		if i, ok := at[e.ContactID]; ok {
			out[i].Emails = append(out[i].Emails, NormalizeEmail(e.Address))
		}
	}
	ss, err := client.SocialProfile.Query().Select(socialprofile.FieldContactID, socialprofile.FieldPlatform, socialprofile.FieldHandle).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("duplicates: load channels: %w", err)
	}
	for _, s := range ss {
		if i, ok := at[s.ContactID]; ok {
			out[i].Handles = append(out[i].Handles, string(s.Platform)+"/"+s.Handle)
		}
	}
	js, err := client.Employment.Query().Select(employment.FieldContactID, employment.FieldOutletID).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("duplicates: load outlets: %w", err)
	}
	for _, j := range js {
		if i, ok := at[j.ContactID]; ok {
			out[i].Outlets = append(out[i].Outlets, j.OutletID)
		}
	}
	return out, nil
}

// fastE164 writes the common German forms (+49 89 …, 0049 89 …, 089 …)
// without the library's full parse, which costs the scan of 100,000
// contacts seconds; anything else (letters, extensions, short numbers) goes
// to phonenumbers.
func fastE164(number string) (string, bool) {
	var d []byte
	plus := false
	for i := 0; i < len(number); i++ {
		switch c := number[i]; {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == '+' && len(d) == 0 && !plus:
			plus = true
		case c == ' ' || c == '-' || c == '/' || c == '(' || c == ')' || c == '.':
		default:
			return "", false
		}
	}
	switch {
	case plus && len(d) >= 8 && d[0] != '0':
		return "+" + string(d), true
	case !plus && len(d) >= 10 && d[0] == '0' && d[1] == '0' && d[2] != '0':
		return "+" + string(d[2:]), true
	case !plus && len(d) >= 7 && d[0] == '0' && d[1] != '0':
		return "+49" + string(d[1:]), true
	}
	return "", false
}
