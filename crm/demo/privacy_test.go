package demo

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/ent/consentevent"
	"github.com/rapport-crm/rapport/ent/privacyrequest"
	"github.com/rapport-crm/rapport/ent/retentionreview"
)

// TestDemoPrivacy: the demo shows consent events with German sources and a
// lift with its reason, Art. 14 notices, an open access request and a
// retention review entry.
func TestDemoPrivacy(t *testing.T) {
	for _, tc := range demoTestDBs {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.open(t)
			ctx, c := context.Background(), d.Client
			if _, err := Load(ctx, c, Options{Contacts: 200}); err != nil {
				t.Fatal(err)
			}
			if n := c.ConsentEvent.Query().Where(consentevent.Source("Webformular")).CountX(ctx); n == 0 {
				t.Error("no consent event from the Webformular")
			}
			if n := c.ConsentEvent.Query().Where(consentevent.ReasonNEQ("")).CountX(ctx); n != 1 {
				t.Errorf("%d lifts with a reason, want 1", n)
			}
			if n := c.ConsentEvent.Query().Where(consentevent.NoticeAtNotNil()).CountX(ctx); n < 50 {
				t.Errorf("%d Art. 14 notices", n)
			}
			if n := c.PrivacyRequest.Query().Where(privacyrequest.StatusEQ(privacyrequest.StatusOpen)).CountX(ctx); n != 1 {
				t.Errorf("%d open access requests, want 1", n)
			}
			if n := c.RetentionReview.Query().Where(retentionreview.StatusEQ(retentionreview.StatusOpen)).CountX(ctx); n == 0 {
				t.Error("nobody on the retention review list")
			}
		})
	}
}
