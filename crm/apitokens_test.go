package crm

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestTokenCache: a verified token is answered from the cache without a
// statement; a revocation, a new role and a deactivation through this
// process take effect with the very next request, even with a TTL of an
// hour; expiry is checked on every use.
func TestTokenCache(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var log stmtLog
			d := dbtest.Open(t, dia, log.wrap)
			ctx := context.Background()
			NewLookups(d.Client, time.Hour)
			now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			s := NewAPITokens(d.Client, func() time.Time { return now })
			u, err := CreateUser(ctx, d.Client, UserInput{Email: "tina@example.com", Name: "Tina", Role: RoleStaff, Password: "lange-geheime-phrase"})
			if err != nil {
				t.Fatal(err)
			}
			tok, rec, err := s.Create(ctx, u.ID, TokenInput{Name: "mailer", Scope: ScopeRead, ExpiresIn: 2 * time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := s.Authenticate(ctx, tok); err != nil || got.UserID != u.ID || got.Role != RoleStaff || got.Scope != ScopeRead {
				t.Fatalf("first use: %+v %v", got, err)
			}
			if stmts := log.count(func() {
				if _, err := s.Authenticate(ctx, tok); err != nil {
					t.Fatal(err)
				}
			}); len(stmts) != 0 {
				t.Errorf("a verified token cost %d statements: %q", len(stmts), stmts)
			}
			if _, err := s.Authenticate(ctx, tok+"x"); !IsBadToken(err) {
				t.Errorf("a wrong token: %v", err)
			}

			// A new role and a deactivation show at once.
			d.Client.User.UpdateOneID(u.ID).SetRole("manager").ExecX(ctx)
			if got, err := s.Authenticate(ctx, tok); err != nil || got.Role != RoleManager {
				t.Errorf("after the role change: %+v %v", got, err)
			}
			d.Client.User.UpdateOneID(u.ID).SetActive(false).ExecX(ctx)
			if _, err := s.Authenticate(ctx, tok); !IsBadToken(err) {
				t.Errorf("a deactivated user's token: %v", err)
			}
			d.Client.User.UpdateOneID(u.ID).SetActive(true).ExecX(ctx)

			// Expiry, while the grant is cached.
			if _, err := s.Authenticate(ctx, tok); err != nil {
				t.Fatal(err)
			}
			now = now.Add(2 * time.Hour)
			if _, err := s.Authenticate(ctx, tok); !IsBadToken(err) {
				t.Errorf("an expired token: %v", err)
			}
			now = now.Add(-2 * time.Hour)

			// A revocation, while the grant is cached.
			if _, err := s.Authenticate(ctx, tok); err != nil {
				t.Fatal(err)
			}
			if err := s.Revoke(ctx, rec.ID, u.ID, false); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Authenticate(ctx, tok); !IsBadToken(err) {
				t.Errorf("a revoked token still works: %v", err)
			}
		})
	}
}
