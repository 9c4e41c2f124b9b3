package crm

import (
	"context"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
)

// ContactWriter is the one way a contact is written: the form, the import
// (create, update, replace, revert) and every later writer hand it the state
// a contact should have. It loads the stored contacts once, set-wise,
// compares, writes only what changed, and in the same transaction writes the
// audit event, the health and touch-due date, the follower history, the
// search change record and invalidates the list cache after the commit.
// One contact is a batch of one: the same code, the same statements.
type ContactWriter struct {
	client  *ent.Client
	dialect string
	now     func() time.Time
	lookups *Lookups // may be nil: nothing cached to invalidate

	placeCache placeCache       // the canonical city and region names (places.go)
	fields     CustomFieldCache // the custom fields every write is checked against
}

// NewContactWriter returns the writer for client on dia (dialect.Postgres or
// dialect.SQLite). now may be nil (time.Now); lookups may be nil.
func NewContactWriter(client *ent.Client, dia string, now func() time.Time, lookups *Lookups) *ContactWriter {
	if now == nil {
		now = time.Now
	}
	return &ContactWriter{client: client, dialect: dia, now: now, lookups: lookups}
}

// Dialect is the database the writer writes to.
func (w *ContactWriter) Dialect() string { return w.dialect }

// ContactWrite is the state one contact should have after a write.
type ContactWrite struct {
	ID      int          // the stored contact; 0 creates one
	In      ContactInput // normalised and validated (ContactInput.Check)
	Msg     AuditMsg     // the audit sentence; empty for an edit: the changed fields
	Privacy PrivacyNote  // evidence, wording, lift reason, notice: recorded on the consent event
	// Restate records a consent event of the state written (kind
	// ChangedMerge) even when the contact's state does not change: the
	// caller moved another contact's events to it (a merge), and the
	// newest event must state the contact's columns again.
	Restate bool
	// Nomination is the approved nomination that moves the contact's stage
	// (Decide): the stage rule (checkStageChange) lets it make an advocate,
	// in a trusted write too.
	Nomination int
}

// WriteOptions say how a batch is written.
type WriteOptions struct {
	// Trusted writes come from a caller that matched them against the stored
	// contacts itself (import, revert): no version check, no stage rule (an
	// import checks it while planning; a revert restores what was; a write
	// that names a nomination is checked all the same), no look-up
	// of the channels' owners (the unique index stays the backstop).
	Trusted bool
	// BeforeNewNames, when set, runs before an outlet, topic or tag that does
	// not exist yet is created, and the names are looked up again after it:
	// an importer that commits batches on two connections at once waits there
	// for the earlier batch, which may be creating the same names.
	BeforeNewNames func() error
	// FiguresHistory: the follower counts come from channel figures whose
	// readings the caller stored as the channels' history itself
	// (ChannelFigures.Record), so the writer adds no history points.
	FiguresHistory bool
}

// Written says what a write did to one contact.
type Written struct {
	ID      int  // the contact (the new id of a created one)
	Found   bool // the contact existed, or was created
	Changed bool // something was written
}

// Write stores ws in tx (a db.WithTx transaction), set-wise: a few
// statements per table and batch, whatever its size. Missing contacts are
// skipped (Found false). Errors: EConflict when a form's version is stale,
// EInvalid for the stage rule and channels that belong to someone else.
func (w *ContactWriter) Write(ctx context.Context, tx *ent.Tx, ws []ContactWrite, opt WriteOptions) ([]Written, error) {
	out := make([]Written, len(ws))
	if len(ws) == 0 {
		return out, nil
	}
	var ids []int
	for _, x := range ws {
		if x.ID != 0 {
			ids = append(ids, x.ID)
		}
	}
	st, err := loadStored(ctx, tx.Client(), w.dialect, ids)
	if err != nil {
		return nil, err
	}
	return w.writeStored(ctx, tx, ws, opt, st)
}

// writeStored is Write with the stored contacts already loaded (in tx).
func (w *ContactWriter) writeStored(ctx context.Context, tx *ent.Tx, ws []ContactWrite, opt WriteOptions, st map[int]*stored) ([]Written, error) {
	out := make([]Written, len(ws))
	ctx = db.SelfRecorded(ctx) // the writer records its changes itself
	if w.lookups != nil {
		ctx = withDeclaring(ctx) // and says what the list cache must drop
	}
	// The place rule, here for every write (form, import, bulk change, merge):
	// one spelling per city and region.
	places, err := w.places(ctx, tx.Client())
	if err != nil {
		return nil, err
	}
	for i := range ws {
		ws[i].In.City, ws[i].In.Region = places.Canonical(ws[i].In.City, ws[i].In.Region)
	}
	p := newWritePlan(w, tx, opt, ws)
	if !opt.Trusted {
		if err := checkErased(ctx, tx.Client(), ws); err != nil {
			return nil, err
		}
		if err := w.checkCustom(ctx, tx.Client(), ws); err != nil {
			return nil, err
		}
	}
	for i, x := range ws {
		if err := x.Privacy.check(); err != nil {
			return nil, err
		}
		if x.ID == 0 {
			if !opt.Trusted {
				if err := x.In.CheckStageChange(""); err != nil {
					return nil, err
				}
			}
			p.create(i, x)
			if c := planConsent(i, nil, nil, x); c != nil {
				p.consent = append(p.consent, c)
			}
			continue
		}
		s := st[x.ID]
		if s == nil {
			continue
		}
		out[i] = Written{ID: x.ID, Found: true}
		if !opt.Trusted && s.c.Version != x.In.Version {
			return nil, errConflict
		}
		if !opt.Trusted || x.Nomination != 0 {
			if err := checkStageChange(ctx, tx.Client(), x, string(s.c.Stage)); err != nil {
				return nil, err
			}
		}
		if lifts(s.in, x.In) {
			if err := checkLift(ctx, x.Privacy); err != nil {
				if !opt.Trusted {
					return nil, err
				}
				x.In = keepFlags(s.in, x.In) // an import or a revert never lifts them unasked
			}
		}
		if c := planConsent(i, &s.in, s.c.NotifiedAt, x); c != nil {
			p.consent = append(p.consent, c)
		}
		p.update(i, x, s)
	}
	if err := p.run(ctx); err != nil {
		return nil, err
	}
	if err := p.writeConsent(ctx); err != nil {
		return nil, err
	}
	for i, id := range p.written {
		out[i] = Written{ID: id, Found: true, Changed: true}
	}
	if len(p.written) == 0 {
		return out, nil
	}
	touched := make([]int, 0, len(p.written))
	for _, id := range p.written {
		touched = append(touched, id)
	}
	if err := db.RecordChanges(ctx, w.dialect, touched...); err != nil {
		return nil, err
	}
	w.lookups.declare(tx, written{ids: touched, lists: p.lists, labels: p.labels})
	return out, nil
}

// checkCustom validates the custom values of ws against the contact fields
// (a trusted writer checked them itself: the import while mapping, a
// revert restores what was, a type change converts).
func (w *ContactWriter) checkCustom(ctx context.Context, client *ent.Client, ws []ContactWrite) error {
	var fs CustomFields
	for _, x := range ws {
		if len(x.In.Custom) == 0 {
			continue
		}
		if fs == nil {
			var err error
			if fs, err = w.fields.Fields(ctx, client, EntityContact); err != nil {
				return err
			}
		}
		if fe := fs.Check(x.In.Custom); len(fe) > 0 {
			return fe.Err()
		}
	}
	return nil
}

// CustomFields are the contact fields as the writer checks them.
func (w *ContactWriter) CustomFields(ctx context.Context) (CustomFields, error) {
	return w.fields.Fields(ctx, w.client, EntityContact)
}

// invalidateOnCommit drops the list cache now and again after tx commits.
func (w *ContactWriter) invalidateOnCommit(tx *ent.Tx) {
	if w.lookups == nil {
		return
	}
	w.lookups.Invalidate()
	tx.OnCommit(func(c ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := c.Commit(ctx, tx)
			w.lookups.Invalidate()
			return err
		})
	})
}

var (
	errConflict = Errorf(EConflict, "Someone else saved this contact after you opened it.")
	errGone     = Errorf(ENotFound, "This contact does not exist (any more).")
)

// Create validates in and stores a new contact with its e-mails, channels,
// outlets, topics and tags in one transaction; it returns the new id.
func (w *ContactWriter) Create(ctx context.Context, in ContactInput) (int, error) {
	return w.CreateNoted(ctx, in, PrivacyNote{})
}

// CreateNoted is Create with a note on the new contact's consent event.
func (w *ContactWriter) CreateNoted(ctx context.Context, in ContactInput, note PrivacyNote) (int, error) {
	if err := in.Check(); err != nil {
		return 0, err
	}
	var id int
	err := db.WithTx(ctx, w.client, func(ctx context.Context, tx *ent.Tx) error {
		res, err := w.Write(ctx, tx, []ContactWrite{{In: in, Privacy: note}}, WriteOptions{})
		if err == nil {
			id = res[0].ID
		}
		return err
	})
	return id, err
}

// Update saves in over contact id, provided nobody saved it since
// in.Version; otherwise it returns an EConflict error and changes nothing.
// It reports whether anything changed.
func (w *ContactWriter) Update(ctx context.Context, id int, in ContactInput) (bool, error) {
	return w.UpdateNoted(ctx, id, in, PrivacyNote{})
}

// UpdateNoted is Update with a note (evidence, wording, the reason of a
// lift) on the consent event the save may record.
func (w *ContactWriter) UpdateNoted(ctx context.Context, id int, in ContactInput, note PrivacyNote) (bool, error) {
	if err := in.Check(); err != nil {
		return false, err
	}
	var changed bool
	err := db.WithTx(ctx, w.client, func(ctx context.Context, tx *ent.Tx) error {
		res, err := w.Write(ctx, tx, []ContactWrite{{ID: id, In: in, Privacy: note}}, WriteOptions{})
		if err != nil {
			return err
		}
		if !res[0].Found {
			return errGone
		}
		changed = res[0].Changed
		return nil
	})
	return changed, err
}

// Check normalises in as a save would and validates it; the error is an
// EInvalid *Error with field errors.
func (in *ContactInput) Check() error {
	in.normalize()
	return in.validate()
}

// writerFor returns a writer for client on the client's own database: for
// callers that have no writer of their own (tests, tools).
func writerFor(client *ent.Client) *ContactWriter {
	var lk *Lookups
	if v, ok := lookupsOf.Load(client); ok {
		lk = v.(*Lookups)
	}
	return NewContactWriter(client, client.Dialect(), timeNow, lk)
}

// CreateContact is ContactWriter.Create for callers without a writer (tests
// and tools); it reads the new contact back.
func CreateContact(ctx context.Context, client *ent.Client, in ContactInput) (*ent.Contact, error) {
	id, err := writerFor(client).Create(ctx, in)
	if err != nil {
		return nil, err
	}
	return client.Contact.Get(ctx, id)
}

// UpdateContact is ContactWriter.Update for callers without a writer (tests
// and tools); it reads the saved contact back.
func UpdateContact(ctx context.Context, client *ent.Client, id int, in ContactInput) (*ent.Contact, error) {
	if _, err := writerFor(client).Update(ctx, id, in); err != nil {
		return nil, err
	}
	return client.Contact.Get(ctx, id)
}
