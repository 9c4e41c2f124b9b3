package importing

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
)

// Row actions, as stored in ImportRow.action.
const (
	ActCreate    = "create"
	ActUpdate    = "update"
	ActUnchanged = "unchanged"
	ActMerged    = "merged"
	ActError     = "error"
)

// outcome is what happens to one row.
type outcome struct {
	rec      Record
	action   string
	reason   string
	target   *target
	before   *crm.ContactInput // the contact before this import (first update only)
	warnings []string
}

// target is one contact that rows of the batch lead to: an existing one or a
// new one.
type target struct {
	id             int // existing contact; 0 for a new one (until created)
	virtual        int // dry run: a new contact of an earlier batch (its first row)
	base           crm.ContactInput
	cur            crm.ContactInput
	rows           int  // rows applied so far in this batch
	changed        bool // cur differs from base
	earlier        bool // rows of an earlier batch led to it
	earlierChanged bool // an earlier batch created or changed it
	firstRow       int
}

func (t *target) isNew() bool { return t.id == 0 && t.virtual == 0 }

// batch plans one batch of records: which row goes to which contact with
// what result. Nothing is written here.
type batch struct {
	e        *engine
	outcomes []*outcome
	targets  []*target
	byKey    map[string]*target
	byID     map[int]*target
	rowKeys  map[string]bool      // the match keys of every mapped row
	erased   map[string]time.Time // match keys of people who asked to be erased: when
	unknown  bool                 // a row names a Rapport ID that no contact has (yet)
}

// rowKeys are the match keys of a row: its Rapport id, e-mails and handles.
func rowKeys(d *RowData) []string {
	var ks []string
	if d.ID > 0 {
		ks = append(ks, "i:"+strconv.Itoa(d.ID))
	}
	for _, e := range d.Emails {
		ks = append(ks, "e:"+e.Address)
	}
	for _, c := range d.Channels {
		ks = append(ks, "h:"+c.Platform+"/"+c.Handle)
	}
	return ks
}

// plan maps the records and matches them, looking existing contacts up with
// one query per kind of key and loading the matched ones in one go.
func (e *engine) plan(ctx context.Context, client *ent.Client, recs []Record) (*batch, error) {
	b := &batch{e: e, byKey: map[string]*target{}, byID: map[int]*target{}, rowKeys: map[string]bool{}}
	datas := make([]*RowData, len(recs))
	var ids []int
	var emails, handles []string
	for i, rec := range recs {
		o := &outcome{rec: rec}
		b.outcomes = append(b.outcomes, o)
		switch {
		case rec.Err != "":
			o.action, o.reason = ActError, capitalize(rec.Err)
			continue
		case blank(rec.Cells):
			continue // an empty line holds no contact
		}
		d, err := e.mapper.Map(rec.Cells)
		if err != nil {
			o.action, o.reason = ActError, capitalize(err.Error())
			continue
		}
		datas[i], o.warnings = d, d.Warnings
		if d.ID > 0 {
			ids = append(ids, d.ID)
		}
		for _, m := range d.Emails {
			emails = append(emails, m.Address)
		}
		for _, c := range d.Channels {
			handles = append(handles, c.Platform+"/"+c.Handle)
		}
	}
	found, err := lookup(ctx, client, ids, emails, handles)
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, d := range datas {
		if d != nil {
			keys = append(keys, rowKeys(d)...)
		}
	}
	if b.erased, err = crm.Suppressed(ctx, client, keys); err != nil {
		return nil, err
	}
	var need []int
	for id := range found.contacts() {
		need = append(need, id)
	}
	sort.Ints(need)
	bases, err := e.writer().LoadContactInputs(ctx, client, need)
	if err != nil {
		return nil, err
	}
	for i, d := range datas {
		if d != nil {
			b.apply(b.outcomes[i], d, found, bases)
		}
	}
	if err := b.warnDuplicates(ctx, client); err != nil {
		return nil, err
	}
	return b, nil
}

// apply matches one row and lays it over its contact.
func (b *batch) apply(o *outcome, d *RowData, found *found, bases map[int]crm.ContactInput) {
	keys := rowKeys(d)
	for _, k := range keys {
		b.rowKeys[k] = true
	}
	cands, why := b.candidates(d, keys, found, bases)
	if len(cands) > 1 {
		o.action, o.reason = ActError, "The row matches more than one contact: "+strings.Join(why, "; ")+". Fix the file or merge the contacts first."
		return
	}
	var t *target
	if len(cands) == 1 {
		t = cands[0]
	} else {
		for _, k := range keys {
			if at, ok := b.erased[k]; ok { // never silently re-create an erased person
				o.action, o.reason = ActError, crm.ErasedMessage(at)+" Not imported."
				return
			}
		}
		t = &target{firstRow: o.rec.Row, base: crm.ContactInput{OwnerID: b.e.owner}}
		t.cur = t.base
		b.targets = append(b.targets, t)
	}
	if t.virtual != 0 { // dry run: a contact an earlier batch would create
		o.action, o.target = ActMerged, t
		o.reason = probSameRow.say("Row", t.virtual)
		b.register(keys, t)
		return
	}
	overwrite := t.rows == 0 && !t.earlier
	custom, err := b.e.customValues(d)
	if err != nil {
		o.action, o.reason = ActError, reasonOf(err)
		return
	}
	next, warns := applyRow(t.cur, d, overwrite)
	next.Custom = mergeCustom(next.Custom, custom, overwrite)
	err = next.Check()
	if err == nil {
		err = next.CheckStageChange(t.base.Stage) // an import makes no advocates
	}
	if err != nil {
		o.action, o.reason = ActError, reasonOf(err)
		return
	}
	o.warnings = append(o.warnings, warns...)
	changed := !sameInput(next, t.cur)
	first := t.rows == 0
	t.rows++
	if t.firstRow == 0 {
		t.firstRow = o.rec.Row
	}
	t.cur = next
	o.target = t
	b.register(keys, t)
	switch {
	case t.isNew() && first:
		o.action = ActCreate
	case !changed:
		o.action = ActUnchanged
		if !first || t.earlier {
			o.reason = probSameNothing.say()
		}
	case !t.changed && !t.earlierChanged:
		o.action = ActUpdate
		before := t.base
		o.before = &before
	default:
		o.action = ActMerged
		o.reason = mergedReason(t)
	}
	if changed {
		t.changed = true
	}
}

func mergedReason(t *target) string {
	if t.firstRow != 0 {
		return probSameRow.say("Row", t.firstRow)
	}
	return probSameContact.say("ID", t.id)
}

// candidates returns the distinct contacts the row's keys lead to, with a
// sentence on each for the reason of a conflict.
func (b *batch) candidates(d *RowData, keys []string, found *found, bases map[int]crm.ContactInput) ([]*target, []string) {
	var out []*target
	var why []string
	add := func(t *target, k string) {
		for _, x := range out {
			if x == t {
				return
			}
		}
		out = append(out, t)
		why = append(why, describeKey(k, t))
	}
	for _, k := range keys {
		if t, ok := b.byKey[k]; ok {
			add(t, k)
			continue
		}
		if v, ok := b.e.virtual[k]; ok && v < 0 {
			t := b.byID[v] // virtual contacts are keyed by minus their first row
			if t == nil {
				t = &target{virtual: -v, firstRow: -v}
				b.byID[v] = t
			}
			b.byKey[k] = t
			add(t, k)
			continue
		}
		id, ok := found.match(k)
		if !ok {
			if strings.HasPrefix(k, "i:") {
				b.unknown = true
				d.Warnings = append(d.Warnings, probNoSuchID.say("ID", d.ID))
			}
			continue
		}
		base, ok := bases[id]
		if !ok {
			continue // deleted meanwhile
		}
		t := b.byID[id]
		if t == nil {
			t = &target{id: id, base: base, cur: base, earlier: b.e.seen[id], earlierChanged: b.e.changed[id], firstRow: b.e.firstRow[id]}
			b.byID[id] = t
			b.targets = append(b.targets, t)
		}
		add(t, k)
	}
	return out, why
}

func (b *batch) register(keys []string, t *target) {
	for _, k := range keys {
		if _, ok := b.byKey[k]; !ok {
			b.byKey[k] = t
		}
	}
}

func describeKey(k string, t *target) string {
	who := "a new contact from row " + strconv.Itoa(t.firstRow)
	switch {
	case t.id != 0:
		who = "contact " + strconv.Itoa(t.id) + " (" + crm.DisplayName(t.base.FirstName, t.base.LastName) + ")"
	case t.virtual != 0:
		who = "the contact of row " + strconv.Itoa(t.virtual)
	}
	kind, v, _ := strings.Cut(k, ":")
	switch kind {
	case "i":
		return "Rapport ID " + v + " is " + who
	case "e":
		return "e-mail " + v + " belongs to " + who
	}
	return "handle " + v + " belongs to " + who
}

// reasonOf turns validation errors into one sentence with field labels.
func reasonOf(err error) string {
	var e *crm.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		names := map[string]string{"emails": "E-mail", "phones": "Phone", "channels": "Channel", "outlets": "Outlet", "last_name": "Name"}
		var parts []string
		for f, msg := range e.Fields {
			key, _, _ := strings.Cut(f, ".")
			label, ok := names[key]
			if !ok {
				label = FieldLabel(key)
			}
			parts = append(parts, label+": "+msg)
		}
		sort.Strings(parts)
		return strings.Join(parts, " ")
	}
	if m := crm.ErrorMessage(err); m != "" {
		return m
	}
	return probCannotImport.say()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
