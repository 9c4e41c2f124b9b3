package crm

import (
	"context"
	"slices"

	"github.com/rapport-crm/rapport/ent"
)

// ContactEdit changes one loaded contact's input in place and reports
// whether it should be written; a bulk action's edit sets one field.
type ContactEdit func(id int, in *ContactInput) bool

// Change is the set-wise edit of stored contacts: it loads ids in tx once
// (two statements per 1,000 contacts), lets edit change each one's input,
// and writes those edit reports through the same plan as Write, with its
// audit (summary first), health, change records and cache invalidation.
// Missing contacts are skipped; edit sees the contacts in the order of ids.
// The write is trusted (no version or stage rule: the caller checks what it
// changes), but each UPDATE is still guarded by the version just read, so a
// concurrent save makes Change fail with EConflict rather than be lost.
func (w *ContactWriter) Change(ctx context.Context, tx *ent.Tx, ids []int, msg AuditMsg, edit ContactEdit) ([]Written, error) {
	return w.change(ctx, tx, ids, msg, WriteOptions{Trusted: true}, edit)
}

// change is Change with the write's options (always trusted).
func (w *ContactWriter) change(ctx context.Context, tx *ent.Tx, ids []int, msg AuditMsg, opt WriteOptions, edit ContactEdit) ([]Written, error) {
	opt.Trusted = true
	st, err := loadStored(ctx, tx.Client(), w.dialect, ids)
	if err != nil {
		return nil, err
	}
	ws := make([]ContactWrite, 0, len(ids))
	for _, id := range ids {
		s := st[id]
		if s == nil {
			continue
		}
		in := s.in
		// the edit owns its lists: the stored input is the audit's "before"
		in.Topics, in.Tags, in.Channels = slices.Clone(in.Topics), slices.Clone(in.Tags), slices.Clone(in.Channels)
		if !edit(id, &in) {
			continue
		}
		ws = append(ws, ContactWrite{ID: id, In: in, Msg: msg})
	}
	if len(ws) == 0 {
		return nil, nil
	}
	return w.writeStored(ctx, tx, ws, opt, st)
}
