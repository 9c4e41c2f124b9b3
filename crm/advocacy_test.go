package crm

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/contact"
)

// nominationFixture is a staff member who nominates and a manager who decides.
type nominationFixture struct {
	staff, manager context.Context
	client         *ent.Client
}

func newNominationFixture(t *testing.T, d *db.DB) *nominationFixture {
	t.Helper()
	ctx := context.Background()
	f := &nominationFixture{client: d.Client}
	for _, u := range []struct {
		ctx  *context.Context
		role string
	}{{&f.staff, RoleStaff}, {&f.manager, RoleManager}} {
		user, err := CreateUser(ctx, d.Client, UserInput{Email: u.role + "@example.com", Name: "Nina " + u.role, Role: u.role, Password: "a long test password"})
		if err != nil {
			t.Fatal(err)
		}
		*u.ctx = WithActor(ctx, Actor{UserID: user.ID, Name: user.Name, Role: u.role})
	}
	return f
}

// contact creates a contact at stage with an interaction (its health then
// depends on more than the stage).
func (f *nominationFixture) contact(t *testing.T, name, stage string) int {
	t.Helper()
	w := writerFor(f.client)
	id, err := w.Create(f.staff, ContactInput{FirstName: name, LastName: "Vogt", Stage: stage, LawfulBasis: "legitimate_interest", ConsentState: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LogInteraction(f.staff, f.client, ActorFrom(f.staff).UserID, InteractionInput{ContactIDs: []int{id}, Type: "call",
		Direction: "inbound", OccurredAt: timeNow().AddDate(0, 0, -40), Subject: "Anruf", Sentiment: "positive"}); err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *nominationFixture) nominate(t *testing.T, id int, kind string) int {
	t.Helper()
	n, err := Nominate(f.staff, f.client, id, NominationInput{Kind: kind, Reason: "Schreibt oft über uns"})
	if err != nil {
		t.Fatal(err)
	}
	return n.ID
}

// TestNominationApproval: an approved nomination moves the contact's stage
// (to advocate; a demotion to DemoteTo) with what every contact write does:
// one new version, health and touch-due as a recomputation gives them, one
// audit event on the contact ("nomination #12 approved: stage", the
// stage old → new) and one search change; the decision's own event on the
// nomination besides. A rejection moves nothing.
func TestNominationApproval(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newNominationFixture(t, d)
		ctx := context.Background()
		for _, tc := range []struct {
			name, kind, decision, from, to string
		}{
			{"ok_promote", "promote", "approve", "supporter", "advocate"},
			{"ok_demote", "demote", "approve", "advocate", DemoteTo},
			{"ok_rejected", "promote", "reject", "supporter", "supporter"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				id := f.contact(t, tc.name, "supporter")
				if tc.from == "advocate" { // an advocate by an approved nomination
					if _, err := Decide(f.manager, d.Client, f.nominate(t, id, "promote"), DecisionInput{Decision: "approve"}); err != nil {
						t.Fatal(err)
					}
				}
				nom := f.nominate(t, id, tc.kind)
				before := d.Client.Contact.GetX(ctx, id)
				since := lastEventID(t, ctx, d.Client)
				changes := d.Client.Change.Query().Where(change.ContactID(id)).CountX(ctx)

				if _, err := Decide(f.manager, d.Client, nom, DecisionInput{Decision: tc.decision, Comment: "Begründung"}); err != nil {
					t.Fatal(err)
				}
				c := d.Client.Contact.GetX(ctx, id)
				evs := d.Client.AuditEvent.Query().Where(auditevent.IDGT(since), auditevent.Entity(EntityContact)).AllX(ctx)
				moves := tc.from != tc.to
				wantVersion, wantEvents := before.Version, 0
				if moves {
					wantVersion, wantEvents = before.Version+1, 1
				}
				if string(c.Stage) != tc.to || c.Version != wantVersion {
					t.Errorf("stage %s version %d, want %s %d", c.Stage, c.Version, tc.to, wantVersion)
				}
				if len(evs) != wantEvents {
					t.Fatalf("%d audit events on the contact, want %d: %v", len(evs), wantEvents, describe(evs))
				}
				if moves {
					e := evs[0]
					if e.Action != ActionUpdate || *e.EntityID != id || e.Summary != fmt.Sprintf("nomination #%d approved: stage", nom) ||
						fmt.Sprint(e.Changes["stage"]) != fmt.Sprint([2]any{tc.from, tc.to}) || e.ActorID == nil || *e.ActorID != ActorFrom(f.manager).UserID {
						t.Errorf("audit event %s: %q %v by %v", e.Action, e.Summary, e.Changes, e.ActorID)
					}
					if n := d.Client.Change.Query().Where(change.ContactID(id)).CountX(ctx); n != changes+1 {
						t.Errorf("%d search changes, want %d", n, changes+1)
					}
				}
				if n := d.Client.AuditEvent.Query().Where(auditevent.IDGT(since), auditevent.Entity(EntityNomination)).CountX(ctx); n != 1 {
					t.Errorf("%d decision events, want 1", n)
				}
				// health and touch-due as a recomputation of the new stage has them
				err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
					st, err := loadStagesTx(ctx, tx)
					if err != nil {
						return err
					}
					return refreshHealth(ctx, tx, st, []int{id}, timeNow())
				})
				if err != nil {
					t.Fatal(err)
				}
				r := d.Client.Contact.GetX(ctx, id)
				if r.Health != c.Health || (r.TouchDueAt == nil) != (c.TouchDueAt == nil) ||
					(r.TouchDueAt != nil && !r.TouchDueAt.Equal(*c.TouchDueAt)) {
					t.Errorf("health %d due %v after the decision, a recomputation gives %d %v", c.Health, c.TouchDueAt, r.Health, r.TouchDueAt)
				}
				if moves && c.Health == before.Health && sameTime(c.TouchDueAt, before.TouchDueAt) {
					t.Errorf("health %d and due %v did not move with the stage", c.Health, c.TouchDueAt)
				}
			})
		}
	})
}

// TestNominationApprovalUnderConcurrentEdit: an approval and a save of the
// contact's form (opened before) run at once. Neither write is lost: the
// approval always lands (stage advocate), and the save either lands too
// (its bio kept beside the new stage) or is refused as stale (EConflict)
// because the approval came first.
func TestNominationApprovalUnderConcurrentEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newNominationFixture(t, d)
		ctx := context.Background()
		w := writerFor(d.Client)
		for i := range 6 {
			id := f.contact(t, fmt.Sprintf("Lena%d", i), "supporter")
			nom := f.nominate(t, id, "promote")
			ins, err := w.LoadContactInputs(ctx, nil, []int{id})
			if err != nil {
				t.Fatal(err)
			}
			in := ins[id]
			in.Bio = fmt.Sprintf("Bearbeitet %d", i)
			var wg sync.WaitGroup
			var decideErr, saveErr error
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, decideErr = Decide(f.manager, d.Client, nom, DecisionInput{Decision: "approve"})
			}()
			go func() {
				defer wg.Done()
				_, saveErr = w.Update(f.staff, id, in)
			}()
			wg.Wait()
			if decideErr != nil {
				t.Fatalf("round %d: the approval failed: %v", i, decideErr)
			}
			if saveErr != nil && ErrorCode(saveErr) != EConflict {
				t.Fatalf("round %d: save: %v", i, saveErr)
			}
			c := d.Client.Contact.GetX(ctx, id)
			if c.Stage != contact.StageAdvocate {
				t.Errorf("round %d: stage %s, the approval was lost", i, c.Stage)
			}
			if saveErr == nil && c.Bio != in.Bio {
				t.Errorf("round %d: bio %q, the save was lost", i, c.Bio)
			}
			if saveErr != nil && c.Bio == in.Bio {
				t.Errorf("round %d: the save was refused but its bio is stored", i)
			}
		}
	})
}

// TestStageRuleNeedsApprovedNomination: a write that names a nomination
// passes the advocate rule only when that nomination of this contact is an
// approved promotion, trusted or not; without one, a trusted write is
// left to its caller as before.
func TestStageRuleNeedsApprovedNomination(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newNominationFixture(t, d)
		w := writerFor(d.Client)
		id := f.contact(t, "Ole", "supporter")
		other := f.contact(t, "Pia", "supporter")
		open := f.nominate(t, id, "promote")
		approved := f.nominate(t, other, "promote")
		if _, err := Decide(f.manager, d.Client, approved, DecisionInput{Decision: "approve"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			nom  int
		}{{"err_open_nomination", open}, {"err_nomination_of_another_contact", approved}} {
			err := db.WithTx(f.manager, d.Client, func(ctx context.Context, tx *ent.Tx) error {
				ins, err := w.LoadContactInputs(ctx, tx.Client(), []int{id})
				if err != nil {
					return err
				}
				in := ins[id]
				in.Stage = "advocate"
				_, err = w.Write(ctx, tx, []ContactWrite{{ID: id, In: in, Nomination: tc.nom}}, WriteOptions{Trusted: true})
				return err
			})
			if fieldErrors(err)["stage"] == "" {
				t.Errorf("%s: %v, want the stage refused", tc.name, err)
			}
		}
		if c := d.Client.Contact.GetX(context.Background(), id); c.Stage != "supporter" {
			t.Errorf("stage %s after refused writes", c.Stage)
		}
	})
}
