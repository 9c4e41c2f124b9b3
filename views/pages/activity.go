package pages

import (
	"context"

	"github.com/rapport-crm/rapport/crm"
)

// postTitle is a feed post's title on the timeline, or a word for a post without one.
func postTitle(ctx context.Context, e crm.TimelineEntry) string {
	if e.Subject != "" {
		return e.Subject
	}
	return tr(ctx, "Post without a title")
}

// postTitleOf is a post's title, or a word for a post without one.
func postTitleOf(ctx context.Context, title string) string {
	return postTitle(ctx, crm.TimelineEntry{Subject: title})
}
