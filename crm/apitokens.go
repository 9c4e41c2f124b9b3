package crm

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/apitoken"
)

// TokenPrefix starts every personal API token, so that secret scanners and
// people recognise one.
const TokenPrefix = "rap_"

// Scopes of an API token: read allows GET requests, write also changes.
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
)

// Limits of tokens.
const (
	maxTokensPerUser = 50
	maxTokenLife     = 366 * 24 * time.Hour
	touchTokenEvery  = time.Minute // last use is written at most this often per token
)

// EntityAPIToken is the audit entity of a token.
const EntityAPIToken = "api_token"

// TokenUser is who a valid token acts for: its user as they are now (role,
// active) and the token's scope.
type TokenUser struct {
	TokenID           int
	Scope             string
	UserID            int
	Name, Email, Role string
}

// APITokens creates, checks and revokes personal API tokens. The database
// holds the SHA-256 of a token, never the token.
type APITokens struct {
	client *ent.Client
	now    func() time.Time
	mu     sync.Mutex
	seen   map[int]time.Time // when each token's last use was last written
}

// NewAPITokens returns the token service; now may be nil (time.Now).
func NewAPITokens(client *ent.Client, now func() time.Time) *APITokens {
	if now == nil {
		now = time.Now
	}
	return &APITokens{client: client, now: now, seen: map[int]time.Time{}}
}

// TokenInput is a new token's name, scope and life (0: never expires).
type TokenInput struct {
	Name, Scope string
	ExpiresIn   time.Duration
}

// Create makes a token for userID and returns it in clear, the only time it
// is ever shown, with its stored record. It is audited.
func (s *APITokens) Create(ctx context.Context, userID int, in TokenInput) (string, *ent.APIToken, error) {
	fe := FieldErrors{}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 100 {
		fe.Add("name", "Give the token a name of up to 100 characters, e.g. the tool that uses it.")
	}
	if in.Scope != ScopeRead && in.Scope != ScopeWrite {
		fe.Add("scope", "Choose read or write.")
	}
	if in.ExpiresIn < 0 || in.ExpiresIn > maxTokenLife {
		fe.Add("expires", "A token lives at most a year (or never expires).")
	}
	if err := fe.Err(); err != nil {
		return "", nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, fmt.Errorf("create token: %w", err)
	}
	tok := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	now := s.now().UTC()
	var t *ent.APIToken
	err := db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		n, err := tx.APIToken.Query().Where(apitoken.UserID(userID), apitoken.RevokedAtIsNil()).Count(ctx)
		if err != nil {
			return err
		}
		if n >= maxTokensPerUser {
			return &Error{Code: EInvalid, Message: "You have 50 tokens; revoke one first.", Fields: map[string]string{"name": "Too many tokens."}}
		}
		c := tx.APIToken.Create().SetUserID(userID).SetName(in.Name).SetTokenHash(HashToken(tok)).
			SetPrefix(tok[:len(TokenPrefix)+6]).SetScope(apitoken.Scope(in.Scope)).SetCreatedAt(now)
		if in.ExpiresIn > 0 {
			c.SetExpiresAt(now.Add(in.ExpiresIn))
		}
		if t, err = c.Save(ctx); err != nil {
			return err
		}
		return audit(ctx, tx, Event{Action: ActionCreate, Entity: EntityAPIToken, EntityID: t.ID, Msg: MsgAPIToken(in.Name, in.Scope)})
	})
	if err != nil {
		return "", nil, fmt.Errorf("create token: %w", err)
	}
	return tok, t, nil
}

// HashToken is the stored form of a token (or session secret).
func HashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

const tokenQuery = `SELECT t.id, t.scope, t.expires_at, u.id, u.name, u.email, u.role
FROM api_tokens t JOIN users u ON u.id = t.user_id
WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active`

var errBadToken = Errorf(EUnauthorized, "The API token is missing, wrong, expired or revoked.")

// tokenGrant is what a valid token's row said when it was read.
type tokenGrant struct {
	user    TokenUser
	expires *time.Time
}

// Authenticate returns who raw acts for, or an EUnauthorized error. It
// notes the token's last use (at most once a minute per token).
//
// With the client's Lookups cache, a verified token is remembered by its
// hash (never in clear) and not read again until a write the cache's hook
// sees (a revocation, a user's role or deactivation: every ent mutation of
// a token or a user) or the cache's TTL: a revocation through this process
// takes effect with the next request, one through another process within
// the TTL. Refusals are never remembered; expiry is checked on every use.
func (s *APITokens) Authenticate(ctx context.Context, raw string) (*TokenUser, error) {
	if !strings.HasPrefix(raw, TokenPrefix) || len(raw) > 100 {
		return nil, errBadToken
	}
	hash := HashToken(raw)
	var (
		g   tokenGrant
		err error
	)
	if l := LookupsOf(s.client); l != nil {
		g, err = l.tokens.Get(ctx, hash, func(ctx context.Context) (tokenGrant, error) { return s.grant(ctx, hash) })
	} else {
		g, err = s.grant(ctx, hash)
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if g.expires != nil && !now.Before(*g.expires) {
		return nil, errBadToken
	}
	if s.due(g.user.TokenID, now) {
		// Raw SQL: the last use is no grant, and an ent mutation would make
		// the whole cache (this token's grant too) stale once a minute.
		if _, err := s.client.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", now.UTC(), g.user.TokenID); err != nil {
			return nil, fmt.Errorf("note token use: %w", err)
		}
	}
	u := g.user
	return &u, nil
}

// grant reads the token of hash with its user: one statement.
func (s *APITokens) grant(ctx context.Context, hash string) (tokenGrant, error) {
	rows, err := s.client.QueryContext(ctx, tokenQuery, hash)
	if err != nil {
		return tokenGrant{}, fmt.Errorf("check token: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return tokenGrant{}, fmt.Errorf("check token: %w", err)
		}
		return tokenGrant{}, errBadToken
	}
	var (
		g       tokenGrant
		expires sql.NullTime
	)
	u := &g.user
	if err := rows.Scan(&u.TokenID, &u.Scope, &expires, &u.UserID, &u.Name, &u.Email, &u.Role); err != nil {
		return tokenGrant{}, fmt.Errorf("check token: %w", err)
	}
	if expires.Valid {
		t := expires.Time
		g.expires = &t
	}
	return g, rows.Close()
}

// due reports whether the token's last use should be written now.
func (s *APITokens) due(id int, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.seen[id]; ok && now.Sub(t) < touchTokenEvery {
		return false
	}
	if len(s.seen) > 100_000 {
		clear(s.seen)
	}
	s.seen[id] = now
	return true
}

// List returns userID's tokens, or everyone's (with their users) when
// userID is 0, newest first; revoked ones last.
func (s *APITokens) List(ctx context.Context, userID int) ([]*ent.APIToken, error) {
	q := s.client.APIToken.Query().WithUser().Order(ent.Desc(apitoken.FieldID)).Limit(1000)
	if userID != 0 {
		q.Where(apitoken.UserID(userID))
	}
	ts, err := q.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return ts, nil
}

// Revoke ends token id at once. Only its owner, or an admin (anyAdmin),
// may; it is audited.
func (s *APITokens) Revoke(ctx context.Context, id, byUserID int, anyAdmin bool) error {
	return db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		t, err := tx.APIToken.Get(ctx, id)
		if ent.IsNotFound(err) || (err == nil && !anyAdmin && t.UserID != byUserID) {
			return Errorf(ENotFound, "There is no such token.")
		}
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if t.RevokedAt != nil {
			return nil
		}
		if err := tx.APIToken.UpdateOneID(id).SetRevokedAt(s.now().UTC()).Exec(ctx); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return audit(ctx, tx, Event{Action: ActionRevoke, Entity: EntityAPIToken, EntityID: id, Msg: MsgNamed(t.Name)})
	})
}

// ActionRevoke is the audit action of a revoked token.
const ActionRevoke = "revoke"

// IsBadToken reports whether err is the refusal of a token.
func IsBadToken(err error) bool { return errors.Is(err, errBadToken) }
