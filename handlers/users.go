package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Users lets admins manage the team's accounts.
type Users struct{ client *ent.Client }

// NewUsers returns the user handlers.
func NewUsers(client *ent.Client) *Users { return &Users{client: client} }

// List shows every account.
func (h *Users) List(c echo.Context) error {
	us, err := h.client.User.Query().Order(user.ByName()).All(c.Request().Context())
	if err != nil {
		return err
	}
	p := pages.UsersProps{Meta: meta(c, "Users"), Now: timeNow()}
	for _, u := range us {
		p.Users = append(p.Users, pages.UserRow{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role), Active: u.Active, LastLogin: u.LastLoginAt})
	}
	return render(c, http.StatusOK, pages.Users(p))
}

// New shows the form for a new user.
func (h *Users) New(c echo.Context) error {
	return render(c, http.StatusOK, pages.UserFormPage(pages.UserFormProps{Meta: meta(c, "New user"), Form: pages.UserForm{Role: "staff"}}))
}

// Create adds a user with an initial password.
func (h *Users) Create(c echo.Context) error {
	f := pages.UserForm{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: c.FormValue("role")}
	_, err := crm.CreateUser(c.Request().Context(), h.client, crm.UserInput{Email: f.Email, Name: f.Name, Role: f.Role, Password: c.FormValue("password")})
	if fields := fieldErrors(err); fields != nil || crm.ErrorCode(err) == crm.EConflict {
		if fields == nil {
			fields = map[string]string{"email": crm.ErrorMessage(err)}
		}
		return render(c, http.StatusUnprocessableEntity, pages.UserFormPage(pages.UserFormProps{Meta: meta(c, "New user"), Form: f, Errors: fields}))
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Users), "User created. Tell them their initial password in person or by phone.")
}

// Edit shows a user's name, role and status.
func (h *Users) Edit(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	u, err := h.client.User.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	f := pages.UserForm{Email: u.Email, Name: u.Name, Role: string(u.Role), Active: u.Active}
	return render(c, http.StatusOK, pages.UserFormPage(pages.UserFormProps{Meta: metaText(c, u.Name), ID: id, Form: f}))
}

// Update saves a user's name, role and status.
func (h *Users) Update(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	in := crm.UserUpdate{Name: c.FormValue("name"), Role: c.FormValue("role"), Active: c.FormValue("active") != ""}
	err = crm.UpdateUser(c.Request().Context(), h.client, id, in)
	if fields := fieldErrors(err); fields != nil {
		u, gerr := h.client.User.Get(c.Request().Context(), id)
		if gerr != nil {
			return gerr
		}
		f := pages.UserForm{Email: u.Email, Name: in.Name, Role: in.Role, Active: in.Active}
		return render(c, http.StatusUnprocessableEntity, pages.UserFormPage(pages.UserFormProps{Meta: metaText(c, u.Name), ID: id, Form: f, Errors: fields}))
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Users), "User saved.")
}
