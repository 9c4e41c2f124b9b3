package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/crm"
)

// TestDuplicateWarning: while a new contact is typed in, the form warns
// (htmx, no reload) that Miriam Klein exists with this e-mail, and links to
// her; the warning's link opens her page.
func TestDuplicateWarning(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)
	staff := a.user(t, "leonie@example.com", "Leonie Schäfer", crm.RoleStaff, password)
	ctx := crm.WithActor(context.Background(), crm.Actor{UserID: staff.ID, Name: staff.Name, Role: string(staff.Role)})
	c, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: "Miriam", LastName: "Klein", City: "Munich",
		Emails: []crm.EmailInput{{Address: "miriam.klein@sz.example"}}, Outlets: []crm.OutletRole{{Outlet: "Süddeutsche Zeitung"}}})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, exe, a.url)
	b.signIn("leonie@example.com", password)
	b.open("/contacts/new")
	if n := b.count(`[data-testid="duplicate-warning"]`); n != 0 {
		t.Fatalf("a warning before anything was typed")
	}
	b.do("type a name and an e-mail",
		chromedp.SendKeys(chromedp.CSS(`#f-first_name`), "Miriam"),
		chromedp.SendKeys(chromedp.CSS(`#f-last_name`), "Klein"),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), "Miriam.Klein@SZ.example\t"))
	b.waitUntil("the duplicate warning", `(document.querySelector('[data-testid="duplicate-hint"]')?.textContent || '').includes('same e-mail')`)
	wantContains(t, "warning", b.text(`[data-testid="duplicate-hint"]`), "Miriam Klein", fmt.Sprintf("#%d", c.ID), "same e-mail miriam.klein@sz.example, same name")
	b.screenshot("duplicates-01-form-warning")
	b.navigate("open the existing contact", chromedp.Click(chromedp.CSS(`[data-testid="duplicate-hint"] a`)))
	if got := b.location(); got != fmt.Sprintf("%s/contacts/%d", a.url, c.ID) {
		t.Errorf("the warning's link went to %q", got)
	}
	b.open("/duplicates")
	if n := b.count(`[data-testid="duplicate-pair"]`); n != 0 {
		t.Errorf("%d pairs listed with one Miriam Klein", n)
	}
}
