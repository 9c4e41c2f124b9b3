package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/consentevent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// PrivacyNote is what a write says about a change of lawful basis, consent
// or do-not-contact beyond the new state: the evidence (a text or a link),
// the wording version agreed to, the reason for lifting do-not-contact or
// an objection, and an Art. 14 notice. The writer records it on the consent
// event it writes for the change.
type PrivacyNote struct {
	Evidence, WordingVersion, Reason string
	Notice                           *Notice // the person was told we hold their data
}

// Notice says when and how a person was told that we hold their data (Art. 14).
type Notice struct {
	At     time.Time
	Method string // e.g. "E-Mail mit Datenschutzhinweis"
}

// Kinds of change a consent event lists.
const (
	ChangedBasis   = "basis"
	ChangedConsent = "consent"
	ChangedSource  = "source"
	ChangedDNC     = "do_not_contact"
	ChangedNotice  = "notice"
	ChangedLift    = "lift"
)

// Lengths of a privacy note's texts.
const (
	maxConsentEvidence = 2000
	maxWording         = 100
	maxLiftReason      = 1000
)

// lifts reports whether going from a to b lifts do-not-contact or an objection.
func lifts(a, b ContactInput) bool {
	return (a.DoNotContact && !b.DoNotContact) ||
		(a.ConsentState == string(contact.ConsentStateObjected) && b.ConsentState != string(contact.ConsentStateObjected))
}

// checkLift is the rule for lifting do-not-contact or an objection: anyone
// may set them, only a manager (or an admin) may lift them, and only with a
// reason. It is the one place the rule lives: the form, the import, the
// revert and every later writer pass through ContactWriter.Write.
func checkLift(ctx context.Context, note PrivacyNote) error {
	role := ActorFrom(ctx).Role
	fe := FieldErrors{}
	if role != RoleManager && role != RoleAdmin {
		fe.Add("do_not_contact", "Only a manager can lift do-not-contact or an objection.")
	} else if strings.TrimSpace(note.Reason) == "" {
		fe.Add("lift_reason", "Give the reason for lifting do-not-contact or the objection.")
	}
	return fe.Err()
}

// keepFlags is b with a's do-not-contact and objection kept where b would
// lift them: what a trusted write (an import, a revert) by someone who may
// not lift them stores instead.
func keepFlags(a, b ContactInput) ContactInput {
	if a.DoNotContact {
		b.DoNotContact = true
	}
	if a.ConsentState == string(contact.ConsentStateObjected) {
		b.ConsentState = a.ConsentState
	}
	return b
}

func (n PrivacyNote) check() error {
	fe := FieldErrors{}
	if len([]rune(n.Evidence)) > maxConsentEvidence {
		fe.Add("consent_evidence", fmt.Sprintf("At most %d characters.", maxConsentEvidence))
	}
	if len([]rune(n.WordingVersion)) > maxWording {
		fe.Add("wording_version", fmt.Sprintf("At most %d characters.", maxWording))
	}
	if len([]rune(n.Reason)) > maxLiftReason {
		fe.Add("lift_reason", fmt.Sprintf("At most %d characters.", maxLiftReason))
	}
	if n.Notice != nil && len([]rune(n.Notice.Method)) > maxLine {
		fe.Add("notice_method", fmt.Sprintf("At most %d characters.", maxLine))
	}
	return fe.Err()
}

// consentChange is a consent event the batch writes.
type consentChange struct {
	i       int // index in the batch (a new contact's id is known after the insert)
	id      int
	in      ContactInput
	note    PrivacyNote
	changed []string
}

// planConsent works out the consent event of write i: what changed between
// from (nil for a new contact, whose history starts at the defaults) and
// x.In. A new contact with the default state and no notice has no event:
// its state is the history's start.
func planConsent(i int, from *ContactInput, x ContactWrite) *consentChange {
	a := ContactInput{LawfulBasis: string(contact.DefaultLawfulBasis), ConsentState: string(contact.DefaultConsentState)}
	if from != nil {
		a = *from
	}
	b := x.In
	var ch []string
	if a.LawfulBasis != b.LawfulBasis {
		ch = append(ch, ChangedBasis)
	}
	if a.ConsentState != b.ConsentState {
		ch = append(ch, ChangedConsent)
	}
	if a.ConsentSource != b.ConsentSource {
		ch = append(ch, ChangedSource)
	}
	if a.DoNotContact != b.DoNotContact {
		ch = append(ch, ChangedDNC)
	}
	if lifts(a, b) {
		ch = append(ch, ChangedLift)
	}
	if x.Privacy.Notice != nil {
		ch = append(ch, ChangedNotice)
	}
	if len(ch) == 0 {
		return nil
	}
	return &consentChange{i: i, id: x.ID, in: b, note: x.Privacy, changed: ch}
}

// writeConsent writes the batch's consent events, attributed to the actor
// of ctx, and moves the contacts' notice date with them (the consent date
// moves with the contact's row: updateContact).
func (p *writePlan) writeConsent(ctx context.Context) error {
	if len(p.consent) == 0 {
		return nil
	}
	a := ActorFrom(ctx)
	bulk := make([]*ent.ConsentEventCreate, 0, len(p.consent))
	for _, c := range p.consent {
		if c.id == 0 {
			c.id = p.written[c.i]
		}
		if c.id == 0 {
			continue
		}
		e := p.tx.ConsentEvent.Create().SetContactID(c.id).SetAt(p.now).SetChanged(c.changed).
			SetLawfulBasis(consentevent.LawfulBasis(c.in.LawfulBasis)).SetConsentState(consentevent.ConsentState(c.in.ConsentState)).
			SetDoNotContact(c.in.DoNotContact).SetSource(c.in.ConsentSource).SetEvidence(c.note.Evidence).
			SetWordingVersion(c.note.WordingVersion).SetReason(c.note.Reason)
		if a.UserID != 0 {
			e.SetActorID(a.UserID).SetActorName(a.Name)
		}
		if c.note.Notice != nil {
			e.SetNoticeAt(c.note.Notice.At.UTC()).SetNoticeMethod(c.note.Notice.Method)
		}
		bulk = append(bulk, e)
		if c.note.Notice != nil {
			if err := p.tx.Contact.UpdateOneID(c.id).SetNotifiedAt(c.note.Notice.At.UTC()).Exec(ctx); err != nil {
				return fmt.Errorf("notice date of contact %d: %w", c.id, err)
			}
		}
	}
	for chunk := range slices.Chunk(bulk, bulkChunk) {
		if err := p.tx.ConsentEvent.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("consent events: %w", err)
		}
	}
	return nil
}
