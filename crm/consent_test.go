package crm

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/consentevent"
)

// TestConsentHistory: every change of basis, consent or do-not-contact is a
// consent event with source, evidence, wording and who; only a manager with
// a reason lifts do-not-contact or an objection (a trusted write by anyone
// else keeps the flag); and the contacts' columns agree with the state their
// events add up to.
func TestConsentHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		staff := WithActor(ctx, Actor{UserID: 7, Name: "Murat Yilmaz", Role: RoleStaff})
		manager := WithActor(ctx, Actor{UserID: 8, Name: "Katrin Vogel", Role: RoleManager})

		plain, err := w.Create(staff, countContact())
		if err != nil {
			t.Fatal(err)
		}
		in := countContact()
		in.Emails, in.Channels = []EmailInput{{Address: "anna@example.com"}}, nil
		in.LawfulBasis, in.ConsentState, in.ConsentSource = "consent", "given", "Webformular Newsletter"
		id, err := w.CreateNoted(staff, in, PrivacyNote{Evidence: "https://example.com/optin/123", WordingVersion: "v3 2026-01"})
		if err != nil {
			t.Fatal(err)
		}
		if n := d.Client.ConsentEvent.Query().Where(consentevent.ContactID(plain)).CountX(ctx); n != 0 {
			t.Errorf("a contact created with the defaults has %d consent events, want 0", n)
		}
		evs, _ := ConsentHistory(ctx, d.Client, id)
		if len(evs) != 1 || evs[0].Source != "Webformular Newsletter" || evs[0].WordingVersion != "v3 2026-01" ||
			evs[0].Evidence != "https://example.com/optin/123" || evs[0].ActorName != "Murat Yilmaz" || string(evs[0].ConsentState) != "given" {
			t.Fatalf("create event %+v", evs)
		}

		yes, no := true, false
		if err := w.RecordConsent(staff, id, ConsentChange{DoNotContact: &yes, Source: "Anruf"}); err != nil {
			t.Fatal(err)
		}
		err = w.RecordConsent(staff, id, ConsentChange{DoNotContact: &no, Note: PrivacyNote{Reason: "asked again"}})
		if fieldErrors(err)["do_not_contact"] == "" {
			t.Errorf("staff lifted do-not-contact: %v", err)
		}
		err = w.RecordConsent(manager, id, ConsentChange{DoNotContact: &no})
		if fieldErrors(err)["lift_reason"] == "" {
			t.Errorf("a manager lifted do-not-contact without a reason: %v", err)
		}
		if err := w.RecordConsent(manager, id, ConsentChange{DoNotContact: &no, Note: PrivacyNote{Reason: "Bittet per E-Mail um Einladungen"}}); err != nil {
			t.Fatal(err)
		}
		evs, _ = ConsentHistory(ctx, d.Client, id)
		last := evs[len(evs)-1]
		if len(evs) != 3 || !slices.Contains(last.Changed, ChangedLift) || last.Reason != "Bittet per E-Mail um Einladungen" || last.ActorName != "Katrin Vogel" {
			t.Errorf("lift event %+v (of %d)", last, len(evs))
		}

		// An objection, then a trusted write (an import) by staff that would lift it: kept.
		if err := w.RecordConsent(staff, id, ConsentChange{ConsentState: "objected"}); err != nil {
			t.Fatal(err)
		}
		err = db.WithTx(staff, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			ins, err := w.LoadContactInputs(ctx, tx.Client(), []int{id})
			if err != nil {
				return err
			}
			x := ins[id]
			x.ConsentState, x.Title = "given", "Ressortleiterin"
			_, err = w.Write(ctx, tx, []ContactWrite{{ID: id, In: x}}, WriteOptions{Trusted: true})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		c := d.Client.Contact.GetX(ctx, id)
		if c.ConsentState != "objected" || c.Title != "Ressortleiterin" {
			t.Errorf("trusted write by staff: consent %s title %q, want the objection kept and the title saved", c.ConsentState, c.Title)
		}
		at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		if err := w.RecordConsent(staff, plain, ConsentChange{Note: PrivacyNote{Notice: &Notice{At: at, Method: "E-Mail mit Datenschutzhinweis"}}}); err != nil {
			t.Fatal(err)
		}
		assertConsentAgrees(t, d.Client)
	})
}

// assertConsentAgrees checks every contact's columns against its events.
func assertConsentAgrees(t *testing.T, client *ent.Client) {
	t.Helper()
	ctx := context.Background()
	for _, c := range client.Contact.Query().AllX(ctx) {
		evs, err := ConsentHistory(ctx, client, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := DeriveConsent(evs)
		want := ConsentState{LawfulBasis: string(c.LawfulBasis), ConsentState: string(c.ConsentState), Source: c.ConsentSource,
			DoNotContact: c.DoNotContact, NotifiedAt: c.NotifiedAt}
		if got.LawfulBasis != want.LawfulBasis || got.ConsentState != want.ConsentState || got.Source != want.Source ||
			got.DoNotContact != want.DoNotContact || (got.NotifiedAt == nil) != (want.NotifiedAt == nil) ||
			(got.NotifiedAt != nil && !got.NotifiedAt.Equal(*want.NotifiedAt)) {
			t.Errorf("contact %d: columns %+v, events say %+v", c.ID, want, got)
		}
	}
}

// fieldErrors is the field messages of err, or nil.
func fieldErrors(err error) map[string]string {
	if e, ok := err.(*Error); ok {
		return e.Fields
	}
	return nil
}
