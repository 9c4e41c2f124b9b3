package demo

import (
	"context"
	"fmt"
	"strconv"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/schema"
)

// writeBulk runs two bulk changes as the team would, through the bulk
// service (selection resolver, contact writer, audit, undo record): Katrin
// Vogel (manager) tags the supporters and advocates in Bayern for this
// year's Christmas cards, and Leonie Schäfer takes over the aware contacts
// in Hamburg, a change she then undoes: the bulk changes page shows one of
// each.
func (g *demoGen) writeBulk(ctx context.Context, client *ent.Client, st *Stats) error {
	sels := crm.NewSelections(client, g.dialect, nil, nil, nil)
	b := crm.NewBulkActions(client, g.writer, sels, nil)
	b.Worker = "demo"
	as := func(i int) (context.Context, error) {
		u, err := client.User.Get(ctx, g.users[i])
		if err != nil {
			return nil, fmt.Errorf("demo: bulk: %w", err)
		}
		return crm.WithActor(ctx, crm.Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role)}), nil
	}
	run := func(ctx context.Context, req crm.BulkRequest) (int, error) {
		if n, err := sels.Count(ctx, req.Selection, 0); err != nil || n == 0 {
			return 0, err // a tiny demo may have nobody there
		}
		id, err := b.Start(ctx, req)
		if err != nil {
			return 0, fmt.Errorf("demo: bulk %s: %w", req.Action, err)
		}
		if _, err := b.Run(ctx, id); err != nil { // a large one was queued: the demo runs it now
			return 0, fmt.Errorf("demo: bulk %s: %w", req.Action, err)
		}
		return id, nil
	}
	katrin, err := as(1)
	if err != nil {
		return err
	}
	year := strconv.Itoa(g.now.Year())
	tagged, err := run(katrin, crm.BulkRequest{Action: "add_tag", Value: "Weihnachtskarte " + year, Scope: crm.BulkScopeAll,
		Selection: crm.Selection{Filter: schema.SegmentFilter{Regions: []string{"Bayern"}, Stages: []string{"supporter", "advocate"}}}})
	if err != nil {
		return err
	}
	if tagged != 0 {
		st.Tags++ // the new tag
	}
	leonie, err := as(3)
	if err != nil {
		return err
	}
	id, err := run(leonie, crm.BulkRequest{Action: "set_owner", Value: strconv.Itoa(g.users[3]), Scope: crm.BulkScopeAll,
		Selection: crm.Selection{Filter: schema.SegmentFilter{Regions: []string{"Hamburg"}, Stages: []string{"aware"}}}})
	if err != nil || id == 0 {
		return err
	}
	if err := b.Undo(leonie, id); err != nil {
		return fmt.Errorf("demo: bulk undo: %w", err)
	}
	if _, err := b.RunUndo(leonie, id); err != nil {
		return fmt.Errorf("demo: bulk undo: %w", err)
	}
	return nil
}
