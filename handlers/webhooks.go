package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm/webhook"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/components"
	"github.com/rapport-crm/rapport/views/pages"
)

// Webhooks serves the admins' webhook pages.
type Webhooks struct{ svc *webhook.Service }

// List shows the subscriptions and the form for a new one.
func (h *Webhooks) List(c echo.Context) error {
	return h.renderList(c, http.StatusOK, "", nil, nil)
}

// Create subscribes a URL and shows its page (with the signing secret).
func (h *Webhooks) Create(c echo.Context) error {
	fp, err := c.FormParams()
	if err != nil {
		return err
	}
	w, err := h.svc.Create(c.Request().Context(), webhook.Input{URL: fp.Get("url"), Events: fp["events"]})
	if fields := fieldErrors(err); fields != nil {
		return h.renderList(c, http.StatusUnprocessableEntity, fp.Get("url"), fp["events"], fields)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.WebhookShow, w.ID), "Webhook created.")
}

// Show is a webhook's page with its delivery log.
func (h *Webhooks) Show(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	w, ds, err := h.svc.Log(c.Request().Context(), id, 100)
	if err != nil {
		return err
	}
	p := pages.WebhookProps{Meta: meta(c, "Webhook"), ID: w.ID, URL: w.URL, Events: strings.Join(w.Events, ", "),
		Secret: w.Secret, Active: w.Active, Notice: w.Notice}
	for _, d := range ds {
		p.Deliveries = append(p.Deliveries, pages.DeliveryRow{ID: d.ID, Event: d.Event, Status: string(d.Status), LastError: d.LastError,
			Attempts: d.Attempts, LastStatus: d.LastStatus, Created: components.DateTime(c.Request().Context(), d.CreatedAt)})
	}
	return render(c, http.StatusOK, pages.Webhook(p))
}

// Delete removes a webhook.
func (h *Webhooks) Delete(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.Request().Context(), id); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Webhooks), "Webhook deleted.")
}

// Enable turns a disabled webhook on again.
func (h *Webhooks) Enable(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := h.svc.Enable(c.Request().Context(), id); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.WebhookShow, id), "Webhook enabled.")
}

// Replay sends a delivery again.
func (h *Webhooks) Replay(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	did, err := strconv.Atoi(c.Param("delivery"))
	if err != nil {
		return echo.ErrNotFound
	}
	if err := h.svc.Replay(c.Request().Context(), id, did); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.WebhookShow, id), "The delivery will be sent again within a second.")
}

func (h *Webhooks) renderList(c echo.Context, status int, url string, events []string, errs map[string]string) error {
	ws, err := h.svc.List(c.Request().Context())
	if err != nil {
		return err
	}
	p := pages.WebhooksProps{Meta: meta(c, "Webhooks"), Types: webhook.Types, URL: url, Selected: map[string]bool{}, Errors: errs}
	for _, e := range events {
		p.Selected[e] = true
	}
	for _, w := range ws {
		p.Rows = append(p.Rows, pages.WebhookRow{ID: w.ID, URL: w.URL, Events: strings.Join(w.Events, ", "), Active: w.Active, Notice: w.Notice})
	}
	return render(c, status, pages.Webhooks(p))
}
