package crm

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/ent/nominationdecision"
	"github.com/rapport-crm/rapport/locale"
)

// Audited entities of the advocacy review, follow-ups and settings.
const (
	EntityNomination    = "nomination"
	EntityTask          = "task"
	EntityStageSettings = "stage_settings"
	ActionDecide        = "decide"
)

// DemoteTo is the stage an approved demotion moves an advocate to.
const DemoteTo = "supporter"

// Limits of a nomination.
const (
	maxReason   = 5000
	maxLinks    = 20
	maxLinkLen  = 500
	maxEvidence = 50
)

// NominationInput is a nomination as the form sends it.
type NominationInput struct {
	Kind           string // promote (default) or demote
	Reason         string
	InteractionIDs []int    // evidence from the contact's timeline
	Links          []string // coverage or posts, http(s) only
}

func (in *NominationInput) validate() error {
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Kind == "" {
		in.Kind = string(nomination.KindPromote)
	}
	fe := FieldErrors{}
	if nomination.KindValidator(nomination.Kind(in.Kind)) != nil {
		fe.Add("kind", "Choose to nominate as advocate or to demote.")
	}
	switch n := utf8.RuneCountInString(in.Reason); {
	case n == 0:
		fe.Add("reason", "Say why: what makes this person an advocate (or no longer one)?")
	case n > maxReason:
		fe.Add("reason", fmt.Sprintf("At most %d characters.", maxReason))
	}
	links, err := cleanLinks(in.Links)
	if err != "" {
		fe.Add("links", err)
	}
	in.Links = links
	if len(in.InteractionIDs) > maxEvidence {
		fe.Add("evidence", fmt.Sprintf("Pick at most %d interactions.", maxEvidence))
	}
	return fe.Err()
}

// cleanLinks trims, drops empties and duplicates, and checks each is an http(s) URL.
func cleanLinks(in []string) ([]string, string) {
	var out []string
	for _, l := range cleanList(in) {
		u, err := url.Parse(l)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(l) > maxLinkLen {
			return nil, "Each link must be a web address starting with http:// or https:// (at most 500 characters)."
		}
		out = append(out, l)
	}
	if len(out) > maxLinks {
		return nil, fmt.Sprintf("At most %d links.", maxLinks)
	}
	return out, ""
}

// Nominate proposes contact id for the advocate list (or, kind demote, off
// it). The contact may have one open nomination at a time; the evidence must
// be interactions of this contact.
func Nominate(ctx context.Context, client *ent.Client, id int, in NominationInput) (*ent.Nomination, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var n *ent.Nomination
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		c, err := tx.Contact.Get(ctx, id)
		if ent.IsNotFound(err) {
			return Errorf(ENotFound, "This contact does not exist (any more).")
		}
		if err != nil {
			return fmt.Errorf("nominate: %w", err)
		}
		if err := canNominate(ctx, tx, c, in.Kind); err != nil {
			return err
		}
		evidence, err := tx.Interaction.Query().Where(interaction.IDIn(in.InteractionIDs...),
			interaction.HasContactsWith(contact.ID(id))).IDs(ctx)
		if err != nil {
			return fmt.Errorf("nominate: evidence: %w", err)
		}
		if len(evidence) != len(uniqueInts(in.InteractionIDs)) {
			return (FieldErrors{"evidence": "Pick interactions from this contact's timeline."}).Err()
		}
		create := tx.Nomination.Create().SetContactID(id).SetKind(nomination.Kind(in.Kind)).SetReason(in.Reason).
			SetEvidenceLinks(in.Links).SetCreatedAt(timeNow().UTC()).AddEvidenceIDs(evidence...)
		if a := ActorFrom(ctx); a.UserID != 0 {
			create.SetNominatedByID(a.UserID)
		}
		if n, err = create.Save(ctx); err != nil {
			return fmt.Errorf("nominate: %w", err)
		}
		return audit(ctx, tx, Event{Action: ActionCreate, Entity: EntityNomination, EntityID: n.ID,
			Msg: MsgNominated(in.Kind, DisplayName(c.FirstName, c.LastName)), Changes: created(map[string]any{
				"contact": id, "kind": in.Kind, "reason": in.Reason, "links": in.Links, "evidence": evidence})})
	})
	return n, err
}

// canNominate checks the contact's stage fits the kind and nothing is open.
func canNominate(ctx context.Context, tx *ent.Tx, c *ent.Contact, kind string) error {
	name := DisplayName(c.FirstName, c.LastName)
	if kind == string(nomination.KindPromote) && c.Stage == contact.StageAdvocate {
		return NewError(EConflict, "{{.Name}} is an advocate already; to take them off the list, propose a demotion.", "Name", name)
	}
	if kind == string(nomination.KindDemote) && c.Stage != contact.StageAdvocate {
		return NewError(EConflict, "{{.Name}} is not an advocate, so there is nothing to demote.", "Name", name)
	}
	open, err := tx.Nomination.Query().Where(nomination.ContactID(c.ID), nomination.StatusIn(nomination.StatusOpen, nomination.StatusNeedsInfo)).Exist(ctx)
	if err != nil {
		return fmt.Errorf("nominate: %w", err)
	}
	if open {
		return NewError(EConflict, "{{.Name}} has an open nomination already; it is waiting for a manager's decision.", "Name", name)
	}
	return nil
}

func uniqueInts(xs []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// DecisionInput is a manager's decision on a nomination.
type DecisionInput struct {
	Decision string // approve, reject or needs_info
	Comment  string
}

// decisionStatus is the nomination status each decision leads to.
var decisionStatus = map[string]nomination.Status{
	"approve": nomination.StatusApproved, "reject": nomination.StatusRejected, "needs_info": nomination.StatusNeedsInfo,
}

func (in *DecisionInput) validate() error {
	in.Comment = strings.TrimSpace(in.Comment)
	fe := FieldErrors{}
	if _, ok := decisionStatus[in.Decision]; !ok {
		fe.Add("decision", "Choose approve, reject or ask for more information.")
	}
	if in.Decision != "approve" && in.Decision != "" && in.Comment == "" {
		fe.Add("comment", "Tell the nominator why, or what is missing.")
	}
	if utf8.RuneCountInString(in.Comment) > maxReason {
		fe.Add("comment", fmt.Sprintf("At most %d characters.", maxReason))
	}
	return fe.Err()
}

// Decide records a manager's decision on nomination id. Approval moves the
// contact to the advocate stage (a demotion to DemoteTo) through the
// contact writer (applyNomination). Only managers and
// admins decide, never on their own nomination, and only once a nomination
// is closed.
func Decide(ctx context.Context, client *ent.Client, id int, in DecisionInput) (*ent.Nomination, error) {
	a := ActorFrom(ctx)
	if a.Role != "manager" && a.Role != "admin" {
		return nil, Errorf(EForbidden, "Only managers and admins decide on nominations.")
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var n *ent.Nomination
	w := writerFor(client)
	decide := func(ctx context.Context, tx *ent.Tx) error {
		var err error
		n, err = tx.Nomination.Query().Where(nomination.ID(id)).WithContact().Only(ctx)
		if ent.IsNotFound(err) {
			return Errorf(ENotFound, "This nomination does not exist (any more).")
		}
		if err != nil {
			return fmt.Errorf("decide: %w", err)
		}
		if n.NominatedByID != nil && *n.NominatedByID == a.UserID {
			return Errorf(EForbidden, "You nominated this contact yourself; another manager has to decide.")
		}
		status, now := decisionStatus[in.Decision], timeNow().UTC()
		upd := tx.Nomination.Update().Where(nomination.ID(id), nomination.StatusIn(nomination.StatusOpen, nomination.StatusNeedsInfo)).SetStatus(status)
		if status != nomination.StatusNeedsInfo {
			upd.SetDecidedAt(now)
		}
		if k, err := upd.Save(ctx); err != nil {
			return fmt.Errorf("decide: %w", err)
		} else if k == 0 {
			return NewError(EConflict, "This nomination was decided already ({{.Status}}).", "Status", locale.Label(ctx, string(n.Status)))
		}
		if err := tx.NominationDecision.Create().SetNominationID(id).SetDecidedByID(a.UserID).SetAt(now).
			SetDecision(nominationdecision.Decision(in.Decision)).SetComment(in.Comment).Exec(ctx); err != nil {
			return fmt.Errorf("decide: %w", err)
		}
		if status == nomination.StatusApproved {
			to := string(contact.StageAdvocate)
			if n.Kind == nomination.KindDemote {
				to = DemoteTo
			}
			if err := w.applyNomination(ctx, tx, n, to); err != nil {
				return err
			}
		}
		n.Status = status
		return audit(ctx, tx, Event{Action: ActionDecide, Entity: EntityNomination, EntityID: id,
			Msg:     MsgDecided(in.Decision, DisplayName(n.Edges.Contact.FirstName, n.Edges.Contact.LastName)),
			Changes: Changes{"status": {"open", string(status)}, "comment": {nil, in.Comment}}})
	}
	// A save of the contact that lands while the approval writes it makes
	// the contact's write fail as stale (errConflict): the decision is
	// taken again on top of that save, which is kept.
	for try := 1; ; try++ {
		err := db.WithTx(ctx, client, decide)
		if !errors.Is(err, errConflict) || try == decideTries {
			return n, err
		}
	}
}

// decideTries is how often Decide tries when saves of the contact keep
// landing while it writes.
const decideTries = 3

// AddNominationInfo lets the nominator (or a colleague) answer a request for
// more information: the text is appended to the reason, the links added, and
// the nomination goes back to the queue as open.
func AddNominationInfo(ctx context.Context, client *ent.Client, id int, text string, links []string) (int, error) {
	text = strings.TrimSpace(text)
	clean, bad := cleanLinks(links)
	fe := FieldErrors{}
	if text == "" && len(clean) == 0 && bad == "" {
		fe.Add("info", "Add the information the manager asked for.")
	}
	if bad != "" {
		fe.Add("info_links", bad)
	}
	contactID := 0
	if n, err := client.Nomination.Get(ctx, id); err == nil {
		contactID = n.ContactID
	}
	if err := fe.Err(); err != nil {
		return contactID, err
	}
	return contactID, db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		n, err := tx.Nomination.Get(ctx, id)
		if ent.IsNotFound(err) {
			return Errorf(ENotFound, "This nomination does not exist (any more).")
		}
		if err != nil {
			return fmt.Errorf("add information: %w", err)
		}
		if n.Status != nomination.StatusNeedsInfo {
			return Errorf(EConflict, "Nobody asked for more information on this nomination.")
		}
		reason := n.Reason
		if text != "" {
			reason = Truncate(reason+"\n\n"+ActorFrom(ctx).Name+" added on "+timeNow().UTC().Format("2 Jan 2006")+": "+text, maxReason)
		}
		all, _ := cleanLinks(append(append([]string{}, n.EvidenceLinks...), clean...))
		if err := tx.Nomination.UpdateOneID(id).SetReason(reason).SetEvidenceLinks(all).SetStatus(nomination.StatusOpen).Exec(ctx); err != nil {
			return fmt.Errorf("add information: %w", err)
		}
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityNomination, EntityID: id, Msg: MsgInformationAdded(),
			Changes: Changes{"status": {"needs_info", "open"}, "info": {nil, text}, "links": {nil, clean}}})
	})
}

// applyNomination moves the contact of approved nomination n to stage to
// through the writer, as a trusted change that names n: the stage rule
// lets it make an advocate, and the write brings the new version, health
// and touch-due, the audit event (MsgNominationApproved, the stage old →
// new), the search change and the list cache's invalidation. A contact at
// stage to already is left alone. Its UPDATE is guarded by the version
// read here: a save that lands meanwhile makes it fail with EConflict.
func (w *ContactWriter) applyNomination(ctx context.Context, tx *ent.Tx, n *ent.Nomination, to string) error {
	st, err := loadStored(ctx, tx.Client(), w.dialect, []int{n.ContactID})
	if err != nil {
		return err
	}
	s := st[n.ContactID]
	if s == nil {
		return errGone
	}
	in := s.in
	in.Stage = to
	x := ContactWrite{ID: n.ContactID, In: in, Msg: MsgNominationApproved(n.ID), Nomination: n.ID}
	_, err = w.writeStored(ctx, tx, []ContactWrite{x}, WriteOptions{Trusted: true}, st)
	return err
}
