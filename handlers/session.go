package handlers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"

	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/session"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/locale"
)

const (
	sessionCookie = "rapport_session"
	userKey       = "rapport.user"
	sessionsKey   = "rapport.sessions" // the *Sessions that loaded the request's sign-in
	// touchEvery limits how often a request writes the session's last-seen time.
	touchEvery = time.Minute
)

// Principal is the signed-in user as the request sees it.
type Principal struct {
	UserID    int
	Name      string
	Email     string
	Role      string
	SessionID int
	Locale    string // the language the user picked; "" for the browser's
}

// Sessions keeps server-side sessions in the database. The cookie holds a
// random token; the table holds its SHA-256.
type Sessions struct {
	client  *ent.Client
	cfg     Config
	now     func() time.Time
	touches sessionTouches
	cache   principalCache
}

func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// principalQuery finds a live session and its active user in one round trip,
// a statement the pool prepares once per connection (db/prepared.go): no
// planning per request.
const principalQuery = `SELECT s.id, s.last_seen_at, s.expires_at, u.id, u.name, u.email, u.role, u.locale
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active`

// Load is middleware that puts the Principal of a valid session cookie into
// the context. The sign-in comes from the cache for up to principalTTL (never
// past the session's end or idle timeout), else from the database.
func (s *Sessions) Load(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		setActor(c, nil)
		c.Set(sessionsKey, s)
		ck, err := c.Cookie(sessionCookie)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		ctx, now, key := c.Request().Context(), s.now().UTC(), hashToken(ck.Value)
		e, found, err := s.cache.lookup(ctx, key, now, func() (cachedPrincipal, bool, error) { return s.find(ctx, key, now) })
		if err != nil {
			return fmt.Errorf("load session: %w", err)
		}
		if !found {
			s.clearCookie(c)
			return next(c)
		}
		if now.Sub(e.lastSeen) > touchEvery {
			if err := s.touch(ctx, e.p.SessionID, now); err != nil {
				return err
			}
		}
		p := e.p
		c.Set(userKey, &p)
		setActor(c, &p)
		return next(c)
	}
}

// find reads the live session whose token hashes to key, and its user.
func (s *Sessions) find(ctx context.Context, key string, now time.Time) (e cachedPrincipal, found bool, err error) {
	rows, err := s.queryPrincipal(ctx, key, now, now.Add(-s.cfg.SessionIdle))
	if err != nil {
		return e, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return e, false, rows.Err()
	}
	var expires time.Time
	p := &e.p
	if err := rows.Scan(&p.SessionID, &e.lastSeen, &expires, &p.UserID, &p.Name, &p.Email, &p.Role, &p.Locale); err != nil {
		return e, false, err
	}
	e.until = earliest(now.Add(principalTTL), expires, e.lastSeen.Add(s.cfg.SessionIdle))
	return e, true, nil
}

// queryPrincipal runs principalQuery.
func (s *Sessions) queryPrincipal(ctx context.Context, args ...any) (*sql.Rows, error) {
	return s.client.QueryContext(ctx, principalQuery, args...)
}

// setActor puts the request's actor (user, request id, address) into the
// request context, where crm reads it for the audit trail.
func setActor(c echo.Context, p *Principal) {
	a := crm.Actor{RequestID: c.Response().Header().Get(echo.HeaderXRequestID), IP: c.RealIP()}
	if p != nil {
		a.UserID, a.Name, a.Role = p.UserID, p.Name, p.Role
	}
	c.SetRequest(c.Request().WithContext(crm.WithActor(c.Request().Context(), a)))
}

// Start creates a new session for userID and sets its cookie. Any session
// the browser had before is ended first: the id changes at every sign-in.
func (s *Sessions) Start(c echo.Context, userID int) error {
	if err := s.End(c); err != nil {
		return err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("start session: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now().UTC()
	err := s.client.Session.Create().SetTokenHash(hashToken(tok)).SetUserID(userID).
		SetCreatedAt(now).SetLastSeenAt(now).SetExpiresAt(now.Add(s.cfg.SessionMax)).
		SetUserAgent(crm.Truncate(c.Request().UserAgent(), 512)).SetIP(c.RealIP()).Exec(c.Request().Context())
	if err != nil {
		return fmt.Errorf("start session: %w", err)
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: s.secure(c), SameSite: http.SameSiteLaxMode, MaxAge: int(s.cfg.SessionMax.Seconds())})
	return nil
}

// reissueSession starts a fresh session for userID in this browser, as a
// sign-in does (Start), with the sessions of the request's Load.
func reissueSession(c echo.Context, userID int) error {
	s, _ := c.Get(sessionsKey).(*Sessions)
	if s == nil {
		return fmt.Errorf("reissue session: no session store in this request")
	}
	return s.Start(c, userID)
}

// End deletes the browser's session, if any, and clears its cookie.
func (s *Sessions) End(c echo.Context) error {
	ck, err := c.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	if _, err := s.client.Session.Delete().Where(session.TokenHash(hashToken(ck.Value))).Exec(c.Request().Context()); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	s.clearCookie(c)
	return nil
}

func (s *Sessions) clearCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Path: "/", HttpOnly: true, Secure: s.secure(c),
		SameSite: http.SameSiteLaxMode, MaxAge: -1, Expires: time.Unix(0, 0)})
}

func (s *Sessions) secure(c echo.Context) bool { return s.cfg.SecureCookies || c.IsTLS() }

// currentUser is the signed-in user of the request, or nil.
func currentUser(c echo.Context) *Principal {
	p, _ := c.Get(userKey).(*Principal)
	return p
}

// authorize lets a request through to next when the route is public or the
// signed-in user's role is at least need. A request without a session goes
// to the login page (303 for browsers, remembering where they were going;
// HX-Redirect for htmx); a user whose role is too low gets 403.
func authorize(need string, next echo.HandlerFunc) echo.HandlerFunc {
	if need == routes.Public {
		return next
	}
	return func(c echo.Context) error {
		u := currentUser(c)
		if u != nil && routes.Allows(u.Role, need) {
			return next(c)
		}
		if u != nil {
			return forbidden(c, need, u.Role)
		}
		to := routes.URL(routes.Login)
		if c.Request().Method == http.MethodGet {
			to = routes.WithQuery(to, url.Values{"next": {c.Request().URL.RequestURI()}})
		}
		if isHTMX(c) {
			c.Response().Header().Set("HX-Redirect", to)
			return c.NoContent(http.StatusUnauthorized)
		}
		return c.Redirect(http.StatusSeeOther, to)
	}
}

// forbidden tells a signed-in user whose role is below need who may do this
// and which role they have (its label, in the request's language; the error
// funnel translates the message with it).
func forbidden(c echo.Context, need, role string) error {
	id := "This is only for managers and admins; you are signed in as {{.Role}}. Ask an admin if you need it."
	if need == routes.Admin {
		id = "This is only for admins; you are signed in as {{.Role}}. Ask an admin if you need it."
	}
	return crm.NewError(crm.EForbidden, id, "Role", locale.Label(c.Request().Context(), role))
}
