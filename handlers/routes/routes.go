// Package routes names every route of the web app and builds URLs from those
// names, so that handlers register and views link through one table.
package routes

import (
	"fmt"
	"net/url"
	"strconv"
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
	OutletNew       = "outlet.new"
	OutletCreate    = "outlet.create"
	OutletEdit      = "outlet.edit"
	OutletUpdate    = "outlet.update"
	ContactHistory  = "contact.history"
	Audit           = "audit"
	Users           = "users"
	UserNew         = "user.new"
	UserCreate      = "user.create"
	UserEdit        = "user.edit"
	UserUpdate      = "user.update"
	Account         = "account"
	AccountPassword = "account.password"
	AccountLocale   = "account.locale"
	Search          = "search"
	Static          = "static"
	Segments        = "segments"
	SegmentCreate   = "segment.create"
	SegmentDelete   = "segment.delete"
	ViewCreate      = "view.create" // saved views of the contact list
	ViewOpen        = "view.open"
	ViewRename      = "view.rename"
	ViewDelete      = "view.delete"
	// ViewDefault makes a view the default of the user's contact list;
	// ViewDefaultClear leaves the list without one.
	ViewDefault      = "view.default"
	ViewDefaultClear = "view.default.clear"
	Exports          = "exports"
	ExportNew        = "export.new"
	ExportCreate     = "export.create"
	ExportShow       = "export.show"
	ExportDownload   = "export.download"
	ExportApprove    = "export.approve"
	ExportReject     = "export.reject"
	// ContactDeleteConfirm is the page that says what a delete removes and asks.
	ContactDeleteConfirm = "contact.delete.confirm"
)

// Route names of advocacy, relationship health and follow-ups (issue 5).
const (
	NominationCreate  = "nomination.create"
	NominationInfo    = "nomination.info"
	NominationDecide  = "nomination.decide"
	AdvocateReview    = "advocates.review"
	Advocates         = "advocates"
	Coverage          = "coverage"
	Tasks             = "tasks"
	TaskCreate        = "task.create"
	TaskDone          = "task.done"
	StageSettings     = "settings.stages"
	StageSettingsSave = "settings.stages.save"
)

// Route names of clean data (issue 15): canonical places and duplicates.
const (
	Places          = "settings.places"
	PlaceSave       = "settings.places.save"
	PlaceDelete     = "settings.places.delete"
	PlacesNormalize = "settings.places.normalize"

	// Custom fields (issue 21): admins' fields for contacts and outlets.
	CustomFields      = "settings.fields"
	CustomFieldCreate = "settings.fields.create"
	CustomFieldEdit   = "settings.fields.edit"
	CustomFieldUpdate = "settings.fields.update"
	CustomFieldDelete = "settings.fields.delete"
	Duplicates        = "duplicates"
	DuplicateCheck    = "duplicates.check"
	MergeForm         = "duplicates.merge.form"
	Merge             = "duplicates.merge"
	MergeUndo         = "merge.undo"
)

// Route names of imports (issue 7).
const (
	Imports        = "imports"
	ImportNew      = "import.new"
	ImportCreate   = "import.create"
	ImportShow     = "import.show"
	ImportSettings = "import.settings"
	ImportDryRun   = "import.dryrun"
	ImportRun      = "import.run"
	ImportProgress = "import.progress"
	ImportRejected = "import.rejected"
	ImportRevert   = "import.revert"

	// ImportRevertConfirm is the page that asks before a revert.
	ImportRevertConfirm = "import.revert.confirm"
)

// Route names of data protection (issue 14).
const (
	ContactConsent     = "contact.consent"
	ContactConsentLift = "contact.consent.lift"
	ContactAccess      = "contact.access"
	ContactErase       = "contact.erase"
	Privacy            = "privacy"
	PrivacyRecord      = "privacy.record"
	PrivacyRequest     = "privacy.request"
	PrivacyRequestJSON = "privacy.request.json"
	PrivacyRequestDone = "privacy.request.done"
	PrivacySweep       = "privacy.sweep"
	PrivacyReview      = "privacy.review"
)

// Route names of bulk actions (issue 21).
const (
	BulkPreview = "bulk.preview"
	BulkCreate  = "bulk.create"
	BulkList    = "bulk.list"
	BulkShow    = "bulk.show"
	BulkUndo    = "bulk.undo"

	InteractionEdit   = "interaction.edit"
	InteractionUpdate = "interaction.update"
	InteractionDelete = "interaction.delete"
)

// Who may use a route: everyone (Public), or a signed-in user whose role is
// at least the one named.
const (
	Public  = ""
	Staff   = "staff"
	Manager = "manager"
	Admin   = "admin"
)

// Route is one entry of the table. Role is the least role the route needs;
// the authorisation middleware reads it, so no route can ship unchecked.
type Route struct {
	Name, Method, Path, Role string
}

// Table lists every route. Handlers register exactly these.
var Table = append([]Route{
	{Health, "GET", "/healthz", Public},
	{Login, "GET", "/login", Public},
	{LoginSubmit, "POST", "/login", Public},
	{Logout, "POST", "/logout", Staff},
	{Dashboard, "GET", "/", Staff},
	{Contacts, "GET", "/contacts", Staff},
	{ContactNew, "GET", "/contacts/new", Staff},
	{ContactCreate, "POST", "/contacts", Staff},
	{ContactShow, "GET", "/contacts/:id", Staff},
	{ContactEdit, "GET", "/contacts/:id/edit", Staff},
	{ContactUpdate, "POST", "/contacts/:id", Staff},
	{ContactDeleteConfirm, "GET", "/contacts/:id/delete", Manager},
	{ContactDelete, "POST", "/contacts/:id/delete", Manager},
	{ContactTimeline, "GET", "/contacts/:id/timeline", Staff},
	{InteractionLog, "POST", "/contacts/:id/interactions", Staff},
	{Search, "GET", "/search", Staff},
	{Outlets, "GET", "/outlets", Staff},
	{OutletNew, "GET", "/outlets/new", Staff},
	{OutletCreate, "POST", "/outlets", Staff},
	{OutletShow, "GET", "/outlets/:id", Staff},
	{OutletEdit, "GET", "/outlets/:id/edit", Staff},
	{OutletUpdate, "POST", "/outlets/:id", Staff},
	{ContactHistory, "GET", "/contacts/:id/history", Staff},
	{Audit, "GET", "/audit", Manager},
	{Users, "GET", "/users", Admin},
	{UserNew, "GET", "/users/new", Admin},
	{UserCreate, "POST", "/users", Admin},
	{UserEdit, "GET", "/users/:id/edit", Admin},
	{UserUpdate, "POST", "/users/:id", Admin},
	{Account, "GET", "/account", Staff},
	{AccountPassword, "POST", "/account/password", Staff},
	{AccountLocale, "POST", "/account/locale", Staff},
	{Static, "GET", "/static/*", Public},
	{Imports, "GET", "/imports", Staff},
	{ImportNew, "GET", "/imports/new", Staff},
	{ImportCreate, "POST", "/imports", Staff},
	{ImportShow, "GET", "/imports/:id", Staff},
	{ImportSettings, "POST", "/imports/:id/settings", Staff},
	{ImportDryRun, "POST", "/imports/:id/dry-run", Staff},
	{ImportRun, "POST", "/imports/:id/run", Staff},
	{ImportProgress, "GET", "/imports/:id/progress", Staff},
	{ImportRejected, "GET", "/imports/:id/rejected.csv", Staff},
	{ImportRevertConfirm, "GET", "/imports/:id/revert", Staff},
	{ImportRevert, "POST", "/imports/:id/revert", Staff},
	{NominationCreate, "POST", "/contacts/:id/nominations", Staff},
	{NominationInfo, "POST", "/nominations/:id/info", Staff},
	{NominationDecide, "POST", "/nominations/:id/decision", Manager},
	{AdvocateReview, "GET", "/advocates/review", Manager},
	{Advocates, "GET", "/advocates", Manager},
	{Coverage, "GET", "/coverage", Staff},
	{Tasks, "GET", "/tasks", Staff},
	{TaskCreate, "POST", "/contacts/:id/tasks", Staff},
	{TaskDone, "POST", "/tasks/:id/done", Staff},
	{StageSettings, "GET", "/settings/stages", Admin},
	{StageSettingsSave, "POST", "/settings/stages", Admin},
	{Places, "GET", "/settings/places", Admin},
	{PlaceSave, "POST", "/settings/places", Admin},
	{PlaceDelete, "POST", "/settings/places/:id/delete", Admin},
	{PlacesNormalize, "POST", "/settings/places/normalize", Admin},
	{CustomFields, "GET", "/settings/fields", Admin},
	{CustomFieldCreate, "POST", "/settings/fields", Admin},
	{CustomFieldEdit, "GET", "/settings/fields/:id", Admin},
	{CustomFieldUpdate, "POST", "/settings/fields/:id", Admin},
	{CustomFieldDelete, "POST", "/settings/fields/:id/delete", Admin},
	{Duplicates, "GET", "/duplicates", Staff},
	{DuplicateCheck, "GET", "/contacts/duplicate-check", Staff},
	{MergeForm, "GET", "/duplicates/merge", Manager},
	{Merge, "POST", "/duplicates/merge", Manager},
	{MergeUndo, "POST", "/merges/:id/undo", Manager},
	{Segments, "GET", "/segments", Staff},
	{SegmentCreate, "POST", "/segments", Staff},
	{SegmentDelete, "POST", "/segments/:id/delete", Staff},
	{ViewCreate, "POST", "/views", Staff},
	{ViewOpen, "GET", "/views/:id", Staff},
	{ViewRename, "POST", "/views/:id", Staff},
	{ViewDelete, "POST", "/views/:id/delete", Staff},
	{ViewDefault, "POST", "/views/:id/default", Staff},
	{ViewDefaultClear, "POST", "/views/default/clear", Staff},
	{Exports, "GET", "/exports", Staff},
	{ExportNew, "GET", "/exports/new", Staff},
	{ExportCreate, "POST", "/exports", Staff},
	{ExportShow, "GET", "/exports/:id", Staff},
	{ExportDownload, "GET", "/exports/:id/download", Staff},
	{ExportApprove, "POST", "/exports/:id/approve", Manager},
	{ExportReject, "POST", "/exports/:id/reject", Manager},
	{ContactConsent, "POST", "/contacts/:id/consent", Staff},
	{ContactConsentLift, "POST", "/contacts/:id/consent/lift", Manager},
	{ContactAccess, "POST", "/contacts/:id/access-request", Manager},
	{ContactErase, "POST", "/contacts/:id/erase", Manager},
	{Privacy, "GET", "/privacy", Manager},
	{PrivacyRecord, "GET", "/privacy/record.xlsx", Manager},
	{PrivacyRequest, "GET", "/privacy/requests/:id", Manager},
	{PrivacyRequestJSON, "GET", "/privacy/requests/:id/export.json", Manager},
	{PrivacyRequestDone, "POST", "/privacy/requests/:id/done", Manager},
	{PrivacySweep, "POST", "/privacy/sweep", Manager},
	{PrivacyReview, "POST", "/privacy/review", Manager},
	{BulkPreview, "POST", "/bulk/preview", Staff},
	{BulkCreate, "POST", "/bulk", Staff},
	{BulkList, "GET", "/bulk", Staff},
	{BulkShow, "GET", "/bulk/:id", Staff},
	{BulkUndo, "POST", "/bulk/:id/undo", Staff},
	{InteractionEdit, "GET", "/interactions/:id/edit", Staff},
	{InteractionUpdate, "POST", "/interactions/:id", Staff},
	{InteractionDelete, "POST", "/interactions/:id/delete", Staff},
}, append(append(append(campaignRoutes, channelRoutes...), notifyRoutes...), API...)...)

// rank orders the roles; Public is below all.
var rank = map[string]int{Public: 0, Staff: 1, Manager: 2, Admin: 3}

// Allows reports whether a user of role may use a route that needs need.
func Allows(role, need string) bool {
	r, ok := rank[role]
	return ok && r >= rank[need]
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

// PathOf is the named route's path pattern ("/contacts/:id").
func PathOf(name string) string { return byName[name].Path }

// URL builds the path of the named route, filling its :params in order with
// args (escaped). It panics on an unknown name or a wrong number of args: a
// programming error that every test run would show.
func URL(name string, args ...any) string {
	r, ok := byName[name]
	if !ok {
		panic("routes: unknown route " + name)
	}
	// One pass over the path, no split: lists call this once a row.
	var b strings.Builder
	b.Grow(len(r.Path) + 8*len(args))
	n := 0
	for i := 0; i < len(r.Path); {
		if r.Path[i] != ':' || (i > 0 && r.Path[i-1] != '/') {
			b.WriteByte(r.Path[i])
			i++
			continue
		}
		if n >= len(args) {
			panic(fmt.Sprintf("routes: %s needs more arguments", name))
		}
		switch a := args[n].(type) {
		case int:
			b.WriteString(strconv.Itoa(a))
		case string:
			b.WriteString(url.PathEscape(a))
		default:
			b.WriteString(url.PathEscape(fmt.Sprint(a)))
		}
		n++
		for i < len(r.Path) && r.Path[i] != '/' {
			i++
		}
	}
	if n != len(args) {
		panic(fmt.Sprintf("routes: %s takes %d arguments, got %d", name, n, len(args)))
	}
	return b.String()
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
