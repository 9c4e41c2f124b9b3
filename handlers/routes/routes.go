// Package routes names every route of the web app and builds URLs from those
// names, so that handlers register and views link through one table.
package routes

import (
	"fmt"
	"net/url"
	"strings"
)

// Route names.
const (
	Health          = "health"
	Login           = "login"
	LoginSubmit     = "login.submit"
	Logout          = "logout"
	Dashboard       = "dashboard"
	Contacts        = "contacts"
	ContactNew      = "contact.new"
	ContactCreate   = "contact.create"
	ContactShow     = "contact.show"
	ContactEdit     = "contact.edit"
	ContactUpdate   = "contact.update"
	ContactDelete   = "contact.delete"
	ContactTimeline = "contact.timeline"
	InteractionLog  = "interaction.create"
	Outlets         = "outlets"
	OutletShow      = "outlet.show"
	Static          = "static"
)

// Route is one entry of the table.
type Route struct {
	Name, Method, Path string
}

// Table lists every route. Handlers register exactly these.
var Table = []Route{
	{Health, "GET", "/healthz"},
	{Login, "GET", "/login"},
	{LoginSubmit, "POST", "/login"},
	{Logout, "POST", "/logout"},
	{Dashboard, "GET", "/"},
	{Contacts, "GET", "/contacts"},
	{ContactNew, "GET", "/contacts/new"},
	{ContactCreate, "POST", "/contacts"},
	{ContactShow, "GET", "/contacts/:id"},
	{ContactEdit, "GET", "/contacts/:id/edit"},
	{ContactUpdate, "POST", "/contacts/:id"},
	{ContactDelete, "POST", "/contacts/:id/delete"},
	{ContactTimeline, "GET", "/contacts/:id/timeline"},
	{InteractionLog, "POST", "/contacts/:id/interactions"},
	{Outlets, "GET", "/outlets"},
	{OutletShow, "GET", "/outlets/:id"},
	{Static, "GET", "/static/*"},
}

var byName = func() map[string]Route {
	m := make(map[string]Route, len(Table))
	for _, r := range Table {
		if _, dup := m[r.Name]; dup {
			panic("routes: duplicate name " + r.Name)
		}
		m[r.Name] = r
	}
	return m
}()

// URL builds the path of the named route, filling its :params in order with
// args (escaped). It panics on an unknown name or a wrong number of args: a
// programming error that every test run would show.
func URL(name string, args ...any) string {
	r, ok := byName[name]
	if !ok {
		panic("routes: unknown route " + name)
	}
	parts := strings.Split(r.Path, "/")
	n := 0
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			if n >= len(args) {
				panic(fmt.Sprintf("routes: %s needs more arguments", name))
			}
			parts[i] = url.PathEscape(fmt.Sprint(args[n]))
			n++
		}
	}
	if n != len(args) {
		panic(fmt.Sprintf("routes: %s takes %d arguments, got %d", name, n, len(args)))
	}
	return strings.Join(parts, "/")
}

// WithQuery appends query parameters (skipping empty values) to a path.
func WithQuery(path string, q url.Values) string {
	for k, v := range q {
		if len(v) == 0 || v[0] == "" {
			q.Del(k)
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
