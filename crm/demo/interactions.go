package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/schema"
)

// writeInteractions writes the planned interactions with their participations.
func (g *demoGen) writeInteractions(ctx context.Context, client *ent.Client, st *Stats) error {
	r := g.rng(4)
	vals := map[byte]string{}
	total := g.n + len(g.plan)
	for lo := 0; lo < len(g.plan); lo += demoTxInteractions {
		hi := min(lo+demoTxInteractions, len(g.plan))
		err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
			for k := lo; k < hi; k += demoMaxRows {
				bulk := make([]*ent.InteractionCreate, min(demoMaxRows, hi-k))
				for j := range bulk {
					bulk[j] = g.interaction(r, tx, g.plan[k+j], vals)
				}
				its, err := tx.Interaction.CreateBulk(bulk...).Save(ctx)
				if err != nil {
					return err
				}
				parts := make([]*ent.ParticipationCreate, 0, 2*len(its))
				for j, it := range its {
					p := g.plan[k+j]
					parts = append(parts, crm.Participations(tx.Participation, it, g.ids[p.a])...)
					if p.b >= 0 {
						parts = append(parts, crm.Participations(tx.Participation, it, g.ids[p.b])...)
					}
				}
				if err := tx.Participation.CreateBulk(parts...).Exec(ctx); err != nil {
					return err
				}
				g.opt.Progress(g.n+k+len(bulk), total)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("demo: interactions: %w", err)
		}
		st.Interactions = hi
	}
	return nil
}

var demoSentiments = []interaction.Sentiment{interaction.SentimentPositive, interaction.SentimentNeutral, interaction.SentimentNegative}

// interaction gives a planned interaction its type, direction, sentiment,
// author and text; writeInteractions adds its participations.
func (g *demoGen) interaction(r *rand.Rand, tx *ent.Tx, p demoPlanned, vals map[byte]string) *ent.InteractionCreate {
	typ := schema.InteractionTypes[demoWeighted(r, demoTypeWeights)]
	dir := interaction.DirectionOutbound
	if r.IntN(100) < demoInbound[typ] {
		dir = interaction.DirectionInbound
	}
	sentiment := []int{20, 72, 8}
	if typ == "coverage" || typ == "mention" {
		sentiment = []int{45, 45, 10}
	}
	author := g.users[g.owner[p.a]]
	if r.IntN(100) < 35 {
		author = g.users[demoWeighted(r, demoOwnerWeights)]
	}
	vals['p'], vals['t'], vals['o'], vals['e'] = demoOf(r, demoProducts), demoTopics[g.topic[p.a]], g.outlets[g.outlet[p.a]].name, demoOf(r, demoEvents)
	body := make([]string, 1+r.IntN(3))
	start := r.IntN(len(demoBodies))
	for j := range body {
		body[j] = demoFill(demoBodies[(start+5*j)%len(demoBodies)], vals)
	}
	at := time.Unix(p.at, 0).UTC()
	c := tx.Interaction.Create().SetType(interaction.Type(typ)).SetDirection(dir).SetOccurredAt(at).
		SetSubject(demoFill(demoOf(r, demoSubjects[typ]), vals)).SetBody(strings.Join(body, " ")).
		SetSentiment(demoSentiments[demoWeighted(r, sentiment)]).SetAuthorID(author).SetCreatedAt(at).SetUpdatedAt(at)
	if typ == "coverage" || typ == "mention" { // the article it refers to
		o := g.outlets[g.outlet[p.a]]
		domain := o.domain
		if domain == "" {
			domain = demoSlug(o.name) + ".de"
		}
		c.SetLinks([]string{fmt.Sprintf("https://www.%s/%s/%d", domain, demoSections[r.IntN(len(demoSections))], 100000+r.IntN(900000))})
	}
	return c
}

// demoSections are the paths of an outlet's article links.
var demoSections = []string{"wirtschaft", "digital", "kultur", "panorama", "technik", "gesundheit", "reise"}

// demoSlug is name as a host name: lower case, umlauts spelt out, other
// characters dropped, words joined by hyphens.
func demoSlug(name string) string {
	name = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue").Replace(strings.ToLower(name))
	var b strings.Builder
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }) {
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
	}
	if b.Len() == 0 {
		return "redaktion"
	}
	return b.String()
}
