package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/brand"
)

// demoOwned is an owned channel of the demo: its client (a demo campaign's,
// or demoITClient), platform, handle, region, topic (index in demoTopics),
// responsible user (index in users), purpose, goals and starting followers.
type demoOwned struct {
	client, platform, handle, region string
	topic, owner                     int
	purpose, goals                   string
	followers                        int64
}

// demoITClient is the demo's IT client; it has owned channels, no campaign.
const demoITClient = "Isar Digital AG (München)"

const demoHealthClient = "Hanse Gesundheitskasse (Hamburg)"

// demoOwnedChannels: Bayern, Berlin and Hamburg × IT and Gesundheit, with
// Hamburg × IT left empty so the matrix shows a gap. Their region is on the
// matrix's axis, the contacts' region (the Bundesland the place rule gives a
// city), so a channel of the München office sits in Bayern.
var demoOwnedChannels = []demoOwned{
	{demoITClient, "linkedin", "isar-digital-muenchen", "Bayern", 0, 1, "jobs", "Entwicklerinnen und Entwickler in München gewinnen; 20 Bewerbungen pro Quartal.", 4200},
	{demoITClient, "x", "isardigital_muc", "Bayern", 0, 3, "news", "Produktneuheiten und Datenschutz-Themen schnell an Fachpresse und Kundschaft bringen.", 2600},
	{demoITClient, "instagram", "isardigital.team", "Bayern", 0, 3, "community", "Einblicke ins Team zeigen, Employer Branding stärken.", 1800},
	{demoITClient, "linkedin", "isar-digital-berlin", "Berlin", 0, 2, "news", "Behörden und Start-ups in Berlin als Zielgruppe erreichen.", 2100},
	{demoITClient, "x", "isardigital_ber", "Berlin", 0, 4, "service", "Fragen zur Cloud-Plattform innerhalb eines Werktags beantworten.", 950},
	{demoHealthClient, "linkedin", "hanse-gesundheitskasse", "Hamburg", 1, 1, "news", "Presse und Gesundheitspolitik mit Zahlen aus dem Norden versorgen.", 12500},
	{demoHealthClient, "x", "hansegk_presse", "Hamburg", 1, 4, "news", "Pressemitteilungen und Stellungnahmen am Tag der Veröffentlichung teilen.", 6800},
	{demoHealthClient, "instagram", "hansegesundheitskasse", "Hamburg", 1, 3, "marketing", "Vorsorge-App bekannt machen; 5.000 Downloads über Instagram bis Jahresende.", 15300},
	{demoHealthClient, "linkedin", "hanse-gesundheitskasse-berlin", "Berlin", 1, 2, "news", "Hauptstadtbüro: Kontakte zu Verbänden und Fachpresse pflegen.", 3900},
	{demoHealthClient, "instagram", "hansegk.berlin", "Berlin", 1, 4, "community", "Gesundheitstipps für junge Versicherte in Berlin.", 5200},
	{demoHealthClient, "x", "hansegk_sued", "Bayern", 1, 3, "service", "Versichertenfragen aus Bayern schnell beantworten.", 1400},
	{demoHealthClient, "linkedin", "hanse-gesundheitskasse-sued", "Bayern", 1, 1, "jobs", "Pflegekräfte und Beraterinnen für die Geschäftsstelle München finden.", 2300},
}

// demoFigureWeeks is how many weekly readings each owned channel has.
const demoFigureWeeks = 26

// writeOwned adds the clients' owned channels through crm.OwnedChannels and
// their weekly figures of the last half year through crm.ChannelFigures.Record,
// the paths the pages and the figures import use.
func (g *demoGen) writeOwned(ctx context.Context, client *ent.Client, _ *Stats) error {
	if len(g.users) < 5 || len(g.topicIDs) < 2 {
		return nil
	}
	actx := crm.WithActor(ctx, crm.Actor{UserID: g.users[1], Name: "demo", Role: "manager"})
	clock := func() time.Time { return g.now }
	brands := map[string]int{}
	for _, name := range []string{demoITClient, demoHealthClient} {
		b, err := client.Brand.Query().Where(brand.Name(name)).First(ctx)
		if ent.IsNotFound(err) {
			sels := crm.NewSelections(client, g.dialect, clock, nil, nil)
			b, err = crm.NewCampaigns(client, g.dialect, sels, clock).SaveBrand(actx, crm.BrandInput{Name: name,
				Notes: "Kunde seit 2024; betreut die eigenen Kanäle mit uns."})
		}
		if err != nil {
			return fmt.Errorf("demo client %q: %w", name, err)
		}
		brands[name] = b.ID
	}
	owned, figures := crm.NewOwnedChannels(client), crm.NewChannelFigures(client, clock)
	r := g.rng(11)
	for _, o := range demoOwnedChannels {
		ch, err := owned.Save(actx, 0, crm.OwnedChannelInput{BrandID: brands[o.client], TopicID: g.topicIDs[o.topic],
			OwnerID: g.users[o.owner], Platform: o.platform, Handle: o.handle, URL: demoOwnedURL(o.platform, o.handle),
			Region: o.region, Language: "de", Purpose: o.purpose, Goals: o.goals})
		if err != nil {
			return fmt.Errorf("demo owned channel %s: %w", o.handle, err)
		}
		// One import per channel: its audit event names that channel.
		file := fmt.Sprintf("kennzahlen-%s-%s.xlsx", o.platform, o.handle)
		if _, err := figures.Record(actx, g.ownedFigures(r, ch.ID, o), crm.MsgFiguresImport(file)); err != nil {
			return fmt.Errorf("demo channel figures of %s: %w", o.handle, err)
		}
	}
	return nil
}

// ownedFigures returns a channel's weekly readings, oldest first, each on a
// Monday morning relative to now: followers grow by 0.3–2.5 % a week with
// the odd dip; engagement, impressions and posts vary around the channel's level.
func (g *demoGen) ownedFigures(r *rand.Rand, id int, o demoOwned) []crm.FigureInput {
	monday := g.base.AddDate(0, 0, -((int(g.base.Weekday()) + 6) % 7)).Add(8 * time.Hour)
	if !monday.Before(g.now) {
		monday = monday.AddDate(0, 0, -7)
	}
	growth := 0.003 + r.Float64()*0.02
	rate := map[string]float64{"linkedin": 0.025, "x": 0.012, "instagram": 0.04}[o.platform]
	followers := float64(o.followers)
	out := make([]crm.FigureInput, 0, demoFigureWeeks)
	for k := demoFigureWeeks - 1; k >= 0; k-- {
		if k < demoFigureWeeks-1 {
			followers *= 1 + growth + (r.Float64()-0.3)*0.01
		}
		f := int64(math.Round(followers))
		posts := 2 + r.IntN(5)
		eng := int64(float64(f) * rate * (0.6 + r.Float64()*0.8) * float64(posts) / 4)
		imp := int64(float64(f) * (2 + r.Float64()*4) * float64(posts) / 4)
		out = append(out, crm.FigureInput{OwnedChannelID: id, At: monday.AddDate(0, 0, -7*k), Followers: f,
			Engagement: &eng, Impressions: &imp, Posts: &posts, Source: "import"})
	}
	return out
}

// demoOwnedURL is the address of an account on its platform.
func demoOwnedURL(platform, handle string) string {
	switch platform {
	case "linkedin":
		return "https://www.linkedin.com/company/" + handle
	case "x":
		return "https://x.com/" + handle
	case "instagram":
		return "https://www.instagram.com/" + handle
	}
	return ""
}
