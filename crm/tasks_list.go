package crm

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/predicate"
	"github.com/rapport-crm/rapport/ent/task"
)

// TaskParams filters the follow-up list.
type TaskParams struct {
	UserID  int  // whose "mine" is
	All     bool // the team's, not only mine
	Done    bool // done ones instead of open ones
	Overdue bool // only open ones past their due date
	Limit   int
}

// TaskRow is one follow-up of a list.
type TaskRow struct {
	ID          int
	Title       string
	DueAt       time.Time
	DoneAt      *time.Time
	ContactID   int
	ContactName string
	Assignee    string
	AssigneeID  int
}

// Overdue reports whether the follow-up is open past its due time.
func (r TaskRow) Overdue(now time.Time) bool { return r.DoneAt == nil && r.DueAt.Before(now) }

// ListTasks lists follow-ups, open ones by due date (oldest first), done ones
// newest first, with their contact and assignee (three queries).
func ListTasks(ctx context.Context, client *ent.Client, p TaskParams, now time.Time) ([]TaskRow, error) {
	if p.Limit <= 0 || p.Limit > 500 {
		p.Limit = 200
	}
	var where []predicate.Task
	if !p.All {
		where = append(where, task.AssigneeID(p.UserID))
	}
	q := client.Task.Query()
	switch {
	case p.Done:
		where = append(where, task.DoneAtNotNil())
		q.Order(task.ByDoneAt(sql.OrderDesc()), task.ByID(sql.OrderDesc()))
	case p.Overdue:
		where = append(where, task.DoneAtIsNil(), task.DueAtLT(now.UTC()))
		q.Order(task.ByDueAt(), task.ByID())
	default:
		where = append(where, task.DoneAtIsNil())
		q.Order(task.ByDueAt(), task.ByID())
	}
	ts, err := q.Where(where...).Limit(p.Limit).WithContact().WithAssignee().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list follow-ups: %w", err)
	}
	return taskRows(ts), nil
}

func taskRows(ts []*ent.Task) []TaskRow {
	out := make([]TaskRow, len(ts))
	for i, t := range ts {
		r := TaskRow{ID: t.ID, Title: t.Title, DueAt: t.DueAt, DoneAt: t.DoneAt, ContactID: t.ContactID}
		if c := t.Edges.Contact; c != nil {
			r.ContactName = DisplayName(c.FirstName, c.LastName)
		}
		if a := t.Edges.Assignee; a != nil {
			r.Assignee, r.AssigneeID = a.Name, a.ID
		}
		out[i] = r
	}
	return out
}
