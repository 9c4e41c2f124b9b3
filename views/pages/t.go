package pages

import (
	"context"

	"github.com/rapport-crm/rapport/locale"
)

// t translates a message in ctx's language; see locale.T.
func tr(ctx context.Context, id string, kv ...any) string { return locale.T(ctx, id, kv...) }

// tn translates a plural message for n; see locale.N.
func tn(ctx context.Context, id string, n int, kv ...any) string { return locale.N(ctx, id, n, kv...) }
