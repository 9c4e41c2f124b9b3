package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/components"
	"github.com/rapport-crm/rapport/views/pages"
)

// Contacts serves the contact list, the contact page and the contact forms.
type Contacts struct {
	client  *ent.Client
	lookups *crm.Lookups // filter choices, stages and totals the list repeats
	writer  *crm.ContactWriter
	now     func() time.Time
	// selections resolves the list (New sets it): free text through the
	// search index, as for segments and exports.
	selections *crm.Selections
}

// NewContacts returns the contact handlers (nothing cached; New sets lookups).
func NewContacts(client *ent.Client) *Contacts { return &Contacts{client: client, now: time.Now} }

// List shows one page of contacts, filtered and sorted as the URL says,
// with the columns it names (cols) and the user's and the team's views. A
// URL without a query shows the user's default view, if they chose one.
func (h *Contacts) List(c echo.Context) error {
	q := c.QueryParams()
	if len(q) == 0 {
		d, err := h.defaultQuery(c.Request().Context())
		if err != nil {
			return err
		}
		if d != nil {
			q = d
		}
	}
	return h.list(c, q, pages.ViewForm{}, http.StatusOK)
}

// list renders the list of the query q; form is the "save view" form as the
// user left it (refused: status 422).
func (h *Contacts) list(c echo.Context, q url.Values, form pages.ViewForm, status int) error {
	ctx := c.Request().Context()
	f := pages.ContactFilter{Q: q.Get("q"), Kind: q.Get("kind"), Region: q.Get("region"), Topic: q.Get("topic"),
		Tag: q.Get("tag"), Owner: q.Get("owner"), Stage: q.Get("stage"), Sort: q.Get("sort")}
	sel := selectionFrom(q)
	if err := crm.CheckText("q", sel.Query); err != nil {
		return h.refuseText(c, f, err)
	}
	fields, err := h.customFields(ctx)
	if err != nil {
		return err
	}
	cols, colErr := crm.ParseListColumns(fields, q["cols"])
	names := crm.ListNames{Tags: cols.Has(crm.ColTags), Topics: cols.Has(crm.ColTopics)}
	page, err := h.selections.List(ctx, crm.ListParams{Selection: sel, After: q.Get("after"), Names: names})
	if err != nil {
		return err
	}
	choices, stages, err := h.choices(ctx)
	if err != nil {
		return err
	}
	now := h.now()
	p := pages.ContactsProps{Meta: meta(c, "Contacts"), Filter: f, Rows: pages.ContactRows(page.Rows, now),
		Total: page.Total, TotalMore: page.More, Now: now, Options: filterOptions(choices), Stages: stages}
	p.Selection = selectionQuery(sel)
	p.Columns, p.ColumnsProblem, p.Filters, p.Query = cols, crm.ErrorMessage(colErr), fields, q
	if err := h.views(c, &p, sel, cols, form); err != nil {
		return err
	}
	p.Bulk = bulkBar(c, sel, page.Total, page.More, rowIDs(p.Rows, func(r pages.ContactRow) int { return r.ID }))
	p.FirstURL, p.NextURL = pageLinks(routes.URL(routes.Contacts), q, "after", q.Get("after"), page.Next)
	return render(c, status, pages.Contacts(p))
}

// customFields are the admins' contact fields: the writer's cached ones,
// else (a Contacts made by another handler to show the contact page) read.
func (h *Contacts) customFields(ctx context.Context) (crm.CustomFields, error) {
	if h.writer == nil {
		return crm.LoadCustomFields(ctx, h.client, crm.EntityContact)
	}
	return h.writer.CustomFields(ctx)
}

// choices are the list's filter choices and the stage labels, from the cache when there is one.
func (h *Contacts) choices(ctx context.Context) (crm.FilterChoices, crm.Stages, error) {
	if h.lookups == nil {
		fc, err := crm.LoadFilterChoices(ctx, h.client)
		if err != nil {
			return fc, nil, err
		}
		st, err := crm.LoadStages(ctx, h.client)
		return fc, st, err
	}
	fc, err := h.lookups.FilterChoices(ctx)
	if err != nil {
		return fc, nil, err
	}
	st, err := h.lookups.Stages(ctx)
	return fc, st, err
}

// Show is the contact page: profile, channels, outlets and the newest interactions.
func (h *Contacts) Show(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	p, err := h.page(c, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.Contact(p))
}

// page loads what the contact page shows, with an empty interaction form.
func (h *Contacts) page(c echo.Context, id int) (pages.ContactProps, error) {
	ctx := c.Request().Context()
	card, err := crm.LoadContactCard(ctx, h.client, id)
	if err != nil {
		return pages.ContactProps{}, err
	}
	tf, kept := timelineFilter(c.QueryParams())
	tl, err := crm.LoadActivity(ctx, h.client, id, tf, c.QueryParam("after"), 20)
	if err != nil {
		return pages.ContactProps{}, err
	}
	view := timelineView(c, kept, card.Authors) // the card read the panels too
	fields, err := h.customFields(ctx)
	if err != nil {
		return pages.ContactProps{}, err
	}
	now := h.now()
	return pages.ContactProps{Meta: metaText(c, crm.DisplayName(card.FirstName, card.LastName)), Card: card, Timeline: tl, Now: now, Campaigns: card.Campaigns,
		TL: view, Colleagues: card.Colleagues, Fields: fields,
		Interaction: pages.InteractionForm{Type: "call", Direction: "outbound", Sentiment: "neutral", OccurredAt: now.Format(dateTimeLocal)},
		Consent:     card.Consent, NotifiedAt: card.NotifiedAt, ConsentForm: pages.ConsentForm{LawfulBasis: string(card.LawfulBasis),
			ConsentState: string(card.ConsentState), Source: card.ConsentSource, DoNotContact: card.DoNotContact}}, nil
}

// Timeline answers htmx's "load more" with the next timeline items; a plain
// browser is sent to the contact page at that point of the timeline.
func (h *Contacts) Timeline(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	after := c.QueryParam("after")
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, routes.WithQuery(routes.URL(routes.ContactShow, id), c.QueryParams()))
	}
	tf, kept := timelineFilter(c.QueryParams())
	tl, err := crm.LoadActivity(c.Request().Context(), h.client, id, tf, after, 20)
	if err != nil {
		return err
	}
	// No authors: the fragment has no filter form, and reading them cost a
	// statement whenever the filter choices were not cached.
	return render(c, http.StatusOK, pages.TimelineItems(id, tl, timelineView(c, kept, nil)))
}

// paramID reads the :id of the path; anything but a positive number is a 404.
func paramID(c echo.Context) (int, error) {
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil || id <= 0 {
		return 0, crm.Errorf(crm.ENotFound, "There is nothing at this address.")
	}
	return id, nil
}

func withParam(q url.Values, k, v string) url.Values {
	out := url.Values{}
	for key, vals := range q {
		out[key] = vals
	}
	out.Set(k, v)
	return out
}

func filterOptions(fc crm.FilterChoices) pages.FilterOptions {
	o := pages.FilterOptions{Regions: fc.Regions, Topics: fc.Topics, Tags: fc.Tags,
		Kinds:  enumStrings(contact.KindJournalist, contact.KindBlogger, contact.KindCreator, contact.KindAdvocate, contact.KindAnalyst, contact.KindCustomer, contact.KindOther),
		Stages: enumStrings(contact.StageUnknown, contact.StageAware, contact.StageEngaged, contact.StageSupporter, contact.StageAdvocate)}
	o.Owners = ownerOptions(fc.Owners)
	return o
}

func ownerOptions(us []*ent.User) []components.Option {
	out := make([]components.Option, len(us))
	for i, u := range us {
		out[i] = components.Option{Value: strconv.Itoa(u.ID), Label: u.Name}
	}
	return out
}

func enumStrings[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// dateTimeLocal is the value format of <input type="datetime-local">.
const dateTimeLocal = "2006-01-02T15:04"
