package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/search"
	"github.com/rapport-crm/rapport/views/pages"
)

// refuseText answers a list whose text is over the limits on search text:
// the filters with the text cut to the limit and what is wrong with it, no
// rows, 422.
func (h *Contacts) refuseText(c echo.Context, f pages.ContactFilter, err error) error {
	choices, stages, cerr := h.choices(c.Request().Context())
	if cerr != nil {
		return cerr
	}
	f.Q = search.Shorten(f.Q)
	p := pages.ContactsProps{Meta: meta(c, "Contacts"), Filter: f, Now: h.now(), Options: filterOptions(choices),
		Stages: stages, Errors: fieldErrors(err)}
	return render(c, http.StatusUnprocessableEntity, pages.Contacts(p))
}

// listPage returns one page of the contact list. Free text goes through the
// search index, as on the search page (umlauts, typos, outlets, notes …),
// combined with the list's filters; browsing by filters alone stays in SQL,
// which sorts by name with the database's collation.
func (h *Contacts) listPage(ctx context.Context, p crm.ListParams) (*crm.ContactPage, error) {
	f := p.Filter
	// The index holds the facets; conditions it does not (health, reach,
	// staleness, consent, e-mail) keep the list in SQL, where text matches
	// names and e-mails.
	sqlOnly := f.MinHealth != nil || f.MaxHealth != nil || f.MinFollowers != nil || f.MaxFollowers != nil ||
		f.Stale != nil || f.HasEmail != nil || len(f.Consent) > 0
	if h.search == nil || strings.TrimSpace(p.Query) == "" || sqlOnly {
		if h.lookups != nil {
			return h.lookups.ListContacts(ctx, p)
		}
		return crm.ListContacts(ctx, h.client, p)
	}
	filters := map[string][]string{search.FacetKind: f.Kinds, search.FacetRegion: f.Regions, search.FacetTopic: f.Topics,
		search.FacetTag: f.Tags, search.FacetStage: f.Stages, search.FacetPlatform: f.Platforms}
	for _, o := range f.Owners {
		filters[search.FacetOwner] = append(filters[search.FacetOwner], strconv.Itoa(o))
	}
	sort := search.SortRelevance
	switch p.Sort {
	case crm.SortName, crm.SortReach, crm.SortLastInteraction:
		sort = p.Sort
	}
	res, err := h.search.Search(ctx, search.Request{Q: p.Query, Filters: filters, Sort: sort, After: p.After, Size: 50})
	if errors.Is(err, search.ErrBadCursor) {
		return nil, crm.Errorf(crm.EInvalid, "This page link is broken; start again from the first page.")
	}
	if err != nil {
		return nil, err
	}
	ids := make([]int, len(res.Hits))
	for i, hit := range res.Hits {
		ids[i] = hit.ID
	}
	rows, err := crm.ListRowsByIDs(ctx, h.client, ids)
	if err != nil {
		return nil, err
	}
	return &crm.ContactPage{Rows: rows, Total: int(res.Total), Next: res.Next}, nil
}
