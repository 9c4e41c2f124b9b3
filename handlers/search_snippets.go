package handlers

import (
	"context"

	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/search"
	"github.com/rapport-crm/rapport/views/components"
	"github.com/rapport-crm/rapport/views/pages"
)

// snippetView says where a snippet is from and copies its segments.
func snippetView(ctx context.Context, s *search.Snippet) *pages.HitSnippet {
	if s == nil || len(s.Segments) == 0 {
		return nil
	}
	v := &pages.HitSnippet{}
	switch s.Field {
	case search.FieldBio:
		v.Where = locale.T(ctx, "Bio")
	case search.FieldTitle:
		v.Where = locale.T(ctx, "Title")
	case search.FieldOutlets:
		v.Where = locale.T(ctx, "Outlet")
	case search.FieldCoverage:
		v.Where = locale.T(ctx, "Coverage")
	case search.FieldPosts:
		v.Where = locale.T(ctx, "Posts")
	case search.FieldNotes:
		v.Where = locale.T(ctx, "{{.Type}} of {{.Date}}", "Type", components.Label(ctx, s.Type), "Date", components.Date(ctx, s.Date))
	}
	for _, seg := range s.Segments {
		v.Segments = append(v.Segments, pages.Segment{Text: seg.Text, Mark: seg.Mark})
	}
	return v
}
