package crm

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// run writes the plan: the contacts, the deletions before the insertions
// (an e-mail or a channel may move between rows), the follower history,
// then the outlets, topics and tags with the rows that refer to them, the
// audit events.
func (p *writePlan) run(ctx context.Context) error {
	if len(p.creates) == 0 && len(p.updates) == 0 {
		return nil
	}
	if p.w.dialect == dialect.Postgres { // rows written without ent: run its validators here
		for _, pw := range append(p.creates, p.updates...) {
			if err := checkForInsert(&pw.x.In); err != nil {
				return err
			}
		}
	}
	if !p.opt.Trusted {
		if err := p.checkHandles(ctx); err != nil {
			return err
		}
	}
	if err := p.computeHealth(ctx); err != nil {
		return err
	}
	if err := p.insertContacts(ctx); err != nil {
		return err
	}
	var versionOnly []*pendingWrite // only relations changed: a new version, set-wise
	for _, u := range p.updates {
		if !u.scalars && !u.health {
			versionOnly = append(versionOnly, u)
			continue
		}
		if err := p.updateContact(ctx, u); err != nil {
			return err
		}
	}
	if err := p.bumpVersions(ctx, versionOnly); err != nil {
		return err
	}
	if err := p.deleteRelations(ctx); err != nil {
		return err
	}
	if err := p.insertRelations(ctx); err != nil {
		return err
	}
	// Names last: BeforeNewNames may wait there for the import's earlier
	// batch to commit, and the contacts, e-mails and channels are written
	// meanwhile rather than after it (at the start, the wait made two
	// batches in flight run one after the other).
	if err := p.resolveNames(ctx); err != nil {
		return err
	}
	if err := p.insertNamedRelations(ctx); err != nil {
		return err
	}
	if err := p.setFeeds(ctx); err != nil {
		return err
	}
	for _, pw := range append(p.creates, p.updates...) {
		p.written[pw.i] = pw.id
	}
	return p.audit(ctx)
}

// resolveNames finds or creates the outlets, topics and tags the new rows
// name, one look-up per table for the whole batch.
func (p *writePlan) resolveNames(ctx context.Context) error {
	// Each name once, with the spelling of its first row: a batch names a
	// few hundred outlets in thousands of rows.
	seenO, seenT, seenG := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var outlets, topics, tags []string
	for _, r := range p.rel.jobs {
		if !seenO[r.key] {
			seenO[r.key] = true
			outlets = append(outlets, nameOf(r.p.x.In.Outlets, r.key))
		}
	}
	for _, r := range p.rel.topics {
		if !seenT[r.key] {
			seenT[r.key] = true
			topics = append(topics, nameIn(r.p.x.In.Topics, r.key))
		}
	}
	for _, r := range p.rel.tags {
		if !seenG[r.key] {
			seenG[r.key] = true
			tags = append(tags, nameIn(r.p.x.In.Tags, r.key))
		}
	}
	var err error
	if p.outlets, err = findOrCreateNames(ctx, p.tx, outletTable, outlets, p.opt.BeforeNewNames); err != nil {
		return err
	}
	if p.topics, err = findOrCreateNames(ctx, p.tx, topicTable, topics, p.opt.BeforeNewNames); err != nil {
		return err
	}
	p.tags, err = findOrCreateNames(ctx, p.tx, tagTable, tags, p.opt.BeforeNewNames)
	return err
}

// nameOf is the spelling of the outlet with key in os.
func nameOf(os []OutletRole, key string) string {
	for _, o := range os {
		if foldKey(o.Outlet) == key {
			return o.Outlet
		}
	}
	return key
}

func nameIn(names []string, key string) string {
	for _, n := range names {
		if foldKey(n) == key {
			return n
		}
	}
	return key
}

// computeHealth works out the health and touch-due date of the new contacts
// (no interactions yet: nothing to read) and of the changed ones whose stage
// or reach moved (one read of their interaction counts for the batch).
func (p *writePlan) computeHealth(ctx context.Context) error {
	var ids []int
	for _, u := range p.updates {
		if u.health {
			ids = append(ids, u.id)
		}
	}
	if len(ids) == 0 && len(p.creates) == 0 {
		return nil
	}
	st, err := p.w.stages(ctx, p.tx)
	if err != nil {
		return err
	}
	stats := map[int]healthStats{}
	for lo := 0; lo < len(ids); lo += healthBatch {
		chunk := ids[lo:min(len(ids), lo+healthBatch)]
		s, err := loadHealthStats(ctx, p.tx, p.tx.Client().Dialect(), p.now, contactsIn(chunk))
		if err != nil {
			return err
		}
		for id, v := range s {
			stats[id] = v
		}
	}
	// A new contact's health depends only on its stage and its reach tier
	// (never in touch, created now): computed once per pair for the batch.
	type key struct {
		stage string
		tier  int
	}
	memo := map[key]HealthResult{}
	for _, c := range p.creates {
		reach := reachOf(c.x.In)
		k := key{c.x.In.Stage, reachLine(reach).Points}
		r, ok := memo[k]
		if !ok {
			r = ComputeHealth(HealthInput{CadenceDays: st.Cadence(c.x.In.Stage), Created: p.now, Reach: reach}, p.now)
			memo[k] = r
		}
		c.score, c.due = r.Score, r.DueAt
	}
	for _, u := range p.updates {
		if !u.health {
			continue
		}
		c := *u.s.c
		c.Stage, c.Reach = contact.Stage(u.x.In.Stage), reachOf(u.x.In)
		r := healthOf(&c, st, stats[u.id], p.now)
		u.score, u.due = r.Score, r.DueAt
	}
	return nil
}

// stages are the stage settings: from the list cache when there is one.
func (w *ContactWriter) stages(ctx context.Context, tx *ent.Tx) (Stages, error) {
	if w.lookups != nil {
		return w.lookups.Stages(ctx)
	}
	return loadStagesTx(ctx, tx)
}

// updateContact writes the row of a changed contact: its fields, a new
// version, and health and touch-due when they moved; one UPDATE, guarded by
// the version it was read at.
func (p *writePlan) updateContact(ctx context.Context, u *pendingWrite) error {
	in := u.x.In
	upd := p.tx.Contact.Update().Where(contact.ID(u.id), contact.Version(u.s.c.Version)).AddVersion(1)
	applyContactFields(upd.Mutation(), in)
	if in.OwnerID == nil {
		upd.ClearOwner()
	}
	if in.Phones == nil {
		upd.ClearPhones()
	}
	if len(in.Custom) == 0 {
		upd.ClearCustom()
	}
	if in.ConsentState != string(u.s.c.ConsentState) {
		upd.SetConsentAt(p.now)
	}
	if u.health && u.score != u.s.c.Health {
		upd.SetHealth(u.score)
	}
	if u.health && !sameTime(u.due, u.s.c.TouchDueAt) {
		upd.SetNillableTouchDueAt(u.due)
		if u.due == nil {
			upd.ClearTouchDueAt()
		}
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return fmt.Errorf("update contact %d: %w", u.id, err)
	}
	if n == 0 {
		return errConflict
	}
	return nil
}

// bumpVersions gives contacts whose row did not change but whose relations
// did (a bulk tag) a new version and updated_at, each guarded by the version
// it was read at: one statement per batch on PostgreSQL, a prepared one per
// row on SQLite (in process). A contact saved meanwhile fails the batch
// with EConflict, as updateContact does.
func (p *writePlan) bumpVersions(ctx context.Context, us []*pendingWrite) error {
	if len(us) == 0 {
		return nil
	}
	if p.w.dialect == dialect.Postgres {
		ids, vers := make([]int64, len(us)), make([]int64, len(us))
		for i, u := range us {
			ids[i], vers[i] = int64(u.id), int64(u.s.c.Version)
		}
		res, err := p.tx.ExecContext(ctx, `UPDATE contacts AS c SET version = c.version + 1, updated_at = $3
			FROM unnest($1::bigint[], $2::bigint[]) AS v(id, ver) WHERE c.id = v.id AND c.version = v.ver`,
			pq.Array(ids), pq.Array(vers), p.now)
		if err != nil {
			return fmt.Errorf("update contacts: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(len(us)) {
			return errConflict
		}
		return nil
	}
	for _, u := range us {
		res, err := p.tx.ExecContext(ctx, "UPDATE contacts SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
			p.now, u.id, u.s.c.Version)
		if err != nil {
			return fmt.Errorf("update contact %d: %w", u.id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errConflict
		}
	}
	return nil
}
