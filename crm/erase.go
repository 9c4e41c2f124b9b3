package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/ent/participation"
	"github.com/rapport-crm/rapport/ent/privacyrequest"
	"github.com/rapport-crm/rapport/ent/task"
)

// EraseOptions say how far an erasure goes where other people are involved.
type EraseOptions struct {
	// KeepNotes keeps the subject and notes of interactions the erased
	// people shared with others (a manager's decision); by default they go.
	KeepNotes bool
	// RequestID is the erasure request on the /privacy queue this answers (0: none yet).
	RequestID int
}

// Erasure says what an erasure did.
type Erasure struct {
	IDs          []int // the contacts erased
	Interactions int   // interactions deleted (they involved nobody else)
	Shared       int   // interactions with others the people were removed from
	AuditEvents  int   // audit events pseudonymised
	ImportRows   int   // import rows deleted
	ImportFiles  int   // uploaded files purged
	ExportLogs   int   // export logs whose query text was cleared
	Took         time.Duration
}

// Erase erases the contacts ids everywhere the database holds them (Art.
// 17), in one transaction: their interactions with nobody else, their
// place in interactions with others (and those notes, unless opt.KeepNotes),
// then ContactWriter.Delete (the contact and its relations, consent history,
// nominations, tasks, review entries); the audit events about them, their
// interactions, nominations and tasks are pseudonymised (who did what to
// which field stays, the values go); import rows that carried them are
// deleted and the uploaded files purged; export logs keep only ids; their
// e-mails and handles go on the suppression list as keyed hashes; the
// erasure is logged on the /privacy queue. The search index and SQLite's
// file are the caller's to compact after the commit (Privacy.Erase).
func (w *ContactWriter) Erase(ctx context.Context, ids []int, opt EraseOptions) (Erasure, error) {
	start := time.Now()
	var out Erasure
	err := db.WithTx(ctx, w.client, func(ctx context.Context, tx *ent.Tx) error {
		out = Erasure{}
		ins, err := w.LoadContactInputs(ctx, tx.Client(), ids)
		if err != nil {
			return err
		}
		ids = ids[:0:0]
		for id := range ins {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		if len(ids) == 0 {
			return Errorf(ENotFound, "This contact does not exist (any more).")
		}
		marks := identifiers(ins)
		targets := map[string][]int{EntityContact: ids}
		if err := w.detachShared(ctx, tx, ids, opt, targets, &out); err != nil {
			return err
		}
		if targets[EntityNomination], err = tx.Nomination.Query().Where(nomination.ContactIDIn(ids...)).IDs(ctx); err != nil {
			return fmt.Errorf("erase: nominations: %w", err)
		}
		if targets[EntityTask], err = tx.Task.Query().Where(task.ContactIDIn(ids...)).IDs(ctx); err != nil {
			return fmt.Errorf("erase: tasks: %w", err)
		}
		gone, err := w.Delete(ctx, tx, ids, MsgErasedArt17())
		if err != nil {
			return err
		}
		out.IDs = gone
		if out.AuditEvents, err = pseudonymise(ctx, tx, w.dialect, targets); err != nil {
			return err
		}
		if out.ImportRows, out.ImportFiles, err = purgeImports(ctx, tx, w.dialect, ids, marks); err != nil {
			return err
		}
		if out.ExportLogs, err = scrubExportLogs(ctx, tx, marks); err != nil {
			return err
		}
		var keys []string
		for _, in := range ins {
			keys = append(keys, SuppressionKeys(emailsOf(in), in.Channels)...)
		}
		now := w.now().UTC()
		if err := suppress(ctx, tx, keys, now); err != nil {
			return err
		}
		return logErasures(ctx, tx, gone, opt.RequestID, now)
	})
	if err != nil {
		return Erasure{}, err
	}
	if w.lookups != nil {
		w.lookups.Invalidate()
	}
	out.Took = time.Since(start)
	return out, nil
}

// detachShared removes the people from the interactions they share with
// others (clearing subject and notes unless opt.KeepNotes) and notes which
// interactions Delete will delete, for the audit.
func (w *ContactWriter) detachShared(ctx context.Context, tx *ent.Tx, ids []int, opt EraseOptions, targets map[string][]int, out *Erasure) error {
	theirs, err := tx.Participation.Query().Where(idIn(participation.FieldContactID, ids)).Select(participation.FieldInteractionID).Ints(ctx)
	if err != nil {
		return fmt.Errorf("erase: interactions: %w", err)
	}
	sole, err := tx.Interaction.Query().Where(onlyWith(ids)).IDs(ctx)
	if err != nil {
		return fmt.Errorf("erase: interactions: %w", err)
	}
	isSole := make(map[int]bool, len(sole))
	for _, id := range sole {
		isSole[id] = true
	}
	var shared []int
	for _, id := range theirs {
		if !isSole[id] {
			shared = append(shared, id)
		}
	}
	slices.Sort(shared)
	shared = slices.Compact(shared)
	out.Interactions, out.Shared = len(sole), len(shared)
	targets[EntityInteraction] = sole
	// Their own interactions (sole) go with them in Delete.
	if len(shared) == 0 {
		return nil
	}
	if !opt.KeepNotes {
		targets[EntityInteraction] = append(slices.Clone(sole), shared...)
	}
	for chunk := range slices.Chunk(shared, deleteChunk) {
		others, err := tx.Participation.Query().Where(idIn(participation.FieldInteractionID, chunk)).
			Select(participation.FieldContactID).Ints(ctx)
		if err != nil {
			return fmt.Errorf("erase: shared interactions: %w", err)
		}
		if _, err := tx.Participation.Delete().Where(idIn(participation.FieldInteractionID, chunk), idIn(participation.FieldContactID, ids)).Exec(ctx); err != nil {
			return fmt.Errorf("erase: leave shared interactions: %w", err)
		}
		if !opt.KeepNotes {
			if _, err := tx.Interaction.Update().Where(idIn("id", chunk)).SetSubject("").SetBody("").Save(ctx); err != nil {
				return fmt.Errorf("erase: clear shared notes: %w", err)
			}
		}
		if err := db.RecordChanges(ctx, w.dialect, others...); err != nil {
			return err
		}
	}
	return nil
}

// identifiers are the strings that identify the people in free text and
// stored rows: e-mails, handles and full names (at least 3 characters).
func identifiers(ins map[int]ContactInput) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); len(s) >= 3 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, in := range ins {
		for _, e := range in.Emails {
			add(e.Address)
		}
		for _, c := range in.Channels {
			add(c.Handle)
		}
		if in.FirstName != "" && in.LastName != "" {
			add(in.FirstName + " " + in.LastName)
		}
	}
	return out
}

func emailsOf(in ContactInput) []string {
	out := make([]string, len(in.Emails))
	for i, e := range in.Emails {
		out[i] = e.Address
	}
	return out
}

// logErasures records the erasures on the /privacy queue (ids only): the
// open request it answers is closed, and every other person gets a closed
// erasure entry of its own.
func logErasures(ctx context.Context, tx *ent.Tx, ids []int, requestID int, now time.Time) error {
	a := ActorFrom(ctx)
	var by *int
	if a.UserID != 0 {
		by = &a.UserID
	}
	if requestID != 0 {
		if err := tx.PrivacyRequest.UpdateOneID(requestID).SetStatus(privacyrequest.StatusDone).SetDoneAt(now).
			SetNillableHandledByID(by).Exec(ctx); err != nil && !ent.IsNotFound(err) {
			return fmt.Errorf("erase: close request: %w", err)
		}
	}
	var bulk []*ent.PrivacyRequestCreate
	for _, id := range ids {
		bulk = append(bulk, tx.PrivacyRequest.Create().SetKind(privacyrequest.KindErasure).SetContactID(id).
			SetStatus(privacyrequest.StatusDone).SetRequestedAt(now).SetDueAt(now).SetDoneAt(now).
			SetNillableRequestedByID(by).SetNillableHandledByID(by))
	}
	if requestID != 0 && len(bulk) > 0 {
		bulk = bulk[1:] // the request itself stands for the first
	}
	for chunk := range slices.Chunk(bulk, bulkChunk) {
		if err := tx.PrivacyRequest.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("erase: log: %w", err)
		}
	}
	// Open access requests of the erased people are answered by the erasure.
	if _, err := tx.PrivacyRequest.Update().Where(privacyrequest.ContactIDIn(ids...), privacyrequest.StatusEQ(privacyrequest.StatusOpen)).
		SetStatus(privacyrequest.StatusDone).SetDoneAt(now).Save(ctx); err != nil {
		return fmt.Errorf("erase: close requests: %w", err)
	}
	return nil
}
