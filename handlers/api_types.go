package handlers

import (
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// APIContact is a contact as the API shows it.
type APIContact struct {
	ID                int            `json:"id"`
	Version           int            `json:"version"`
	Kind              string         `json:"kind"`
	FirstName         string         `json:"first_name"`
	LastName          string         `json:"last_name"`
	Title             string         `json:"title"`
	Bio               string         `json:"bio"`
	City              string         `json:"city"`
	Region            string         `json:"region"`
	Country           string         `json:"country"`
	Languages         []string       `json:"languages"`
	Emails            []APIEmail     `json:"emails"`
	Phones            []APIPhone     `json:"phones"`
	Stage             string         `json:"stage"`
	LawfulBasis       string         `json:"lawful_basis"`
	ConsentState      string         `json:"consent_state"`
	ConsentSource     string         `json:"consent_source"`
	DoNotContact      bool           `json:"do_not_contact"`
	OwnerID           *int           `json:"owner_id"`
	Channels          []APIChannel   `json:"channels"`
	Outlets           []APIJob       `json:"outlets"`
	Topics            []string       `json:"topics"`
	Tags              []string       `json:"tags"`
	Custom            map[string]any `json:"custom,omitempty"` // the custom fields' values by key
	Health            int            `json:"health"`
	Reach             int64          `json:"reach"`
	LastInteractionAt *time.Time     `json:"last_interaction_at"`
	CreatedAt         time.Time      `json:"created_at"`
	UpdatedAt         time.Time      `json:"updated_at"`
}

// APIEmail is a typed e-mail address.
type APIEmail struct {
	Address string `json:"address"`
	Type    string `json:"type,omitempty"`
}

// APIPhone is a labelled phone number.
type APIPhone struct {
	Number string `json:"number"`
	Label  string `json:"label,omitempty"`
}

// APIChannel is a social channel.
type APIChannel struct {
	Platform  string `json:"platform"`
	Handle    string `json:"handle"`
	Followers int64  `json:"followers"`
	Feed      string `json:"feed,omitempty"` // the channel's feed address
}

// APIJob is a role at an outlet, named by the outlet's name.
type APIJob struct {
	Outlet string `json:"outlet"`
	Role   string `json:"role"`
}

// APIContactRow is a contact in a list.
type APIContactRow struct {
	ID                int        `json:"id"`
	FirstName         string     `json:"first_name"`
	LastName          string     `json:"last_name"`
	Kind              string     `json:"kind"`
	Title             string     `json:"title"`
	City              string     `json:"city"`
	Region            string     `json:"region"`
	Stage             string     `json:"stage"`
	Reach             int64      `json:"reach"`
	Health            int        `json:"health"`
	DoNotContact      bool       `json:"do_not_contact"`
	Owner             string     `json:"owner"`
	Outlets           string     `json:"outlets"`
	LastInteractionAt *time.Time `json:"last_interaction_at"`
	URL               string     `json:"url"`
}

// APIList is one page of a list: the items, the total when known (capped;
// total_more says there are more) and the cursor of the next page.
type APIList[T any] struct {
	Data       []T    `json:"data"`
	Total      *int   `json:"total,omitempty"`
	TotalMore  bool   `json:"total_more,omitempty"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func apiContact(s *crm.StoredContact) APIContact {
	c, in := s.Row, s.Input
	out := APIContact{ID: c.ID, Version: c.Version, Kind: string(c.Kind), FirstName: c.FirstName, LastName: c.LastName,
		Title: c.Title, Bio: c.Bio, City: c.City, Region: c.Region, Country: c.Country, Languages: nonNil(c.Languages),
		Stage: string(c.Stage), LawfulBasis: string(c.LawfulBasis), ConsentState: string(c.ConsentState),
		ConsentSource: c.ConsentSource, DoNotContact: c.DoNotContact, OwnerID: c.OwnerID, Health: c.Health, Reach: c.Reach,
		LastInteractionAt: c.LastInteractionAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		Emails: []APIEmail{}, Phones: []APIPhone{}, Channels: []APIChannel{}, Outlets: []APIJob{},
		Topics: nonNil(in.Topics), Tags: nonNil(in.Tags), Custom: in.Custom}
	for _, e := range in.Emails {
		out.Emails = append(out.Emails, APIEmail{Address: e.Address, Type: e.Type})
	}
	for _, p := range c.Phones {
		out.Phones = append(out.Phones, APIPhone{Number: p.Number, Label: p.Label})
	}
	for _, ch := range in.Channels {
		out.Channels = append(out.Channels, APIChannel{Platform: ch.Platform, Handle: ch.Handle, Followers: ch.Followers, Feed: ch.Feed})
	}
	for _, o := range in.Outlets {
		out.Outlets = append(out.Outlets, APIJob{Outlet: o.Outlet, Role: o.Role})
	}
	return out
}

// input is the stored contact as the writer's desired state, to patch.
func (a APIContact) input() crm.ContactInput {
	in := crm.ContactInput{Kind: a.Kind, FirstName: a.FirstName, LastName: a.LastName, Title: a.Title, Bio: a.Bio,
		City: a.City, Region: a.Region, Country: a.Country, Languages: a.Languages, Stage: a.Stage,
		LawfulBasis: a.LawfulBasis, ConsentState: a.ConsentState, ConsentSource: a.ConsentSource,
		DoNotContact: a.DoNotContact, OwnerID: a.OwnerID, Topics: a.Topics, Tags: a.Tags, Version: a.Version, Custom: a.Custom}
	for _, e := range a.Emails {
		in.Emails = append(in.Emails, crm.EmailInput{Address: e.Address, Type: e.Type})
	}
	for _, p := range a.Phones {
		in.Phones = append(in.Phones, schema.Phone{Number: p.Number, Label: p.Label})
	}
	for _, ch := range a.Channels {
		in.Channels = append(in.Channels, crm.ChannelInput{Platform: ch.Platform, Handle: ch.Handle, Followers: ch.Followers, Feed: ch.Feed})
	}
	for _, o := range a.Outlets {
		in.Outlets = append(in.Outlets, crm.OutletRole{Outlet: o.Outlet, Role: o.Role})
	}
	return in
}

func apiContactRows(rows []crm.ListRow) []APIContactRow {
	out := make([]APIContactRow, len(rows))
	for i, r := range rows {
		out[i] = APIContactRow{ID: r.ID, FirstName: r.FirstName, LastName: r.LastName, Kind: r.Kind, Title: r.Title,
			City: r.City, Region: r.Region, Stage: r.Stage, Reach: r.Reach, Health: r.Health, DoNotContact: r.DoNotContact,
			Owner: r.Owner, Outlets: r.Outlets, LastInteractionAt: r.LastInteractionAt, URL: routes.URL(routes.APIContactShow, r.ID)}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
