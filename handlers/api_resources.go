package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// APIInteraction is one interaction of a contact's timeline.
type APIInteraction struct {
	ID         int       `json:"id"`
	Type       string    `json:"type"`
	Direction  string    `json:"direction"`
	Sentiment  string    `json:"sentiment"`
	Subject    string    `json:"subject"`
	Body       string    `json:"body"`
	Author     string    `json:"author"`
	OccurredAt time.Time `json:"occurred_at"`
}

// apiInteractionBody is an interaction to log.
type apiInteractionBody struct {
	Type       string    `json:"type"`
	Direction  string    `json:"direction"`
	Sentiment  string    `json:"sentiment"`
	Subject    string    `json:"subject"`
	Body       string    `json:"body"`
	OccurredAt time.Time `json:"occurred_at"`
	ContactIDs []int     `json:"contact_ids"` // more participants besides the contact of the path
}

// APIInteractions serves a contact's timeline and logs interactions.
type APIInteractions struct{ pages *Contacts }

// List returns a page of the contact's interactions, newest first.
func (h *APIInteractions) List(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	limit, err := apiLimit(c)
	if err != nil {
		return err
	}
	cur, err := apiCursor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := h.pages.client.Contact.Get(ctx, id); err != nil {
		return err
	}
	tl, err := crm.LoadTimeline(ctx, h.pages.client, id, cur, min(limit, 100))
	if err != nil {
		return err
	}
	out := APIList[APIInteraction]{Data: make([]APIInteraction, len(tl.Entries)), NextCursor: tl.Next}
	for i, e := range tl.Entries {
		out.Data[i] = APIInteraction{ID: e.ID, Type: e.Type, Direction: e.Direction, Sentiment: e.Sentiment,
			Subject: e.Subject, Body: e.Body, Author: e.Author, OccurredAt: e.OccurredAt}
	}
	return c.JSON(http.StatusOK, out)
}

// Create logs an interaction with the contact (and any others named).
func (h *APIInteractions) Create(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var b apiInteractionBody
	if err := readJSON(c, &b, nil); err != nil {
		return err
	}
	if len(b.ContactIDs) > 50 {
		return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: map[string]string{"contact_ids": "At most 50 contacts."}}
	}
	in := crm.InteractionInput{ContactIDs: append([]int{id}, b.ContactIDs...), Type: b.Type, Direction: b.Direction,
		Sentiment: b.Sentiment, Subject: b.Subject, Body: b.Body, OccurredAt: b.OccurredAt.UTC()}
	it, err := crm.LogInteraction(c.Request().Context(), h.pages.client, currentUser(c).UserID, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, routes.URL(routes.APIInteractions, id))
	return c.JSON(http.StatusCreated, APIInteraction{ID: it.ID, Type: string(it.Type), Direction: string(it.Direction),
		Sentiment: string(it.Sentiment), Subject: it.Subject, Body: it.Body, Author: currentUser(c).Name, OccurredAt: it.OccurredAt})
}

// APIOutlet is an outlet.
type APIOutlet struct {
	ID          int         `json:"id"`
	Name        string      `json:"name"`
	Type        string      `json:"type"`
	Region      string      `json:"region"`
	Website     string      `json:"website,omitempty"`
	Audience    int64       `json:"audience,omitempty"`
	Description string      `json:"description,omitempty"`
	People      int         `json:"people"`
	Contacts    []APIPerson `json:"contacts,omitempty"`
}

// APIPerson is a contact named in another record.
type APIPerson struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
}

// APIOutlets lists and shows outlets.
type APIOutlets struct{ pages *Contacts }

// List returns a page of outlets (name contains ?q=), by id.
func (h *APIOutlets) List(c echo.Context) error {
	limit, err := apiLimit(c)
	if err != nil {
		return err
	}
	after := 0
	if cur := c.QueryParam("cursor"); cur != "" {
		if after, err = strconv.Atoi(cur); err != nil || after < 0 {
			return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: map[string]string{"cursor": "Not a cursor this API gave out."}}
		}
	}
	if err := crm.CheckText("q", c.QueryParam("q")); err != nil {
		return err
	}
	page, err := crm.ListOutlets(c.Request().Context(), h.pages.client, c.QueryParam("q"), after, limit)
	if err != nil {
		return err
	}
	total := page.Total
	out := APIList[APIOutlet]{Data: make([]APIOutlet, len(page.Outlets)), Total: &total}
	for i, o := range page.Outlets {
		out.Data[i] = APIOutlet{ID: o.ID, Name: o.Name, Type: o.Type, Region: o.Region, People: o.People}
	}
	if page.NextAfter > 0 {
		out.NextCursor = strconv.Itoa(page.NextAfter)
	}
	return c.JSON(http.StatusOK, out)
}

// Show returns an outlet with its people.
func (h *APIOutlets) Show(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	o, jobs, err := crm.LoadOutlet(c.Request().Context(), h.pages.client, id)
	if err != nil {
		return err
	}
	out := APIOutlet{ID: o.ID, Name: o.Name, Type: string(o.Type), Region: o.Region, Website: o.Website,
		Audience: o.Audience, Description: o.Description, People: len(jobs), Contacts: []APIPerson{}}
	for _, j := range jobs {
		if ct := j.Edges.Contact; ct != nil {
			out.Contacts = append(out.Contacts, APIPerson{ID: ct.ID, Name: crm.DisplayName(ct.FirstName, ct.LastName), Role: j.Role})
		}
	}
	return c.JSON(http.StatusOK, out)
}
