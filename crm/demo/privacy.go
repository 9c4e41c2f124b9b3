package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// demoNoticeMethods are how people were told we hold their data (Art. 14).
var demoNoticeMethods = []string{"E-Mail mit Datenschutzhinweis nach Art. 14 DSGVO", "Hinweis im ersten Anschreiben",
	"Datenschutzhinweis per Post", "Hinweis im Telefonat, Link per E-Mail nachgereicht"}

// writePrivacy records data protection through the contact writer and the
// privacy desk, as the team would: Art. 14 notices, do-not-contact set by
// staff on request and one lifted by a manager with a reason, an objection,
// an open access request, and the retention sweep's review list. The
// consent events of the contacts' creation are dated to their consent.
func (g *demoGen) writePrivacy(ctx context.Context, client *ent.Client, _ *Stats) error {
	if len(g.ids) == 0 {
		return nil
	}
	staff := crm.WithActor(ctx, crm.Actor{UserID: g.users[3], Name: demoUserList[3].name, Role: demoUserList[3].role, RequestID: "demo"})
	manager := crm.WithActor(ctx, crm.Actor{UserID: g.users[1], Name: demoUserList[1].name, Role: demoUserList[1].role, RequestID: "demo"})
	r := g.rng(9)
	yes, no := true, false
	for k := 0; k < min(len(g.ids), 60); k++ {
		id := g.ids[(k*37)%len(g.ids)]
		at := g.base.AddDate(0, 0, -r.IntN(400))
		note := crm.PrivacyNote{Notice: &crm.Notice{At: at, Method: demoNoticeMethods[r.IntN(len(demoNoticeMethods))]}}
		if err := g.writer.RecordConsent(staff, id, crm.ConsentChange{Note: note}); err != nil {
			return fmt.Errorf("demo: notice: %w", err)
		}
	}
	dnc := []crm.ConsentChange{
		{DoNotContact: &yes, Source: "Anruf in der Redaktion", Note: crm.PrivacyNote{Evidence: "Bat telefonisch, nicht mehr angeschrieben zu werden"}},
		{DoNotContact: &yes, Source: "Antwort auf Pressemitteilung", Note: crm.PrivacyNote{Evidence: "„Bitte streichen Sie mich aus Ihrem Verteiler.“"}},
		{ConsentState: "objected", Source: "E-Mail an datenschutz@", Note: crm.PrivacyNote{Evidence: "Widerspruch nach Art. 21 DSGVO per E-Mail vom Vortag"}},
	}
	for k, ch := range dnc {
		if err := g.writer.RecordConsent(staff, g.ids[(k*101+7)%len(g.ids)], ch); err != nil {
			return fmt.Errorf("demo: do-not-contact: %w", err)
		}
	}
	lift := g.ids[7%len(g.ids)]
	if err := g.writer.RecordConsent(manager, lift, crm.ConsentChange{DoNotContact: &no,
		Note: crm.PrivacyNote{Reason: "Hat sich auf der re:publica persönlich wieder für Einladungen angemeldet"}}); err != nil {
		return fmt.Errorf("demo: lift: %w", err)
	}
	// A double opt-in of someone who neither objected nor asked not to be
	// contacted, in the second half of the demo's contacts (a range, not
	// an IN list: 100,000 ids exceed every database's parameter limit).
	optin, err := client.Contact.Query().Where(contact.IDLTE(slices.Max(g.ids)), contact.DoNotContact(false),
		contact.ConsentStateNotIn(contact.ConsentStateObjected, contact.ConsentStateWithdrawn), contact.IDGTE(g.ids[len(g.ids)/2])).
		Order(contact.ByID()).FirstID(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	if err == nil {
		if err := g.writer.RecordConsent(staff, optin, crm.ConsentChange{LawfulBasis: "consent", ConsentState: "given", Source: "Newsletter-Anmeldung (Double-Opt-in)",
			Note: crm.PrivacyNote{Evidence: "https://presse.example.de/newsletter/bestaetigt?id=48213", WordingVersion: "Einwilligungstext v3 (März 2026)"}}); err != nil {
			return fmt.Errorf("demo: opt-in: %w", err)
		}
	}
	// The creation events carry the contacts' consent dates.
	if _, err := client.ExecContext(ctx, `UPDATE consent_events SET at = (SELECT COALESCE(c.consent_at, c.created_at) FROM contacts c
		WHERE c.id = consent_events.contact_id) WHERE actor_id IS NULL`); err != nil {
		return fmt.Errorf("demo: consent dates: %w", err)
	}
	p := crm.NewPrivacy(&db.DB{Client: client, Dialect: g.dialect}, g.writer, nil)
	if _, err := p.RequestAccess(manager, g.ids[(len(g.ids)/3)%len(g.ids)]); err != nil {
		return fmt.Errorf("demo: access request: %w", err)
	}
	// One legitimate-interest contact nobody has spoken to since it came in
	// three years ago (backdated like the rest of the demo): on the review list.
	stale, err := client.Contact.Query().Where(contact.LawfulBasisEQ(contact.LawfulBasisLegitimateInterest), contact.LastInteractionAtIsNil()).
		Order(contact.ByID()).FirstID(ctx)
	if err == nil {
		if _, err := client.ExecContext(ctx, demoSQL(g.dialect, "UPDATE contacts SET created_at = ? WHERE id = ?"), g.now.AddDate(-3, 0, 0), stale); err != nil {
			return fmt.Errorf("demo: stale contact: %w", err)
		}
	} else if !ent.IsNotFound(err) {
		return err
	}
	if _, err := p.Sweep(manager); err != nil {
		return fmt.Errorf("demo: retention sweep: %w", err)
	}
	return nil
}

// demoSQL numbers the ? placeholders for PostgreSQL.
func demoSQL(dia, q string) string {
	if dia != "postgres" {
		return q
	}
	out, n := []byte{}, 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, fmt.Sprintf("$%d", n)...)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}
