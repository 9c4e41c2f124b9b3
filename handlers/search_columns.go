package handlers

import (
	"context"
	"net/url"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/search"
	"github.com/rapport-crm/rapport/views/pages"
)

// The column picker of the search results: cols= read against the contact
// list's allow-list (crm.ParseListColumns) and shown by the list's column
// components. Without cols the hits keep their compact form; with them they
// are a table of the chosen columns.

// searchColumns are the columns of a search page, with what their picker
// and cells need.
type searchColumns struct {
	cols    crm.ListColumns
	fields  crm.CustomFields
	stages  crm.Stages
	problem string // why not all chosen columns show (English, translated by the page)
}

// columns reads the columns q chooses; the stages' labels only when a stage column shows.
func (h *Search) columns(ctx context.Context, q url.Values) (searchColumns, error) {
	var sc searchColumns
	if h.fields == nil {
		return sc, nil
	}
	fields, err := h.fields(ctx)
	if err != nil {
		return sc, err
	}
	cols, colErr := crm.ParseListColumns(fields, q["cols"])
	sc = searchColumns{cols: cols, fields: fields, problem: crm.ErrorMessage(colErr)}
	if cols.Chosen && cols.Has(crm.ColStage) {
		if h.lookups != nil {
			sc.stages, err = h.lookups.Stages(ctx)
		} else {
			sc.stages, err = crm.LoadStages(ctx, h.client)
		}
	}
	return sc, err
}

// names are the related names the hits' rows read: those of chosen columns.
func (sc searchColumns) names() crm.ListNames {
	if !sc.cols.Chosen {
		return crm.ListNames{}
	}
	return crm.ListNames{Tags: sc.cols.Has(crm.ColTags), Topics: sc.cols.Has(crm.ColTopics)}
}

// fill sets the page's columns and picker: the picker's form carries the
// query (text, sort, filters) as it is; the search form carries the chosen
// columns, so that a new text keeps them; PlainURL drops them. The "save
// view" form holds the search as the contact list's canonical query (the
// text through the index and the facets as filters list the same people).
func (sc searchColumns) fill(p *pages.SearchProps, q url.Values) {
	p.Columns, p.Fields, p.ColumnsProblem = sc.cols, sc.fields, sc.problem
	p.Cells = pages.CellEnv{Stages: sc.stages, Now: p.Now}
	plain := url.Values{}
	for _, k := range append([]string{"q", "sort"}, search.Facets...) {
		for _, v := range q[k] {
			p.PickerHidden = append(p.PickerHidden, pages.HiddenInput{Name: k, Value: v})
			plain.Add(k, v)
		}
	}
	if len(q[search.FacetOutlet]) == 0 { // the selection language has no outlet filter
		p.ViewForm.Query = listQuery(selectionFrom(q), sc.cols).Encode()
	}
	if sc.cols.Chosen {
		for _, k := range sc.cols.Keys() {
			p.Hidden = append(p.Hidden, pages.HiddenInput{Name: "cols", Value: k})
		}
		p.PlainURL = routes.WithQuery(routes.URL(routes.Search), plain)
	}
}

// withCols adds the chosen columns of q to v (links that keep them).
func withCols(v, q url.Values) url.Values {
	if cols := values(q, "cols"); len(cols) > 0 {
		v["cols"] = cols
	}
	return v
}
