package importing_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestPlanRevertNames: the plan names the first RevertNamed contacts the
// revert deletes, in the file's order, and counts the rest.
func TestPlanRevertNames(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		u := staff(t, d)
		var b strings.Builder
		b.WriteString("Vorname,Nachname,E-Mail\n")
		n := importing.RevertNamed + 5
		for i := range n {
			fmt.Fprintf(&b, "Person%02d,Test,p%02d@example.de\n", i, i)
		}
		j := upload(t, d, u, "people.csv", []byte(b.String()), nil)
		dryRun(t, d, j.ID)
		j = run(t, d, j.ID)
		plan, err := importing.PlanRevert(context.Background(), d.Client, j, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Delete != n || len(plan.Deleted) != importing.RevertNamed || len(plan.Restored) != 0 {
			t.Fatalf("plan: delete %d, named %d, restored %d; want %d, %d, 0", plan.Delete, len(plan.Deleted), len(plan.Restored), n, importing.RevertNamed)
		}
		if got := plan.Deleted[0].Name; got != "Person00 Test" {
			t.Errorf("first named %q, want Person00 Test", got)
		}
		if got := plan.Deleted[importing.RevertNamed-1].Name; got != fmt.Sprintf("Person%02d Test", importing.RevertNamed-1) {
			t.Errorf("last named %q", got)
		}
	})
}
