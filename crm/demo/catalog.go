package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/topic"
	"github.com/rapport-crm/rapport/ent/user"
)

// demoNamed returns the ids of the rows named names, in order, creating those
// that query does not find, and how many it created.
func demoNamed[T any](names []string, query func(...string) ([]T, error), key func(T) (string, int),
	create func(string) (T, error)) ([]int, int, error) {
	have, err := query(names...)
	if err != nil {
		return nil, 0, err
	}
	ids := map[string]int{}
	for _, t := range have {
		name, id := key(t)
		ids[name] = id
	}
	out, made := make([]int, len(names)), 0
	for i, name := range names {
		id, ok := ids[name]
		if !ok {
			t, err := create(name)
			if err != nil {
				return nil, 0, err
			}
			_, id = key(t)
			made++
		}
		out[i] = id
	}
	return out, made, nil
}

// writeNamed finds or creates the demo users, topics and tags. The users share
// one password hash: argon2id is slow on purpose.
func (g *demoGen) writeNamed(ctx context.Context, client *ent.Client, st *Stats) error {
	var hash string
	emails := make([]string, len(demoUserList))
	for i, u := range demoUserList {
		emails[i] = u.email
	}
	var err error
	g.users, st.Users, err = demoNamed(emails,
		func(ns ...string) ([]*ent.User, error) {
			return client.User.Query().Where(user.EmailIn(ns...)).All(ctx)
		},
		func(u *ent.User) (string, int) { return u.Email, u.ID },
		func(email string) (*ent.User, error) {
			if hash == "" {
				if hash, err = crm.HashPassword(Password); err != nil {
					return nil, err
				}
			}
			u := demoUserList[slices.Index(emails, email)]
			return client.User.Create().SetEmail(email).SetName(u.name).SetRole(user.Role(u.role)).SetPasswordHash(hash).Save(ctx)
		})
	if err != nil {
		return fmt.Errorf("demo: users: %w", err)
	}
	g.topicIDs, st.Topics, err = demoNamed(demoTopics,
		func(ns ...string) ([]*ent.Topic, error) {
			return client.Topic.Query().Where(topic.NameIn(ns...)).All(ctx)
		},
		func(t *ent.Topic) (string, int) { return t.Name, t.ID },
		func(name string) (*ent.Topic, error) { return client.Topic.Create().SetName(name).Save(ctx) })
	if err != nil {
		return fmt.Errorf("demo: topics: %w", err)
	}
	g.tagIDs, st.Tags, err = demoNamed(demoTags,
		func(ns ...string) ([]*ent.Tag, error) { return client.Tag.Query().Where(tag.NameIn(ns...)).All(ctx) },
		func(t *ent.Tag) (string, int) { return t.Name, t.ID },
		func(name string) (*ent.Tag, error) { return client.Tag.Create().SetName(name).Save(ctx) })
	if err != nil {
		return fmt.Errorf("demo: tags: %w", err)
	}
	return nil
}

// demoOutletCount grows sublinearly: 150 for 1,000 contacts, at least 30, at most 3,000.
func demoOutletCount(contacts int) int {
	return min(3000, max(30, int(math.Round(150*math.Pow(float64(contacts)/1000, 0.7)))))
}

// writeOutlets generates and writes the outlets and indexes them by type.
func (g *demoGen) writeOutlets(ctx context.Context, client *ent.Client, st *Stats) error {
	r := g.rng(1)
	g.outlets = demoMakeOutlets(r, demoOutletCount(g.n))
	g.byType = map[string][]int{}
	for i, o := range g.outlets {
		g.byType[o.typ] = append(g.byType[o.typ], i)
	}
	for _, k := range demoKinds {
		w := make([]int, len(k.outletTypes))
		for i, t := range k.outletTypes {
			if len(g.byType[t]) > 0 {
				w[i] = k.outletWeights[i]
			}
		}
		g.kindOutletWeights = append(g.kindOutletWeights, w)
		g.kindWeights = append(g.kindWeights, k.weight)
	}
	g.cityIndex = map[string]int{}
	for i, c := range demoCities {
		g.cityIndex[c.name] = i
		g.cityWeights = append(g.cityWeights, c.weight)
	}
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		bulk := make([]*ent.OutletCreate, len(g.outlets))
		for i, o := range g.outlets {
			var audience int64
			if m, ok := demoAudience[o.typ]; ok {
				audience = int64(m * math.Exp(r.NormFloat64()))
			}
			desc := demoOutletLabel[o.typ]
			if o.region != "" {
				desc += " aus " + o.region
			}
			if o.topic >= 0 {
				desc += " mit Schwerpunkt " + demoTopics[o.topic]
			}
			created := g.ago(r, 730, 8*365)
			bulk[i] = tx.Outlet.Create().SetName(o.name).SetType(outlet.Type(o.typ)).SetWebsite("https://www." + o.domain).
				SetRegion(o.region).SetAudience(audience).SetDescription(desc + ".").SetCreatedAt(created).SetUpdatedAt(created)
		}
		return demoBulk(bulk, 9, func(b []*ent.OutletCreate) error {
			made, err := tx.Outlet.CreateBulk(b...).Save(ctx)
			for _, o := range made {
				g.outletIDs = append(g.outletIDs, o.ID)
			}
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("demo: outlets: %w", err)
	}
	st.Outlets = len(g.outlets)
	return nil
}

// demoMakeOutlets returns n outlets: the known ones (shuffled), then made-up
// ones with unique names.
func demoMakeOutlets(r *rand.Rand, n int) []demoOutlet {
	out := slices.Clone(demoKnownOutlets)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	if n <= len(out) {
		return out[:n]
	}
	seen := map[string]bool{}
	for _, o := range out {
		seen[o.name] = true
	}
	weights := make([]int, len(demoCities))
	for i, c := range demoCities {
		weights[i] = c.weight
	}
	for len(out) < n {
		typ := demoOutletTypes[demoWeighted(r, demoOutletWeights)]
		o, tld := demoNewOutlet(r, typ, weights)
		for try := 0; seen[o.name] && try < 10; try++ {
			o, tld = demoNewOutlet(r, typ, weights)
		}
		base := o.name
		for _, k := range r.Perm(len(demoOutletSuffixes)) {
			if !seen[o.name] {
				break
			}
			o.name = base + " " + demoOutletSuffixes[k]
		}
		for k := 2; seen[o.name]; k++ {
			o.name = base + " " + strconv.Itoa(k)
		}
		seen[o.name] = true
		o.domain = demoFold(o.name, "-") + tld
		out = append(out, o)
	}
	return out
}

// demoNewOutlet makes up an outlet of type typ for the long tail — a local
// paper or station, a topic medium, an agency or company, someone's own
// channel — and the top-level domain of its website.
func demoNewOutlet(r *rand.Rand, typ string, cityWeights []int) (demoOutlet, string) {
	ci, t := demoWeighted(r, cityWeights), r.IntN(len(demoTopics))
	city := demoCities[ci]
	o := demoOutlet{typ: typ, region: city.name, topic: t}
	switch formats := demoTopicFormat[typ]; {
	case typ == "newspaper":
		o.name, o.topic = demoCityAdj[ci]+" "+demoOf(r, demoPaperNouns), -1
	case typ == "radio" || typ == "tv":
		o.name, o.topic = map[string]string{"radio": "Radio ", "tv": "TV "}[typ]+city.name+" "+demoOf(r, []string{"Eins", "Plus", "Live", "Aktuell"}), -1
	case typ == "agency" || typ == "company":
		o.name = demoOf(r, demoLast) + " " + demoOf(r, demoOwnFormat[typ])
	case formats != nil && (typ != "podcast" || r.IntN(2) == 0):
		o.name = demoCompound(demoTopicPrefix[t], demoOf(r, formats))
		if r.IntN(3) > 0 {
			o.region = "" // national
		}
	default: // blog, youtube, podcast of one person
		who := demoOf(r, [][]string{demoMale, demoFemale}[r.IntN(2)])
		if strings.HasSuffix(who, "s") || strings.HasSuffix(who, "š") || strings.HasSuffix(who, "z") {
			who += "’"
		} else {
			who += "s"
		}
		o.name = who + " " + demoCompound(demoTopicPrefix[t], demoOf(r, demoOwnFormat[typ]))
	}
	return o, demoTLD[city.country]
}
