package crm

import "context"

// auditFold gathers the audit events that the contact writer's steps of one
// compound write would write (a merge: the survivor's update and the merged
// contact's delete; its undo: the restore and the update), so that the
// compound write records them as the one event it is. The steps write
// through the writer as always; only their audit goes into the fold.
type auditFold struct{ evs []Event }

type auditFoldKey struct{}

// foldAudit returns ctx whose contact-writer audit events go to the
// returned fold instead of the trail.
func foldAudit(ctx context.Context) (context.Context, *auditFold) {
	f := &auditFold{}
	return context.WithValue(ctx, auditFoldKey{}, f), f
}

// foldFrom is the fold of ctx, nil outside a compound write.
func foldFrom(ctx context.Context) *auditFold {
	f, _ := ctx.Value(auditFoldKey{}).(*auditFold)
	return f
}

// fieldChanges are the field changes the folded updates made to contact id.
func (f *auditFold) fieldChanges(id int) Changes {
	out := Changes{}
	for _, ev := range f.evs {
		if ev.Entity != EntityContact || ev.EntityID != id || ev.Action != ActionUpdate {
			continue
		}
		for k, v := range ev.Changes {
			if old, ok := out[k]; ok {
				v[0] = old[0]
			}
			out[k] = v
		}
	}
	return out
}
