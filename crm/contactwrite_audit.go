package crm

import "context"

// audit writes one event per written contact: a new one's snapshot, a
// changed one's fields old → new (nothing when only row order moved).
func (p *writePlan) audit(ctx context.Context) error {
	evs := make([]Event, 0, len(p.creates)+len(p.updates))
	for _, c := range p.creates {
		ev := Event{Action: ActionCreate, Entity: EntityContact, EntityID: c.id, Msg: c.x.Msg}
		// An import's row stays in its job, which the trail names: a copy of
		// every imported person in the trail would cost the import 12–20 %
		// and keep personal data where erasure must reach it.
		if !p.opt.Trusted {
			ev.Changes = created(snapshotOf(p.canonical(c.x.In, nil)))
		}
		evs = append(evs, ev)
	}
	// A bulk change's events say one sentence with the same fields: made
	// once, and one arguments map the audit insert renders once.
	var last struct {
		base, msg AuditMsg
		codes     string
	}
	for _, u := range p.updates {
		after := p.canonical(u.x.In, u.s)
		ch := diffContact(&u.s.in, &after)
		if len(ch) == 0 {
			continue
		}
		msg := u.x.Msg
		switch codes := fieldCodes(ch); {
		case msg.id == "":
			msg = FieldsChanged(ch)
		case codes == last.codes && msg.same(last.base):
			msg = last.msg
		default:
			last.base, last.codes = msg, codes
			msg = msg.withCodes(codes)
			last.msg = msg
		}
		evs = append(evs, Event{Action: ActionUpdate, Entity: EntityContact, EntityID: u.id, Msg: msg, Changes: ch})
	}
	return p.w.auditBulk(ctx, p.tx, p.now, evs)
}

// canonical is in with the stored spelling of its outlets, topics and tags,
// as a read of the saved contact would give them.
func (p *writePlan) canonical(in ContactInput, s *stored) ContactInput {
	var jobs []storedJob
	var topics, tags []storedLabel
	if s != nil {
		jobs, topics, tags = s.jobs, s.topics, s.tags
	}
	// A contact has a few of each: a look through its stored rows (the last
	// of a key wins) costs less than a map per contact.
	label := func(name string, have []storedLabel, resolved map[string]storedLabel) string {
		k := foldKey(name)
		for i := len(have) - 1; i >= 0; i-- {
			if foldKey(have[i].name) == k {
				return have[i].name
			}
		}
		if l, ok := resolved[k]; ok {
			return l.name
		}
		return name
	}
	out := in
	out.Outlets, out.Topics, out.Tags = make([]OutletRole, len(in.Outlets)), make([]string, len(in.Topics)), make([]string, len(in.Tags))
	for i, o := range in.Outlets {
		name, k := o.Outlet, foldKey(o.Outlet)
		found := false
		for j := len(jobs) - 1; j >= 0 && !found; j-- {
			if foldKey(jobs[j].outlet) == k {
				name, found = jobs[j].outlet, true
			}
		}
		if l, ok := p.outlets[k]; ok && !found {
			name = l.name
		}
		out.Outlets[i] = OutletRole{Outlet: name, Role: o.Role}
	}
	for i, t := range in.Topics {
		out.Topics[i] = label(t, topics, p.topics)
	}
	for i, t := range in.Tags {
		out.Tags[i] = label(t, tags, p.tags)
	}
	return out
}
