package crm

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/exportlog"
	"github.com/rapport-crm/rapport/ent/schema"
)

// TestStaffExportLimitUnderParallelExports: six simultaneous exports by one
// staff user produced four ready downloads past the daily limit (issue 20,
// item 3). The limit is decided atomically: exactly as many as fit are ready.
func TestStaffExportLimitUnderParallelExports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		staff, err := CreateUser(ctx, d.Client, UserInput{Email: "s@example.com", Name: "Sam", Role: RoleStaff, Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 4 {
			if _, err := CreateContact(ctx, d.Client, ContactInput{LastName: fmt.Sprintf("Quota %d", i), LawfulBasis: "legitimate_interest", Tags: []string{"Quota"}}); err != nil {
				t.Fatal(err)
			}
		}
		sctx := WithActor(ctx, Actor{UserID: staff.ID, Name: "Sam", Role: RoleStaff})
		req := ExportRequest{Selection: Selection{Filter: schema.SegmentFilter{Tags: []string{"Quota"}}}, Format: export.CSV,
			Columns: []string{"id", "last_name"}, Purpose: "Quota test", DailyLimit: 10} // 4 rows each: two fit
		var wg sync.WaitGroup
		errs := make(chan error, 6)
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := StartExport(sctx, NewSelections(d.Client, d.Dialect, nil, nil, nil), req, time.Now()); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		done := d.Client.ExportLog.Query().Where(exportlog.StatusEQ(exportlog.StatusDone)).CountX(ctx)
		pending := d.Client.ExportLog.Query().Where(exportlog.StatusEQ(exportlog.StatusPendingApproval)).CountX(ctx)
		if done != 2 || pending != 4 {
			t.Fatalf("%d ready and %d waiting for approval, want 2 and 4 (limit 10 rows, 4 rows each)", done, pending)
		}
	})
}
