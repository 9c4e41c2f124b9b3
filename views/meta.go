// Package views renders Rapport's pages with templ: layouts/ (the chrome),
// pages/ (one typed Props per page), components/ (pieces pages share). Views
// know nothing of HTTP or the database; handlers hand them plain values.
package views

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

// SignedIn reports whether a user is signed in.
func (m PageMeta) SignedIn() bool { return m.UserName != "" }
