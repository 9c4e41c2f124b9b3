package crm

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

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

// TestAuditTextPerLocale: a message renders with the locale's numbers,
// plural forms, dates, enum and field words; the stored English summary
// keeps codes (counts in English digits) as summaries did before messages; an update's
// reason is followed by its fields; an erased argument shows as erased; an
// old event's constant summary is translated and a formatted one is shown
// as stored.
func TestAuditTextPerLocale(t *testing.T) {
	de, en := locale.Get(locale.German), locale.Get(locale.English)
	render := func(l *locale.Locale, m AuditMsg) string { return auditText(l, m.ID(), m.Args(), "") }
	due := time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name         string
		m            AuditMsg
		de, en, summ string
	}{
		{"ok_plural_many", MsgTargetList("Herbst", 1234), "Herbst: Zielliste, 1.234 Zeilen", "Herbst: target list, 1,234 rows", "Herbst: target list, 1,234 rows"},
		{"ok_plural_one", MsgTargetList("Herbst", 1), "Herbst: Zielliste, 1 Zeile", "Herbst: target list, 1 row", "Herbst: target list, 1 row"},
		{"ok_ids_unformatted", MsgMerged(1234, "Miriam Klein", 7, "Miriam Klein"), "Nr. 1234 (Miriam Klein) mit Nr. 7 (Miriam Klein) zusammengeführt",
			"Merged #1234 (Miriam Klein) into #7 (Miriam Klein)", "Merged #1234 (Miriam Klein) into #7 (Miriam Klein)"},
		{"ok_date", MsgTaskDue("Anrufen", due), "„Anrufen“, fällig am 4. Dez. 2026", "“Anrufen”, due Dec 4, 2026", "“Anrufen”, due 2026-12-04T17:00:00Z"},
		{"ok_enums", MsgRoleChange("staff", "manager"), "Mitarbeiter:in → Manager:in", "Staff → Manager", "staff → manager"},
		{"ok_reason_and_fields", MsgImportUpdate(12, "liste.csv").withFields(Changes{"title": {}, "city": {}}),
			"Import Nr. 12 (liste.csv): Stadt, Titel", "import #12 (liste.csv): City, Title", "import #12 (liste.csv): city, title"},
		{"ok_fields", FieldsChanged(Changes{"stage": {}}), "Geändert: Stufe", "Changed: Stage", "Changed: stage"},
		{"ok_erased", AuditMsg{id: msgSignInAs.id, args: map[string]string{"Email": erasedValue}}, "Anmeldung als [erased]", "sign-in as [erased]", "sign-in as [erased]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := render(de, c.m); got != c.de {
				t.Errorf("German %q, want %q", got, c.de)
			}
			if got := render(en, c.m); got != c.en {
				t.Errorf("English %q, want %q", got, c.en)
			}
			if got := auditEnglish(c.m); got != c.summ {
				t.Errorf("summary %q, want %q", got, c.summ)
			}
		})
	}
	if got := auditText(de, "", nil, "kept after retention review"); got != "nach Aufbewahrungsprüfung behalten" {
		t.Errorf("an old constant summary in German: %q", got)
	}
	if got := auditText(de, "", nil, "reverted a.csv: 3 contacts removed"); got != "reverted a.csv: 3 contacts removed" {
		t.Errorf("an old formatted summary: %q", got)
	}
}
