package crm

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/exportlog"
)

// DefaultDailyExportRows is how many rows staff may export per day before a
// manager must approve.
const DefaultDailyExportRows = 5000

// ExportRequest is what the export form or the command line asks for.
type ExportRequest struct {
	Selection
	SegmentID       int
	SegmentName     string
	Format          string
	Columns         []string
	Purpose         string
	IncludeExcluded bool   // managers only, with OverrideReason
	OverrideReason  string // why excluded people are exported anyway
	DailyLimit      int    // rows per day for staff; 0 means DefaultDailyExportRows
}

func (r *ExportRequest) validate(role string) error {
	r.Purpose, r.OverrideReason = strings.TrimSpace(r.Purpose), strings.TrimSpace(r.OverrideReason)
	fe := FieldErrors{}
	if utf8.RuneCountInString(r.Purpose) < 3 || utf8.RuneCountInString(r.Purpose) > 500 {
		fe.Add("purpose", "Say what the export is for, e.g. “Einladung Pressekonferenz 12.03.”.")
	}
	if err := CheckText("q", r.Query); err != nil {
		fe.Add("q", ErrorMessage(err))
	}
	if !export.ValidFormat(r.Format) {
		fe.Add("format", "Choose a format.")
	}
	if _, err := export.Select(r.Columns); err != nil {
		fe.Add("columns", "Choose columns from the list.")
	}
	if r.IncludeExcluded {
		if role != RoleManager && role != RoleAdmin {
			fe.Add("include_excluded", "Only managers can export people who opted out or must not be contacted.")
		} else if utf8.RuneCountInString(r.OverrideReason) < 10 {
			fe.Add("override_reason", "Give the reason for exporting people who opted out (at least 10 characters).")
		}
	}
	return fe.Err()
}

// StartExport resolves the selection (sels.Resolve: the members the list
// shows, in its order), freezes its members and logs the
// export; the file is written by WriteExport. A staff export that would pass
// the daily row limit waits for a manager's approval.
func StartExport(ctx context.Context, sels *Selections, req ExportRequest, now time.Time) (*ent.ExportLog, *Resolved, error) {
	a, client := ActorFrom(ctx), sels.client
	if err := req.validate(a.Role); err != nil {
		return nil, nil, err
	}
	res, err := sels.Resolve(ctx, req.Selection, export.NeedsEmail(req.Format))
	if err != nil {
		return nil, nil, err
	}
	ids := res.IDs
	if req.IncludeExcluded {
		ids = res.All // in the selection's order
	}
	var log *ent.ExportLog
	err = db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		status, err := exportStatus(ctx, tx, a, req.DailyLimit, len(ids), now)
		if err != nil {
			return err
		}
		c := tx.ExportLog.Create().SetQuery(req.Query).SetFilter(req.Filter).SetFormat(req.Format).
			SetColumns(req.Columns).SetPurpose(req.Purpose).SetRowCount(len(ids)).SetExcludedCounts(res.Excluded).
			SetMemberIds(ids).SetStatus(status).SetSegmentName(req.SegmentName).SetCreatedAt(now.UTC())
		if a.UserID != 0 {
			c.SetUserID(a.UserID)
		}
		if req.SegmentID != 0 {
			c.SetSegmentID(req.SegmentID)
		}
		if req.IncludeExcluded {
			c.SetOverrideReason(req.OverrideReason)
		}
		if log, err = c.Save(ctx); err != nil {
			return fmt.Errorf("log export: %w", err)
		}
		return audit(ctx, tx, Event{Action: ActionExport, Entity: EntityExport, EntityID: log.ID,
			Msg: MsgExported(len(ids), req.Format, req.Purpose)})
	})
	return log, res, err
}

// exportStatus decides, inside the transaction that logs the export, whether
// a staff export of rows waits for approval. The user's exports are
// serialised first (SQLite transactions are serial already; PostgreSQL takes
// a transaction-scoped advisory lock on the user), so parallel exports
// cannot each see the day's total before the others are logged.
func exportStatus(ctx context.Context, tx *ent.Tx, a Actor, limit, rows int, now time.Time) (exportlog.Status, error) {
	if a.Role != RoleStaff {
		return exportlog.StatusDone, nil
	}
	if limit == 0 {
		limit = DefaultDailyExportRows
	}
	if err := lockUser(ctx, tx, exportQuotaLock, a.UserID); err != nil {
		return "", err
	}
	y, m, d := now.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, now.Location()).UTC()
	counts, err := tx.ExportLog.Query().Where(exportlog.UserID(a.UserID), exportlog.CreatedAtGTE(start),
		exportlog.StatusIn(exportlog.StatusDone, exportlog.StatusApproved)).Select(exportlog.FieldRowCount).Ints(ctx)
	if err != nil {
		return "", fmt.Errorf("count today's exports: %w", err)
	}
	today := 0
	for _, n := range counts {
		today += n
	}
	if today+rows > limit {
		return exportlog.StatusPendingApproval, nil
	}
	return exportlog.StatusDone, nil
}

// lockUser serialises the transactions that decide one of a user's quotas
// (kind): SQLite's immediate transactions are serial already; PostgreSQL
// takes a transaction-scoped advisory lock on (kind, user).
func lockUser(ctx context.Context, tx *ent.Tx, kind, userID int) error {
	if tx.Client().Dialect() != dialect.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, $2)", kind, userID); err != nil {
		return fmt.Errorf("lock a quota: %w", err)
	}
	return nil
}

// exportQuotaLock is the first key of the advisory lock on a user's export quota.
const exportQuotaLock = 0x45585054 // "EXPT"

// CanDownload says whether the actor may download an export, or why not.
func CanDownload(ctx context.Context, l *ent.ExportLog) error {
	a := ActorFrom(ctx)
	manager := a.Role == RoleManager || a.Role == RoleAdmin
	if !manager && (l.UserID == nil || *l.UserID != a.UserID) {
		return Errorf(EForbidden, "This export belongs to someone else; only managers can download other people's exports.")
	}
	switch l.Status {
	case exportlog.StatusPendingApproval:
		return Errorf(EForbidden, "This export is waiting for a manager's approval: it is larger than the daily limit for staff.")
	case exportlog.StatusRejected:
		return Errorf(EForbidden, "A manager rejected this export.")
	}
	return nil
}

// DecideExport approves or rejects a pending export (managers; not their own).
func DecideExport(ctx context.Context, client *ent.Client, id int, approve bool) error {
	a := ActorFrom(ctx)
	return db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		l, err := tx.ExportLog.Get(ctx, id)
		if err != nil {
			return err
		}
		if l.Status != exportlog.StatusPendingApproval {
			return Errorf(EConflict, "This export is not waiting for approval.")
		}
		if l.UserID != nil && *l.UserID == a.UserID {
			return Errorf(EForbidden, "You cannot approve your own export; ask another manager.")
		}
		status := exportlog.StatusRejected
		if approve {
			status = exportlog.StatusApproved
		}
		if err := tx.ExportLog.UpdateOne(l).SetStatus(status).SetApprovedByID(a.UserID).Exec(ctx); err != nil {
			return fmt.Errorf("decide export %d: %w", id, err)
		}
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityExport, EntityID: id, Msg: MsgExportDecided(string(status)),
			Changes: Changes{"status": {string(l.Status), string(status)}}})
	})
}
