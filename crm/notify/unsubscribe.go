package notify

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/serversecret"
	"github.com/rapport-crm/rapport/ent/user"
)

// secretName names the unsubscribe links' key in server_secrets.
const secretName = "unsubscribe"

// PathUnsubscribe is where an unsubscribe link points: PathUnsubscribe + token.
const PathUnsubscribe = "/unsubscribe/"

// ErrBadToken is an unsubscribe token that is not one Rapport signed.
var ErrBadToken = crm.Errorf(crm.ENotFound, "This unsubscribe link is not valid.")

// linkKey returns the servers' shared key of unsubscribe links, made on first use.
func linkKey(ctx context.Context, client *ent.Client) ([]byte, error) {
	for range 2 {
		s, err := client.ServerSecret.Query().Where(serversecret.Name(secretName)).Only(ctx)
		if err == nil {
			return s.Value, nil
		}
		if !ent.IsNotFound(err) {
			return nil, fmt.Errorf("unsubscribe key: %w", err)
		}
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("unsubscribe key: %w", err)
		}
		err = client.ServerSecret.Create().SetName(secretName).SetValue(key).Exec(ctx)
		if err == nil {
			return key, nil
		}
		if !ent.IsConstraintError(err) { // else another server made it first: read theirs
			return nil, fmt.Errorf("unsubscribe key: %w", err)
		}
	}
	return nil, errors.New("unsubscribe key: not made")
}

// Token is the unsubscribe token of user id from kind: the user, the kind
// and an HMAC of both, so it needs no sign-in and cannot be forged for
// another user or kind. It does not expire: an old mail's link still works.
func Token(key []byte, userID int, kind string) string {
	payload := strconv.Itoa(userID) + "." + kind
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
}

// unsubscribeURL is the link in a mail to user id of kind.
func (s *Service) unsubscribeURL(ctx context.Context, userID int, kind string) (string, error) {
	if err := s.loadKey(ctx); err != nil {
		return "", err
	}
	return s.UnsubscribeURL(userID, kind), nil
}

// loadKey reads the link key once; call it outside a transaction (SQLite
// has one writer, and the key may be made on first use).
func (s *Service) loadKey(ctx context.Context) error {
	s.keyOnce.Lock()
	defer s.keyOnce.Unlock()
	if s.key != nil {
		return nil
	}
	k, err := linkKey(ctx, s.client)
	s.key = k
	return err
}

// UnsubscribeURL is the link of user id from kind (the key must be loaded).
func (s *Service) UnsubscribeURL(userID int, kind string) string {
	return s.link(PathUnsubscribe + Token(s.key, userID, kind))
}

// Unsubscription is what an unsubscribe token names.
type Unsubscription struct {
	UserID int
	Email  string
	Kind   string
	Off    bool // the kind is off already
}

// ReadToken checks token and returns whom and what it unsubscribes.
func ReadToken(ctx context.Context, client *ent.Client, token string) (Unsubscription, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || !ValidKind(parts[1]) {
		return Unsubscription{}, ErrBadToken
	}
	id, err := strconv.Atoi(parts[0])
	if err != nil {
		return Unsubscription{}, ErrBadToken
	}
	key, err := linkKey(ctx, client)
	if err != nil {
		return Unsubscription{}, err
	}
	if !hmac.Equal([]byte(Token(key, id, parts[1])), []byte(token)) {
		return Unsubscription{}, ErrBadToken
	}
	u, err := client.User.Get(ctx, id)
	if ent.IsNotFound(err) {
		return Unsubscription{}, ErrBadToken
	}
	if err != nil {
		return Unsubscription{}, fmt.Errorf("unsubscribe: %w", err)
	}
	return Unsubscription{UserID: id, Email: u.Email, Kind: parts[1], Off: slices.Contains(u.MailOff, parts[1])}, nil
}

// Unsubscribe turns off the kind token names for its user.
func Unsubscribe(ctx context.Context, client *ent.Client, token string) (Unsubscription, error) {
	un, err := ReadToken(ctx, client, token)
	if err != nil || un.Off {
		return un, err
	}
	u, err := client.User.Get(ctx, un.UserID)
	if err != nil {
		return un, fmt.Errorf("unsubscribe: %w", err)
	}
	if err := SetChoices(ctx, client, un.UserID, without(wanted(u), un.Kind)); err != nil {
		return un, err
	}
	un.Off = true
	return un, nil
}

// wanted are the kinds u receives.
func wanted(u *ent.User) []string {
	var on []string
	for _, k := range Kinds {
		if !slices.Contains(u.MailOff, k) {
			on = append(on, k)
		}
	}
	return on
}

// Wanted are the kinds user id receives.
func Wanted(ctx context.Context, client *ent.Client, id int) ([]string, error) {
	u, err := client.User.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("notification choices: %w", err)
	}
	return wanted(u), nil
}

func without(xs []string, x string) []string {
	return slices.DeleteFunc(slices.Clone(xs), func(y string) bool { return y == x })
}

// SetChoices records the kinds user id receives (unknown kinds are ignored).
func SetChoices(ctx context.Context, client *ent.Client, id int, on []string) error {
	off := []string{}
	for _, k := range Kinds {
		if !slices.Contains(on, k) {
			off = append(off, k)
		}
	}
	if err := client.User.Update().Where(user.ID(id)).SetMailOff(off).Exec(ctx); err != nil {
		return fmt.Errorf("notification choices: %w", err)
	}
	return nil
}

// UnsubscribeToken is the token of user id's links from kind.
func UnsubscribeToken(ctx context.Context, client *ent.Client, userID int, kind string) (string, error) {
	key, err := linkKey(ctx, client)
	if err != nil {
		return "", err
	}
	return Token(key, userID, kind), nil
}
