package crm

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/locale"
)

// TestAuditMessagesHaveCatalogueEntries: every sentence the trail writes
// (the registry of audit_messages*.go, the only way to make an AuditMsg)
// has its German entry, and one with a Count has its English plural forms;
// every field word of the trail has its German entry; and no code outside
// the registry registers a message.
func TestAuditMessagesHaveCatalogueEntries(t *testing.T) {
	de, en := locale.Get(locale.German), locale.Get(locale.English)
	if len(AuditMessageIDs()) < 40 {
		t.Fatalf("only %d audit messages registered", len(AuditMessageIDs()))
	}
	for _, id := range AuditMessageIDs() {
		if !de.Has(id) {
			t.Errorf("no German entry for audit message %q", id)
		}
		if AuditMessagePlural(id) && !en.Has(id) {
			t.Errorf("no English plural forms for audit message %q", id)
		}
		for _, name := range regexp.MustCompile(`{{\.(\w+)}}`).FindAllStringSubmatch(id, -1) {
			if _, ok := auditTemplates[id].kinds[name[1]]; !ok {
				t.Errorf("audit message %q: placeholder %s has no argument", id, name[1])
			}
		}
	}
	for code, w := range auditFieldWords {
		if !de.Has(w) {
			t.Errorf("no German entry for the audit field %s (%q)", code, w)
		}
	}
	files, _ := filepath.Glob("*.go")
	sub, _ := filepath.Glob("*/*.go")
	for _, f := range append(files, sub...) {
		if strings.HasPrefix(filepath.Base(f), "audit_m") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "auditMessage(") {
			t.Errorf("%s registers an audit message outside audit_messages*.go", f)
		}
	}
}
