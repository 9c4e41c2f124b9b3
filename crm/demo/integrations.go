package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
)

// writeIntegrations gives the demo's team the API tokens a PR team keeps
// for its tools (their secrets are never shown again; the lists show them),
// made through the token service with the demo's clock.
func (g *demoGen) writeIntegrations(ctx context.Context, client *ent.Client, _ *Stats) error {
	if len(g.users) < 2 {
		return nil
	}
	tokens := crm.NewAPITokens(client, func() time.Time { return g.now })
	for _, t := range []struct {
		user int
		in   crm.TokenInput
	}{
		{0, crm.TokenInput{Name: "listmonk Newsletter", Scope: crm.ScopeRead, ExpiresIn: 365 * 24 * time.Hour}},
		{1, crm.TokenInput{Name: "Power BI Presse-Dashboard", Scope: crm.ScopeRead, ExpiresIn: 90 * 24 * time.Hour}},
		{1, crm.TokenInput{Name: "Zapier Messe-Leads", Scope: crm.ScopeWrite, ExpiresIn: 30 * 24 * time.Hour}},
	} {
		if _, _, err := tokens.Create(ctx, g.users[t.user], t.in); err != nil {
			return fmt.Errorf("demo: api token: %w", err)
		}
	}
	return nil
}
