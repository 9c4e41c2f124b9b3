package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/brand"
	"github.com/rapport-crm/rapport/ent/topic"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/components"
	"github.com/rapport-crm/rapport/views/pages"
)

// OwnedChannels serves the brand's and clients' own accounts and the region × topic matrix.
type OwnedChannels struct {
	client  *ent.Client
	svc     *crm.OwnedChannels
	lookups *crm.Lookups // the matrix's engaged contacts, cached; nil reads them every time
	now     func() time.Time
}

// NewOwnedChannels returns the owned-channel handlers; lookups may be nil.
func NewOwnedChannels(client *ent.Client, lookups *crm.Lookups, now func() time.Time) *OwnedChannels {
	return &OwnedChannels{client: client, svc: crm.NewOwnedChannels(client), lookups: lookups, now: now}
}

func (h *OwnedChannels) routes() map[string]echo.HandlerFunc {
	return map[string]echo.HandlerFunc{routes.OwnedChannels: h.List, routes.OwnedChannelNew: h.New,
		routes.OwnedChannelCreate: h.Create, routes.OwnedChannelEdit: h.Edit, routes.OwnedChannelUpdate: h.Update,
		routes.OwnedChannelDelete: h.Delete, routes.ChannelMatrix: h.Matrix,
		routes.Feeds: (&Feeds{client: h.client, now: h.now}).List, routes.FeedCheck: (&Feeds{client: h.client, now: h.now}).Check}
}

// figureRoutes are the channel figures' handlers, owned channels' and
// contacts' (whose counts move through the contacts' writer).
func (h *OwnedChannels) figureRoutes(writer *crm.ContactWriter) map[string]echo.HandlerFunc {
	svc := crm.NewChannelFigures(h.client, h.now).WithContacts(writer)
	m := (&ChannelFigures{client: h.client, svc: svc, owned: h.svc, lookups: h.lookups, now: h.now}).routes()
	cf := &ContactChannelFigures{client: h.client, svc: svc, now: h.now}
	m[routes.ContactChannelFigures], m[routes.ContactChannelFigureAdd] = cf.Show, cf.Add
	return m
}

// keywordRoutes are the keyword alert rules' handlers.
func (h *OwnedChannels) keywordRoutes(camps *crm.Campaigns) map[string]echo.HandlerFunc {
	return (&KeywordRules{client: h.client, svc: crm.NewKeywordRules(h.client), camps: camps}).routes()
}

// List shows the owned channels (?client= narrows to one client).
func (h *OwnedChannels) List(c echo.Context) error {
	brandID, _ := strconv.Atoi(c.QueryParam("client"))
	chs, err := h.svc.List(c.Request().Context(), brandID)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.OwnedChannelsPage(pages.OwnedChannelsProps{Meta: meta(c, "Our channels"),
		Channels: chs, CanManage: routes.Allows(currentUser(c).Role, routes.Manager)}))
}

// Matrix shows the owned channels by region × topic with the gaps.
func (h *OwnedChannels) Matrix(c echo.Context) error {
	m, err := crm.LoadChannelMatrix(c.Request().Context(), h.client, h.lookups, h.now())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.ChannelMatrixPage(pages.ChannelMatrixProps{Meta: meta(c, "Channels by region and topic"), Matrix: m,
		CanManage: routes.Allows(currentUser(c).Role, routes.Manager)}))
}

// New shows the new-channel form.
func (h *OwnedChannels) New(c echo.Context) error {
	return h.form(c, http.StatusOK, 0, pages.OwnedChannelForm{Language: "de", Purpose: "news", Brand: c.QueryParam("client")}, nil)
}

// Edit shows a channel's form.
func (h *OwnedChannels) Edit(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	ch, f, err := h.svc.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	form := pages.OwnedChannelForm{Brand: idText(ch.BrandID), Platform: string(ch.Platform), Handle: ch.Handle, URL: ch.URL,
		Region: ch.Region, Topic: idText(ch.TopicID), Language: ch.Language, Owner: idText(ch.OwnerID), Purpose: string(ch.Purpose), Goals: ch.Goals}
	if f != nil {
		form.Feed = f.URL
	}
	return h.form(c, http.StatusOK, id, form, nil)
}

// Create records a channel.
func (h *OwnedChannels) Create(c echo.Context) error { return h.save(c, 0) }

// Update changes a channel.
func (h *OwnedChannels) Update(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	return h.save(c, id)
}

func (h *OwnedChannels) save(c echo.Context, id int) error {
	f := pages.OwnedChannelForm{Brand: c.FormValue("brand"), Platform: c.FormValue("platform"), Handle: c.FormValue("handle"),
		URL: c.FormValue("url"), Region: c.FormValue("region"), Topic: c.FormValue("topic"), Language: c.FormValue("language"),
		Owner: c.FormValue("owner"), Purpose: c.FormValue("purpose"), Goals: c.FormValue("goals"), Feed: c.FormValue("feed")}
	in := crm.OwnedChannelInput{Platform: f.Platform, Handle: f.Handle, URL: f.URL, Region: f.Region, Language: f.Language,
		Purpose: f.Purpose, Goals: f.Goals, Feed: f.Feed}
	in.BrandID, _ = strconv.Atoi(f.Brand)
	in.TopicID, _ = strconv.Atoi(f.Topic)
	in.OwnerID, _ = strconv.Atoi(f.Owner)
	ch, err := h.svc.Save(c.Request().Context(), id, in)
	if errs := fieldErrors(err); errs != nil {
		return h.form(c, http.StatusUnprocessableEntity, id, f, errs)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.OwnedChannels), "Channel saved: "+ch.Handle)
}

// Delete removes a channel with its feed and posts.
func (h *OwnedChannels) Delete(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.Request().Context(), id); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.OwnedChannels), "Channel deleted.")
}

func (h *OwnedChannels) form(c echo.Context, status, id int, f pages.OwnedChannelForm, errs map[string]string) error {
	ctx := c.Request().Context()
	p := pages.OwnedChannelFormProps{Meta: meta(c, "Channel"), ID: id, Form: f, Errors: errs}
	brands, err := h.client.Brand.Query().Order(ent.Asc(brand.FieldName)).All(ctx)
	if err != nil {
		return err
	}
	topics, err := h.client.Topic.Query().Order(ent.Asc(topic.FieldName)).All(ctx)
	if err != nil {
		return err
	}
	users, err := h.client.User.Query().Order(ent.Asc(user.FieldName)).All(ctx)
	if err != nil {
		return err
	}
	p.Clients, p.Topics, p.Users = []components.Option{{Value: "", Label: "—"}}, []components.Option{{Value: "", Label: "—"}}, []components.Option{{Value: "", Label: "—"}}
	for _, b := range brands {
		p.Clients = append(p.Clients, components.Option{Value: strconv.Itoa(b.ID), Label: b.Name})
	}
	for _, t := range topics {
		p.Topics = append(p.Topics, components.Option{Value: strconv.Itoa(t.ID), Label: t.Name})
	}
	for _, u := range users {
		p.Users = append(p.Users, components.Option{Value: strconv.Itoa(u.ID), Label: u.Name})
	}
	return render(c, status, pages.OwnedChannelFormPage(p))
}

func idText(id *int) string {
	if id == nil {
		return ""
	}
	return strconv.Itoa(*id)
}
