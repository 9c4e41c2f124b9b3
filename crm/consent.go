package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// ConsentState is a contact's data-protection state: what the contact's
// columns hold and what its consent events add up to.
type ConsentState struct {
	LawfulBasis, ConsentState, Source string
	DoNotContact                      bool
	NotifiedAt                        *time.Time
}

// DefaultConsentState is where every contact's history starts: the schema's
// defaults, so a contact created with them needs no event.
func DefaultConsentState() ConsentState {
	return ConsentState{LawfulBasis: string(contact.DefaultLawfulBasis), ConsentState: string(contact.DefaultConsentState)}
}

// DeriveConsent folds events (oldest first) into the state they leave.
func DeriveConsent(evs []*ent.ConsentEvent) ConsentState {
	st := DefaultConsentState()
	for _, e := range evs {
		st.LawfulBasis, st.ConsentState, st.Source, st.DoNotContact = string(e.LawfulBasis), string(e.ConsentState), e.Source, e.DoNotContact
		if e.NoticeAt != nil {
			t := *e.NoticeAt
			st.NotifiedAt = &t
		}
	}
	return st
}

// ConsentHistory is a contact's consent events, oldest first (the oldest
// 1,000): the card's consent branches alone (the contact page reads them
// with the card).
func ConsentHistory(ctx context.Context, client *ent.Client, id int) ([]*ent.ConsentEvent, error) {
	p, err := panelQuery(ctx, client, consentBranches, id)
	if err != nil {
		return nil, fmt.Errorf("consent history of contact %d: %w", id, err)
	}
	return p.consentEvents(), nil
}

// ConsentChange is a change of lawful basis, consent, do-not-contact or an
// Art. 14 notice that someone records on a contact (the contact page's
// consent form and the manager's lift): empty fields keep what is stored.
type ConsentChange struct {
	LawfulBasis, ConsentState, Source string
	DoNotContact                      *bool
	Note                              PrivacyNote
}

// RecordConsent applies ch to contact id through the writer, as a save of
// the stored contact with only these fields changed: the writer records the
// consent event and enforces who may lift what.
func (w *ContactWriter) RecordConsent(ctx context.Context, id int, ch ConsentChange) error {
	return db.WithTx(ctx, w.client, func(ctx context.Context, tx *ent.Tx) error {
		ins, err := w.LoadContactInputs(ctx, tx.Client(), []int{id})
		if err != nil {
			return err
		}
		in, ok := ins[id]
		if !ok {
			return errGone
		}
		if ch.LawfulBasis != "" {
			in.LawfulBasis = ch.LawfulBasis
		}
		if ch.ConsentState != "" {
			in.ConsentState = ch.ConsentState
		}
		if s := strings.TrimSpace(ch.Source); s != "" {
			in.ConsentSource = s
		}
		if ch.DoNotContact != nil {
			in.DoNotContact = *ch.DoNotContact
		}
		if err := in.Check(); err != nil {
			return err
		}
		_, err = w.Write(ctx, tx, []ContactWrite{{ID: id, In: in, Privacy: ch.Note}}, WriteOptions{})
		return err
	})
}
