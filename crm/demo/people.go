package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/schema"
)

// demoContact is one generated contact with its relations; indexes point into
// the demo pools and the generated outlets.
type demoContact struct {
	kind, first, last, title, bio, stage, basis, consent, source string
	city                                                         demoCity
	langs                                                        []string
	phones                                                       []schema.Phone
	owner                                                        int
	dnc                                                          bool
	reach                                                        int64
	consentAt, lastAt                                            *time.Time
	created, updated                                             time.Time
	emails                                                       [][2]string // address, type
	channels                                                     []demoChannel
	jobs                                                         []demoJob
	topics, tags                                                 []int
}

// demoChannel is a generated social channel.
type demoChannel struct {
	platform, handle string
	followers        int64
	rate             *float64
	checked          time.Time
}

// demoJob is a generated employment; end is nil for a current job.
type demoJob struct {
	outlet int
	role   string
	start  time.Time
	end    *time.Time
}

// demoPerson is a name the demo gives a contact (the people twins
// duplicates), with the grammatical gender of its first name.
type demoPerson struct {
	first, last string
	gi          int // 0 male, 1 female
}

// contact generates contact i; rank orders the contacts for the lawful basis.
// as, when not nil, names the contact: its title, roles, bio and e-mail
// address follow that name, as they follow a drawn one.
func (g *demoGen) contact(r *rand.Rand, i, rank int, as *demoPerson) demoContact {
	ki, gi := demoWeighted(r, g.kindWeights), r.IntN(2) // gi: 0 male, 1 female
	if as != nil {
		gi = as.gi
	}
	k := demoKinds[ki]
	c := demoContact{kind: k.name, stage: g.stage[i], owner: demoWeighted(r, demoOwnerWeights), title: demoOf(r, k.titles)[gi]}
	c.first = demoOf(r, [][]string{demoMale, demoFemale}[gi])
	c.last = demoOf(r, demoLast)
	var lang string
	if r.IntN(100) < 30 {
		c.last, lang, _ = strings.Cut(demoOf(r, demoLastIntl), ":")
	}
	if as != nil {
		c.first, c.last = as.first, as.last
	}
	o := g.pickOutlet(r, ki)
	ci, ok := g.cityIndex[g.outlets[o].region]
	if !ok || r.IntN(100) >= 75 {
		ci = demoWeighted(r, g.cityWeights)
	}
	c.city = demoCities[ci]
	c.topics = []int{r.IntN(len(demoTopics))}
	if t := g.outlets[o].topic; t >= 0 && r.IntN(100) < 70 {
		c.topics[0] = t
	}
	c.topics = demoDistinct(r, c.topics, 1+r.IntN(3), len(demoTopics))
	c.tags = demoDistinct(r, nil, demoWeighted(r, []int{50, 35, 15}), len(demoTags))
	if k.name == "journalist" && r.IntN(100) < 40 {
		c.title += " " + demoTopics[c.topics[0]]
	}
	// Jobs: the current one, sometimes a side job or a former one.
	start := g.base.AddDate(0, 0, -365-r.IntN(14*365))
	c.jobs = []demoJob{{outlet: o, role: c.title, start: start}}
	if o2 := g.pickOutlet(r, ki); o2 != o && r.IntN(100) < 30 {
		j := demoJob{outlet: o2, role: demoOf(r, demoSideRoles)[gi], start: g.base.AddDate(0, 0, -30-r.IntN(5*365))}
		if r.IntN(2) == 0 {
			end := start.AddDate(0, 0, -r.IntN(90))
			j.role, j.start, j.end = c.title, end.AddDate(-1-r.IntN(6), 0, 0), &end
		}
		c.jobs = append(c.jobs, j)
	}
	// E-mail: first.last at the outlet, freelancers at a mail provider; sometimes a private one.
	first, last := demoFold(c.first, "-"), demoFold(c.last, "-")
	mailer := demoMailers[c.city.country]
	if strings.HasPrefix(c.title, "Frei") {
		c.emails = [][2]string{{g.uniqueEmail(first+"."+last, demoOf(r, mailer)), "private"}}
	} else {
		c.emails = [][2]string{{g.uniqueEmail(first+"."+last, g.outlets[o].domain), "work"}}
	}
	if r.IntN(100) < 35 {
		c.emails = append(c.emails, [2]string{g.uniqueEmail(first[:1]+last, demoOf(r, mailer)), "private"})
	}
	dial := demoDialCode[c.city.country]
	if np := demoWeighted(r, []int{30, 45, 25}); np > 0 {
		c.phones = append(c.phones, schema.Phone{Number: dial + " " + c.city.area + " " + demoDigits(r, 7), Label: "work"})
		if np > 1 {
			c.phones = append(c.phones, schema.Phone{Number: dial + " " + demoOf(r, demoMobile[c.city.country]) + " " + demoDigits(r, 8), Label: "mobile"})
		}
	}
	c.langs = []string{"de"}
	if lang != "" && r.IntN(100) < 60 {
		c.langs = append(c.langs, lang)
	}
	if lang != "en" && r.IntN(100) < 40 {
		c.langs = append(c.langs, "en")
	}
	g.channels(r, &c, i)
	c.bio = g.bio(r, &c, k, gi)
	// Dates: created before the first interaction; consent in between. A
	// contact nobody was in touch with yet was added lately, mostly within
	// its stage's cadence (a team does not sit on years-old untouched leads).
	c.created = g.ago(r, 1, crm.DefaultStages.Cadence(c.stage)*6/5)
	c.updated = c.created
	if g.count[i] > 0 {
		c.created = time.Unix(g.first[i], 0).UTC().AddDate(0, 0, -1-r.IntN(120))
		last := time.Unix(g.last[i], 0).UTC()
		c.lastAt, c.updated = &last, last
	}
	c.basis, c.consent = "legitimate_interest", "none"
	switch q := (float64(rank) + 0.5) / float64(g.n); {
	case q < 0.01:
		c.dnc = true
	case q < 0.80:
	case q < 0.95:
		c.basis, c.consent = "consent", "given"
	case q < 0.98:
		c.basis = "contract"
	case q < 0.99:
		c.basis, c.consent, c.dnc = "none", "withdrawn", true
	default:
		c.basis, c.consent, c.dnc = "none", "objected", true
	}
	if c.consent == "given" || c.consent == "withdrawn" {
		at := c.created.Add(time.Duration(r.Int64N(int64(g.base.Sub(c.created))))).Truncate(time.Second)
		c.consentAt, c.source = &at, demoOf(r, demoConsentSources)
		if at.After(c.updated) {
			c.updated = at
		}
	}
	return c
}

// pickOutlet picks an outlet of a type that kind ki works for, big ones more often.
func (g *demoGen) pickOutlet(r *rand.Rand, ki int) int {
	w := g.kindOutletWeights[ki]
	if slices.Max(w) == 0 {
		return r.IntN(len(g.outlets))
	}
	list := g.byType[demoKinds[ki].outletTypes[demoWeighted(r, w)]]
	u := r.Float64()
	return list[int(float64(len(list))*u*u)]
}

// channels adds 0–3 channels with log-normal followers (median about 2,000).
func (g *demoGen) channels(r *rand.Rand, c *demoContact, i int) {
	n := demoWeighted(r, []int{25, 35, 28, 12})
	switch c.kind {
	case "blogger", "creator":
		n = max(n, 1)
	}
	for len(c.channels) < n {
		p := schema.Platforms[demoWeighted(r, demoPlatformWeights)]
		switch {
		case len(c.channels) == 0 && c.kind == "blogger":
			p = "blog"
		case len(c.channels) == 0 && c.kind == "creator":
			p = demoOf(r, []string{"youtube", "podcast", "tiktok", "instagram"})
		}
		if slices.ContainsFunc(c.channels, func(ch demoChannel) bool { return ch.platform == p }) {
			continue
		}
		mu := math.Log(2000)
		if c.kind == "creator" {
			mu++
		}
		ch := demoChannel{platform: p, handle: g.handle(r, p, c.first, c.last, i),
			followers: int64(math.Exp(mu + 1.7*r.NormFloat64())), checked: g.ago(r, 1, 90)}
		if r.IntN(100) < 60 {
			rate := 0.06 * math.Pow(float64(ch.followers)+100, -0.12) * math.Exp(0.35*r.NormFloat64())
			rate = math.Round(min(0.3, max(0.002, rate))*10000) / 10000
			ch.rate = &rate
		}
		c.reach += ch.followers
		c.channels = append(c.channels, ch)
	}
}

// handle makes a normalised handle, unique per platform: when it is taken, the
// contact's number goes in (base handles have no digits, so that is unique).
func (g *demoGen) handle(r *rand.Rand, platform, first, last string, i int) string {
	f, l := demoFold(first, ""), demoFold(last, "")
	h := []string{f + l, f + "_" + l, f[:1] + l, l + "_" + f}[r.IntN(4)]
	switch platform {
	case "linkedin", "xing":
		h = f + "-" + l
	case "blog":
		h = f + "-" + l + ".de"
	case "podcast":
		h = l + "-podcast.de"
	case "newsletter":
		h = f + l + ".substack.com"
	case "mastodon":
		h += "@" + demoOf(r, []string{"mastodon.social", "chaos.social", "norden.social"})
	case "bluesky":
		h += ".bsky.social"
	}
	if g.handles[platform+" "+h] {
		cut, sep := strings.IndexAny(h, ".@"), ""
		if cut < 0 {
			cut = len(h)
		}
		if platform == "blog" || platform == "podcast" || platform == "newsletter" {
			sep = "-"
		}
		h = h[:cut] + sep + strconv.Itoa(i+1) + h[cut:]
	}
	g.handles[platform+" "+h] = true
	return h
}

// bio composes a German bio of 20–60 words.
func (g *demoGen) bio(r *rand.Rand, c *demoContact, k demoKind, gi int) string {
	vals := map[byte]string{'o': g.outlets[c.jobs[0].outlet].name, 't': demoTopicPhrase[c.topics[0]], 'c': c.city.name}
	parts := []string{demoCompound(demoTopicPrefix[c.topics[0]], k.noun[gi]) + " aus " + c.city.name + ".", demoFill(demoOf(r, demoBioRole), vals)}
	if slices.Contains(c.langs, "ar") {
		parts = append(parts, demoOf(r, demoBioArabic))
	}
	words, target := len(strings.Fields(strings.Join(parts, " "))), 20+r.IntN(41)
	for _, j := range r.Perm(len(demoBioExtra)) {
		if s := demoFill(demoBioExtra[j], vals); words < target && words+len(strings.Fields(s)) <= 60 {
			parts, words = append(parts, s), words+len(strings.Fields(s))
		}
	}
	if words < 60 && r.IntN(100) < 12 {
		parts = append(parts, demoOf(r, demoBioEmoji))
	}
	return strings.Join(parts, " ")
}

// uniqueEmail returns local@domain, numbered when the address is taken.
func (g *demoGen) uniqueEmail(local, domain string) string {
	a := local + "@" + domain
	for n := 2; g.emails[a]; n++ {
		a = local + strconv.Itoa(n) + "@" + domain
	}
	g.emails[a] = true
	return a
}
