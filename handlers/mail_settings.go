package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm/notify"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Show is the admins' mail settings page (the saved password is never shown).
func (h *Notifications) Show(c echo.Context) error {
	st, err := notify.LoadSettings(c.Request().Context(), h.client, h.env)
	if err != nil {
		return err
	}
	return h.renderSettings(c, http.StatusOK, st.Form(), nil)
}

// Save stores the admins' mail settings; the notifier uses them within seconds.
func (h *Notifications) Save(c echo.Context) error {
	f := notify.SettingsForm{Host: c.FormValue("host"), Port: c.FormValue("port"), TLS: c.FormValue("tls"), User: c.FormValue("user"),
		Password: c.FormValue("password"), From: c.FormValue("from"), BaseURL: c.FormValue("base_url"), ClearPassword: c.FormValue("clear_password") == "1"}
	err := notify.SaveSettings(c.Request().Context(), h.client, f)
	if fields := fieldErrors(err); fields != nil {
		st, lerr := notify.LoadSettings(c.Request().Context(), h.client, h.env)
		if lerr != nil {
			return lerr
		}
		f.Password, f.HasPassword = "", st.SMTP.Password != ""
		return h.renderSettings(c, http.StatusUnprocessableEntity, f, fields)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.MailSettings), "Mail settings saved.")
}

func (h *Notifications) renderSettings(c echo.Context, status int, f notify.SettingsForm, errs map[string]string) error {
	return render(c, status, pages.MailSettings(pages.MailSettingsProps{Meta: meta(c, "Mail server"), Form: f, Errors: errs}))
}
