package importing

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
)

// This file is the import's write side: it hands each batch to the one
// contact writer, which creates the new contacts and saves the changed ones
// set-wise, with their audit events, health, follower history and search
// changes, in the batch's transaction.

// writer is the contact writer of the engine's database; it writes in the
// transaction it is given and reads with the client it is given.
func (e *engine) writer() *crm.ContactWriter {
	e.wOnce.Do(func() {
		dia := dialect.SQLite
		if e.pg {
			dia = dialect.Postgres
		}
		e.w = crm.NewContactWriter(nil, dia, time.Now, nil)
	})
	return e.w
}

// writeContacts creates the batch's new contacts and saves the changed
// existing ones, in one call of the writer. beforeNewNames (may be nil) runs
// before an outlet, topic or tag is created (see crm.WriteOptions).
func (e *engine) writeContacts(ctx context.Context, tx *ent.Tx, b *batch, beforeNewNames func() error) error {
	ws, ts := make([]crm.ContactWrite, 0, len(b.targets)), make([]*target, 0, len(b.targets))
	for _, t := range b.targets {
		switch {
		case t.isNew() && t.rows > 0:
			ws = append(ws, crm.ContactWrite{In: t.cur, Msg: e.summary(t.firstRow)})
		case t.virtual == 0 && t.id != 0 && t.changed:
			ws = append(ws, crm.ContactWrite{ID: t.id, In: t.cur, Msg: crm.MsgImportUpdate(e.job.ID, e.job.Filename)})
		default:
			continue
		}
		ts = append(ts, t)
	}
	res, err := e.writer().Write(ctx, tx, ws, crm.WriteOptions{Trusted: true, BeforeNewNames: beforeNewNames})
	if err != nil {
		return err
	}
	for i, t := range ts {
		if !res[i].Found {
			return fmt.Errorf("import: contact %d was deleted during the import", t.id)
		}
		t.id = res[i].ID
	}
	return nil
}
