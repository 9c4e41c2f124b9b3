package demo

import (
	"context"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestLoadParametersDoNotGrowWithContacts: no statement of the demo's load
// carries a parameter per contact. PostgreSQL takes at most 65,535
// parameters and SQLite 32,766, so such a statement loads 1,000 contacts
// and fails at 100,000 (it did: the opt-in lookup listed every id, and the
// cold 100,000-contact benchmark failed on it). Multi-row VALUES lists are
// cut at demoMaxParams.
func TestLoadParametersDoNotGrowWithContacts(t *testing.T) {
	const contacts = 300
	var mu sync.Mutex
	worst, worstQuery := 0, ""
	seen := func(q string, a []any) func() {
		mu.Lock()
		defer mu.Unlock()
		limit := contacts
		if strings.Contains(strings.ToUpper(q), "VALUES (") { // multi-row INSERT or UPDATE … FROM (VALUES …)
			limit = demoMaxParams
		}
		if len(a) >= limit && len(a) > worst {
			worst, worstQuery = len(a), q
		}
		return nil
	}
	d := dbtest.Open(t, dialect.SQLite, dbtest.Observe(seen))
	if _, err := Load(context.Background(), d.Client, Options{Contacts: contacts, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	if worst > 0 {
		t.Errorf("a statement carries %d parameters for %d contacts: %.300s", worst, contacts, worstQuery)
	}
}
