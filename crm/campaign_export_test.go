package crm

import (
	"strconv"

	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/exportlog"
)

// TestTargetListFollowsExportRules: the campaign's target CSV keeps a row
// for a do-not-contact target, with the reason and without their e-mail
// address, and the download is logged as an export of every target, so
// their access report lists it.
func TestTargetListFollowsExportRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 3)
		ok, dnc := f.ids[0], f.ids[1]
		if _, err := d.Client.ExecContext(f.ctx, "UPDATE contacts SET do_not_contact = $1 WHERE id = $2", true, dnc); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddTargets(f.ctx, f.c.ID, f.ids); err != nil {
			t.Fatal(err)
		}
		tab, err := f.svc.TargetsTable(f.ctx, f.c.ID)
		if err != nil || len(tab.Rows) != 3 {
			t.Fatalf("table %v, %v", tab.Rows, err)
		}
		for _, r := range tab.Rows {
			switch r[0] {
			case strconv.Itoa(ok):
				if r[2] == "" || r[9] != "" {
					t.Errorf("target who may be contacted: %q", r)
				}
			case strconv.Itoa(dnc):
				if r[2] != "" || r[9] != ExclusionLabels[ExcludedDoNotContact] || r[1] == "" {
					t.Errorf("do-not-contact target: %q, want the name and reason without the e-mail", r)
				}
			}
		}
		logs := d.Client.ExportLog.Query().AllX(f.ctx)
		if len(logs) != 1 {
			t.Fatalf("%d export logs, want 1", len(logs))
		}
		l := logs[0]
		if l.Purpose != TargetListPurpose || l.Filter.Campaign == nil || *l.Filter.Campaign != f.c.ID || l.RowCount != 3 ||
			len(l.MemberIds) != 3 || l.Status != exportlog.StatusDone || l.UserID == nil || *l.UserID != f.user ||
			l.ExcludedCounts[ExcludedDoNotContact] != 1 {
			t.Errorf("export log %+v", l)
		}
		rep, err := NewPrivacy(d, NewContactWriter(d.Client, d.Dialect, nil, nil), nil).Access(f.ctx, dnc)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range rep.Sections {
			if s.Key == "exports" && len(s.Rows) != 1 {
				t.Errorf("access report of the do-not-contact target lists %d exports, want the target list", len(s.Rows))
			}
		}
	})
}
