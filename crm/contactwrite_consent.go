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
	ChangedMerge   = "merge" // a merge moved another contact's events here: the state it leaves
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
	restate bool // ContactWrite.Restate: it must be the contact's newest event
}

// planConsent works out the consent event of write i: what changed between
// from (nil for a new contact, whose history starts at the defaults; its
// notice date notified) and x.In. A new contact with the default state and
// no notice has no event: its state is the history's start. A restating
// write (ContactWrite.Restate) always has one, and lists the notice as
// changed only when it moves the notice date.
func planConsent(i int, from *ContactInput, notified *time.Time, x ContactWrite) *consentChange {
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
	if n := x.Privacy.Notice; n != nil && (!x.Restate || notified == nil || !notified.Equal(n.At)) {
		ch = append(ch, ChangedNotice)
	}
	if x.Restate {
		ch = append(ch, ChangedMerge)
	}
	if len(ch) == 0 {
		return nil
	}
	return &consentChange{i: i, id: x.ID, in: b, note: x.Privacy, changed: ch, restate: x.Restate}
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
		at := p.now
		if c.restate {
			var err error
			if at, err = p.newestConsentAt(ctx, c.id); err != nil {
				return err
			}
		}
		e := p.tx.ConsentEvent.Create().SetContactID(c.id).SetAt(at).SetChanged(c.changed).
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

// newestConsentAt is when a restating event of contact id is recorded: now,
// or the time of its newest event when that is later (an event moved from
// another contact, recorded by a clock ahead of this one), so that the
// restating event (the higher id) sorts last.
func (p *writePlan) newestConsentAt(ctx context.Context, id int) (time.Time, error) {
	e, err := p.tx.ConsentEvent.Query().Where(consentevent.ContactID(id)).
		Order(ent.Desc(consentevent.FieldAt)).Select(consentevent.FieldAt).First(ctx)
	switch {
	case ent.IsNotFound(err):
		return p.now, nil
	case err != nil:
		return time.Time{}, fmt.Errorf("consent events of contact %d: %w", id, err)
	case e.At.After(p.now):
		return e.At.UTC(), nil
	}
	return p.now, nil
}

// unrecordConsent takes back consent event eventID of contact id, which
// an earlier write recorded as a Restate (a merge, now undone), and gives
// the contact the notice date of the events it has left. The consent
// columns follow with the caller's next write of the contact's state.
func (w *ContactWriter) unrecordConsent(ctx context.Context, tx *ent.Tx, id, eventID int) error {
	n, err := tx.ConsentEvent.Delete().Where(consentevent.ID(eventID), consentevent.ContactID(id)).Exec(ctx)
	if err != nil || n == 0 {
		return err
	}
	told, err := tx.ConsentEvent.Query().Where(consentevent.ContactID(id), consentevent.NoticeAtNotNil()).
		Order(ent.Desc(consentevent.FieldAt), ent.Desc(consentevent.FieldID)).First(ctx)
	upd := tx.Contact.UpdateOneID(id)
	switch {
	case ent.IsNotFound(err):
		upd.ClearNotifiedAt()
	case err != nil:
		return fmt.Errorf("consent events of contact %d: %w", id, err)
	default:
		upd.SetNotifiedAt(told.NoticeAt.UTC())
	}
	if err := upd.Exec(ctx); err != nil {
		return fmt.Errorf("notice date of contact %d: %w", id, err)
	}
	return nil
}
