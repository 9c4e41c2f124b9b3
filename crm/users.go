package crm

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
)

// Roles in order of power.
const (
	RoleStaff   = "staff"
	RoleManager = "manager"
	RoleAdmin   = "admin"
)

// MinPasswordLen is the shortest password accepted (OWASP ASVS 2.1.1).
const MinPasswordLen = 12

// UserInput is what it takes to create a user.
type UserInput struct {
	Email    string
	Name     string
	Role     string
	Password string
}

// NormalizeEmail trims and lower-cases an address; mail systems treat the
// domain case-blind and in practice the local part too.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s (normalised) is a plain address like a@b.de.
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>\"") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// CreateUser validates in and stores a new active user with an argon2id hash.
func CreateUser(ctx context.Context, client *ent.Client, in UserInput) (*ent.User, error) {
	in.Email = NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	fe := FieldErrors{}
	if !ValidEmail(in.Email) {
		fe.Add("email", "Enter an e-mail address like name@example.com.")
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 {
		fe.Add("name", "Enter a name of at most 200 characters.")
	}
	if user.RoleValidator(user.Role(in.Role)) != nil {
		fe.Add("role", "Choose admin, manager or staff.")
	}
	if utf8.RuneCountInString(in.Password) < MinPasswordLen {
		fe.Add("password", fmt.Sprintf("Use at least %d characters.", MinPasswordLen))
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	release, err := acquireHash(ctx) // 19 MiB, like a sign-in
	if err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password)
	release()
	if err != nil {
		return nil, err
	}
	var u *ent.User
	err = db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		var err error
		u, err = tx.User.Create().SetEmail(in.Email).SetName(in.Name).SetRole(user.Role(in.Role)).SetPasswordHash(hash).Save(ctx)
		if err != nil {
			return err
		}
		return audit(ctx, tx, Event{Action: ActionCreate, Entity: EntityUser, EntityID: u.ID,
			Changes: created(map[string]any{"email": u.Email, "name": u.Name, "role": string(u.Role)})})
	})
	if ent.IsConstraintError(err) {
		return nil, &Error{Code: EConflict, Message: "A user with this e-mail address exists already.",
			Fields: map[string]string{"email": "This address is taken."}}
	}
	if err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// dummyHash is checked against when the e-mail is unknown, so that a login
// for a missing account takes as long as one with a wrong password.
var dummyHash, _ = HashPassword("rapport-dummy-password")

// ErrBadCredentials is the one answer for an unknown e-mail, a wrong password
// or a deactivated account: a login form must not tell them apart.
var ErrBadCredentials = &Error{Code: EUnauthorized, Message: "E-mail or password is wrong."}

// Authenticate returns the active user with this e-mail and password.
// At most MaxConcurrentHashes passwords are checked at once (19 MiB each).
func Authenticate(ctx context.Context, client *ent.Client, email, password string) (*ent.User, error) {
	release, err := acquireHash(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	u, err := client.User.Query().Where(user.Email(NormalizeEmail(email))).Only(ctx)
	if ent.IsNotFound(err) {
		_, _ = CheckPassword(dummyHash, password)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil {
		return nil, fmt.Errorf("authenticate user %d: %w", u.ID, err)
	}
	if !ok || !u.Active {
		return nil, ErrBadCredentials
	}
	if err := client.User.UpdateOne(u).SetLastLoginAt(time.Now()).Exec(ctx); err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	return u, nil
}
