package crm

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/session"
	"github.com/rapport-crm/rapport/ent/user"
)

// UserUpdate is what an admin can change of a user.
type UserUpdate struct {
	Name   string
	Role   string
	Active bool
}

// UpdateUser changes a user's name, role or status. A role change is audited
// as such; deactivation ends the user's sessions at once. Admins cannot demote
// or deactivate themselves, so that there is always someone to undo it.
func UpdateUser(ctx context.Context, client *ent.Client, id int, in UserUpdate) error {
	in.Name = strings.TrimSpace(in.Name)
	fe := FieldErrors{}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 {
		fe.Add("name", "Enter a name of at most 200 characters.")
	}
	if user.RoleValidator(user.Role(in.Role)) != nil {
		fe.Add("role", "Choose admin, manager or staff.")
	}
	if a := ActorFrom(ctx); a.UserID == id && (in.Role != RoleAdmin || !in.Active) {
		fe.Add("role", "You cannot demote or deactivate yourself; ask another admin.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		u, err := tx.User.Get(ctx, id)
		if ent.IsNotFound(err) {
			return Errorf(ENotFound, "This user does not exist.")
		}
		if err != nil {
			return fmt.Errorf("load user %d: %w", id, err)
		}
		if err := tx.User.UpdateOne(u).SetName(in.Name).SetRole(user.Role(in.Role)).SetActive(in.Active).Exec(ctx); err != nil {
			return fmt.Errorf("update user %d: %w", id, err)
		}
		if string(u.Role) != in.Role {
			ch := Changes{"role": {string(u.Role), in.Role}}
			if err := audit(ctx, tx, Event{Action: ActionRoleChange, Entity: EntityUser, EntityID: id, Msg: MsgRoleChange(string(u.Role), in.Role), Changes: ch}); err != nil {
				return err
			}
		}
		if u.Name != in.Name {
			if err := audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityUser, EntityID: id, Msg: FieldsChanged(Changes{"name": {}}), Changes: Changes{"name": {u.Name, in.Name}}}); err != nil {
				return err
			}
		}
		if u.Active != in.Active {
			action := ActionDeactivate
			if in.Active {
				action = ActionUpdate
			}
			if err := audit(ctx, tx, Event{Action: action, Entity: EntityUser, EntityID: id, Changes: Changes{"active": {u.Active, in.Active}}}); err != nil {
				return err
			}
		}
		if !in.Active {
			if _, err := tx.Session.Delete().Where(session.UserID(id)).Exec(ctx); err != nil {
				return fmt.Errorf("end sessions of user %d: %w", id, err)
			}
		}
		return nil
	})
}

// ChangePassword sets a new password after checking the current one, and ends
// every session of the user, the one in use too: the caller starts a fresh
// one as a sign-in does, so that a copied session cookie stops working. API
// tokens stay valid (the account page says so). Wrong current
// passwords count against the login throttle (key "pw:<id>", ThrottlePassword
// per ThrottleWindow) before anything is hashed, and the hashing takes one of
// the process's hashing slots.
func (l *Logins) ChangePassword(ctx context.Context, id int, current, next string) error {
	client := l.client
	u, err := client.User.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	fe := FieldErrors{}
	if utf8.RuneCountInString(next) < MinPasswordLen {
		fe.Add("new", fmt.Sprintf("Use at least %d characters.", MinPasswordLen))
	} else if next == current {
		fe.Add("new", "Choose a password different from the current one.")
	}
	now, key := l.now(), passwordKey(id)
	n, start, err := l.count(ctx, key, now) // the sign-in throttle's counter, under its own key
	if err != nil {
		return err
	}
	if n > ThrottlePassword {
		wait := start.Add(ThrottleWindow).Sub(now).Round(time.Second)
		return &Error{Code: ETooMany, RetryAfter: max(wait, time.Second), Message: msgPasswordThrottled}
	}
	giveBack := func() { l.giveBack(ctx, []string{key}, now) }
	release, err := acquireHash(ctx) // one slot for the check and the new hash
	if err != nil {
		giveBack() // busy: no attempt was made
		return err
	}
	ok, _ := CheckPassword(u.PasswordHash, current)
	var hash string
	if ok && fe.Err() == nil {
		hash, err = HashPassword(next)
	}
	release()
	if err != nil {
		return err
	}
	if !ok {
		fe.Add("current", "This is not your current password.")
	} else {
		giveBack() // not a wrong attempt
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		if err := tx.User.UpdateOneID(id).SetPasswordHash(hash).SetPasswordChangedAt(now).Exec(ctx); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if _, err := tx.Session.Delete().Where(session.UserID(id)).Exec(ctx); err != nil {
			return fmt.Errorf("change password: end sessions: %w", err)
		}
		return audit(ctx, tx, Event{Action: ActionPasswordChange, Entity: EntityUser, EntityID: id})
	})
}

// Locales are the languages a user can pick; "" lets the browser decide.
var Locales = []string{"", "de", "en"}

// SetLocale records the language user id picked ("" for the browser's).
func SetLocale(ctx context.Context, client *ent.Client, id int, locale string) error {
	ok := false
	for _, l := range Locales {
		ok = ok || l == locale
	}
	if !ok {
		fe := FieldErrors{}
		fe.Add("locale", "Choose one of the languages offered.")
		return fe.Err()
	}
	if err := client.User.UpdateOneID(id).SetLocale(locale).Exec(ctx); err != nil {
		return fmt.Errorf("set locale: %w", err)
	}
	return nil
}
