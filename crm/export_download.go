package crm

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
)

// Download is what a download of an export wrote, and whom it left out:
// members the exclusion rules exclude now but did not when the export was
// made (they opted out, objected, were marked do-not-contact or lost their
// lawful basis since), by reason.
type Download struct {
	export.Stats
	LeftOut map[string]int
}

// LeftOutSince splits the frozen members of log by the exclusion rules as
// they stand now (Selections.ResolveIDs: the rules StartExport froze them
// by): who may still be exported, in the frozen order, and how many of the
// others were excluded since, by reason. A manager's logged override
// (OverrideReason) exported excluded people on purpose; its members stay
// as frozen.
func LeftOutSince(ctx context.Context, sels *Selections, log *ent.ExportLog) ([]int, map[string]int, error) {
	left := map[string]int{}
	if log.OverrideReason != "" || len(log.MemberIds) == 0 {
		return log.MemberIds, left, nil
	}
	res, err := sels.ResolveIDs(ctx, log.MemberIds, false) // a mailer format's missing e-mails: export.Write skips them
	if err != nil {
		return nil, nil, fmt.Errorf("export %d: %w", log.ID, err)
	}
	if len(res.ExcludedIDs) == 0 {
		return log.MemberIds, left, nil
	}
	out := make(map[int]bool, len(res.ExcludedIDs))
	for i, id := range res.ExcludedIDs {
		out[id] = true
		left[res.Reasons[i]]++
	}
	keep := slices.DeleteFunc(slices.Clone(log.MemberIds), func(id int) bool { return out[id] })
	return keep, left, nil
}

// WriteExport streams the frozen members of log to w, leaving out whom the
// exclusion rules exclude now (LeftOutSince), and marks it finished; a
// download that left someone out is in the audit trail with the counts.
func WriteExport(ctx context.Context, sels *Selections, l export.Loader, w io.Writer, log *ent.ExportLog) (Download, error) {
	client := sels.client
	fields, err := LoadCustomFields(ctx, client, EntityContact)
	if err != nil {
		return Download{}, err
	}
	headers := map[string]string{}
	for _, f := range fields {
		headers[export.CustomPrefix+f.Key] = f.LabelEN
	}
	cols, err := export.SelectHeaded(log.Columns, headers)
	if err != nil {
		return Download{}, err
	}
	ids, left, err := LeftOutSince(ctx, sels, log)
	if err != nil {
		return Download{}, err
	}
	dl := Download{LeftOut: left}
	if dl.Stats, err = export.Write(ctx, l, w, log.Format, cols, ids); err != nil {
		return dl, err
	}
	return dl, db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		if err := tx.ExportLog.UpdateOne(log).SetFinishedAt(time.Now().UTC()).Exec(ctx); err != nil {
			return fmt.Errorf("mark export %d finished: %w", log.ID, err)
		}
		n := len(log.MemberIds) - len(ids)
		if n == 0 {
			return nil
		}
		return audit(ctx, tx, Event{Action: ActionExport, Entity: EntityExport, EntityID: log.ID, Msg: MsgExportLeftOut(n),
			Changes: Changes{"left_out": {nil, n}}})
	})
}
