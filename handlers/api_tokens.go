package handlers

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/components"
	"github.com/rapport-crm/rapport/views/pages"
)

// Tokens serves the API token section of /account and the admin's /tokens.
type Tokens struct {
	tokens  *crm.APITokens
	account *Account
}

// Create makes a token and shows it once, on the account page itself (never
// in a redirect or a cookie).
func (h *Tokens) Create(c echo.Context) error {
	days, err := strconv.Atoi(c.FormValue("expires"))
	if err != nil || days < 0 {
		days = -1 // refused by the service
	}
	in := crm.TokenInput{Name: c.FormValue("name"), Scope: c.FormValue("scope"), ExpiresIn: time.Duration(days) * 24 * time.Hour}
	tok, _, err := h.tokens.Create(c.Request().Context(), currentUser(c).UserID, in)
	if fields := fieldErrors(err); fields != nil {
		return h.account.renderTokens(c, http.StatusUnprocessableEntity, nil, fields, "")
	}
	if err != nil {
		return err
	}
	return h.account.renderTokens(c, http.StatusOK, nil, nil, tok)
}

// RevokeOwn revokes one of the user's own tokens.
func (h *Tokens) RevokeOwn(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := h.tokens.Revoke(c.Request().Context(), id, currentUser(c).UserID, false); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Account), "Token revoked.")
}

// List is the admin's list of every user's tokens.
func (h *Tokens) List(c echo.Context) error {
	ts, err := h.tokens.List(c.Request().Context(), 0)
	if err != nil {
		return err
	}
	p := pages.TokensProps{Rows: tokenRows(c.Request().Context(), ts, true), CSRF: meta(c, "").CSRFToken, Admin: true}
	return render(c, http.StatusOK, pages.TokensPage(pages.TokensPageProps{Meta: meta(c, "API tokens"), Tokens: p}))
}

// Revoke is an admin revoking anyone's token.
func (h *Tokens) Revoke(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := h.tokens.Revoke(c.Request().Context(), id, currentUser(c).UserID, true); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.APITokens), "Token revoked.")
}

func tokenRows(ctx context.Context, ts []*ent.APIToken, admin bool) []pages.TokenRow {
	out := make([]pages.TokenRow, len(ts))
	for i, t := range ts {
		r := pages.TokenRow{ID: t.ID, Name: t.Name, Prefix: t.Prefix, Scope: string(t.Scope), Created: components.Date(ctx, t.CreatedAt),
			Revoked: t.RevokedAt != nil, RevokeURL: routes.URL(routes.AccountTokenRevoke, t.ID)}
		if admin {
			r.RevokeURL = routes.URL(routes.APITokenRevoke, t.ID)
			if t.Edges.User != nil {
				r.User = t.Edges.User.Name
			}
		}
		if t.ExpiresAt != nil {
			r.Expires = components.Date(ctx, *t.ExpiresAt)
		}
		if t.LastUsedAt != nil {
			r.Used = components.DateTime(ctx, *t.LastUsedAt)
		}
		out[i] = r
	}
	return out
}
