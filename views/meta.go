// Package views renders Rapport's pages with templ: layouts/ (the chrome),
// pages/ (one typed Props per page), components/ (pieces pages share). Views
// know nothing of HTTP or the database; handlers hand them plain values.
package views

import "github.com/rapport-crm/rapport/handlers/routes"

// PageMeta is the chrome every page needs: who is signed in, the CSRF token for
// forms, a flash message, and where we are.
type PageMeta struct {
	Title     string
	UserName  string
	UserRole  string
	CSRFToken string
	Flash     string
	Path      string
	RequestID string
}

// Can reports whether the signed-in user's role is at least need
// (routes.Staff, routes.Manager, routes.Admin), to show only what they may use.
func (m PageMeta) Can(need string) bool { return m.SignedIn() && routes.Allows(m.UserRole, need) }

// SignedIn reports whether a user is signed in.
func (m PageMeta) SignedIn() bool { return m.UserName != "" }
