package crm

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
)

// SSOLogin is a sign-in confirmed by the identity provider.
type SSOLogin struct {
	Email         string
	EmailVerified bool
	Name          string
	Create        bool   // create a user for an unknown address
	DefaultRole   string // the role of a created user
}

// LoginSSO finds the active user of a verified e-mail address (creating
// one with the default role when allowed) and audits the sign-in. An
// unverified address, an unknown one (without Create) and a deactivated
// user are refused alike.
func LoginSSO(ctx context.Context, client *ent.Client, in SSOLogin) (*ent.User, error) {
	email := strings.ToLower(strings.TrimSpace(in.Email))
	refused := Errorf(EUnauthorized, "Your identity provider did not confirm an e-mail address Rapport knows. Ask an admin to add you.")
	if !in.EmailVerified || email == "" {
		return nil, refused
	}
	u, err := client.User.Query().Where(user.Email(email)).Only(ctx)
	switch {
	case ent.IsNotFound(err) && in.Create:
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		name := strings.TrimSpace(in.Name)
		if name == "" {
			name = email
		}
		// The password is random and never shown: this user signs in through the provider.
		if u, err = CreateUser(ctx, client, UserInput{Email: email, Name: Truncate(name, 200), Role: in.DefaultRole,
			Password: base64.RawURLEncoding.EncodeToString(raw)}); err != nil {
			return nil, fmt.Errorf("create single sign-on user: %w", err)
		}
	case ent.IsNotFound(err):
		return nil, refused
	case err != nil:
		return nil, fmt.Errorf("find single sign-on user: %w", err)
	}
	if !u.Active {
		return nil, refused
	}
	a := ActorFrom(ctx)
	actx := WithActor(ctx, Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role), RequestID: a.RequestID, IP: a.IP})
	if err := auditWith(actx, client.AuditEvent.Create(), Event{Action: ActionLogin, Entity: EntityUser, EntityID: u.ID, Msg: MsgSingleSignOn()}); err != nil {
		return nil, err
	}
	return u, nil
}
