package crm

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/user"
)

// TaskInput is a follow-up as the form sends it.
type TaskInput struct {
	Title      string
	Due        string // YYYY-MM-DD
	AssigneeID int    // 0: the creator
}

// dateLayout is the value format of <input type="date">.
const dateLayout = "2006-01-02"

// CreateTask adds a follow-up for contact id, due at the end of the working
// day of its date (17:00 UTC), assigned to an active user (the creator when
// none is chosen).
func CreateTask(ctx context.Context, client *ent.Client, contactID int, in TaskInput) (*ent.Task, error) {
	in.Title = strings.TrimSpace(in.Title)
	fe := FieldErrors{}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		fe.Add("task_title", "Say what to do.")
	case n > 300:
		fe.Add("task_title", "At most 300 characters.")
	}
	day, err := time.Parse(dateLayout, strings.TrimSpace(in.Due))
	if err != nil {
		fe.Add("task_due", "Enter a due date.")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	a := ActorFrom(ctx)
	if in.AssigneeID == 0 {
		in.AssigneeID = a.UserID
	}
	var t *ent.Task
	err = db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		if ok, err := tx.Contact.Query().Where(contact.ID(contactID)).Exist(ctx); err != nil {
			return fmt.Errorf("create task: %w", err)
		} else if !ok {
			return Errorf(ENotFound, "This contact does not exist (any more).")
		}
		if in.AssigneeID != 0 {
			if ok, err := tx.User.Query().Where(user.ID(in.AssigneeID), user.Active(true)).Exist(ctx); err != nil {
				return fmt.Errorf("create task: %w", err)
			} else if !ok {
				return (FieldErrors{"task_assignee": "Choose an active colleague."}).Err()
			}
		}
		t, err = insertTask(ctx, tx, contactID, in.Title, day.Add(17*time.Hour), in.AssigneeID, a.UserID)
		return err
	})
	return t, err
}

// insertTask stores a follow-up inside tx, with its audit event: the one
// write of a task, for a user's form and for the keyword alerts. assignee
// and by 0 mean nobody.
func insertTask(ctx context.Context, tx *ent.Tx, contactID int, title string, due time.Time, assignee, by int) (*ent.Task, error) {
	c := tx.Task.Create().SetContactID(contactID).SetTitle(title).SetDueAt(due.UTC()).SetCreatedAt(timeNow().UTC())
	if assignee != 0 {
		c.SetAssigneeID(assignee)
	}
	if by != 0 {
		c.SetCreatedByID(by)
	}
	t, err := c.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create task: %w", err)
	}
	return t, audit(ctx, tx, Event{Action: ActionCreate, Entity: EntityTask, EntityID: t.ID, Msg: MsgTaskDue(title, due),
		Changes: created(map[string]any{"contact": contactID, "title": title, "due": due.UTC().Format(dateLayout), "assignee": assignee})})
}

// CompleteTask marks follow-up id done (again is fine) and returns it.
func CompleteTask(ctx context.Context, client *ent.Client, id int) (*ent.Task, error) {
	var t *ent.Task
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		var err error
		t, err = tx.Task.Get(ctx, id)
		if ent.IsNotFound(err) {
			return Errorf(ENotFound, "This follow-up does not exist (any more).")
		}
		if err != nil || t.DoneAt != nil {
			return err
		}
		now := timeNow().UTC()
		if err := tx.Task.UpdateOneID(id).SetDoneAt(now).Exec(ctx); err != nil {
			return fmt.Errorf("complete task: %w", err)
		}
		t.DoneAt = &now
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityTask, EntityID: id, Msg: MsgTaskDone(t.Title),
			Changes: Changes{"done": {false, true}}})
	})
	return t, err
}

// FollowUp says what logging an interaction does to follow-ups.
type FollowUp struct {
	CompleteOpen bool   // complete the contact's open follow-up due first
	NextInDays   int    // schedule the next follow-up this many days later (0: none)
	NextTitle    string // its title; a default when empty
}

func (f FollowUp) validate(fe FieldErrors) {
	if f.NextInDays < 0 || f.NextInDays > 365 {
		fe.Add("next_in_days", "Schedule the next follow-up within 1 to 365 days, or leave it empty.")
	}
	if utf8.RuneCountInString(f.NextTitle) > 300 {
		fe.Add("next_title", "At most 300 characters.")
	}
}
