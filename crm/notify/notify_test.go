package notify_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/notify"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/notification"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }
func newClock(s string) *clock       { t, _ := time.Parse(time.RFC3339, s); return &clock{now: t} }
func service(d *db.DB, mb *mailbox, clk *clock) *notify.Service {
	return notify.New(d.Client, notify.Options{SMTP: mb.settings(), BaseURL: "https://rapport.example.com/", Zone: time.UTC,
		DigestHour: 7, Now: clk.Now, Timeout: 5 * time.Second})
}

func user(t *testing.T, d *db.DB, email, name, role, lang string) *ent.User {
	t.Helper()
	u, err := crm.CreateUser(context.Background(), d.Client, crm.UserInput{Email: email, Name: name, Role: role, Password: "correct horse battery staple"})
	if err != nil {
		t.Fatal(err)
	}
	return d.Client.User.UpdateOne(u).SetLocale(lang).SaveX(context.Background())
}

func task(t *testing.T, d *db.DB, u *ent.User, contactID int, title, due string) {
	t.Helper()
	ctx := crm.WithActor(context.Background(), crm.Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role)})
	if _, err := crm.CreateTask(ctx, d.Client, contactID, crm.TaskInput{Title: title, Due: due, AssigneeID: u.ID}); err != nil {
		t.Fatal(err)
	}
}

func contact(t *testing.T, d *db.DB, first, last string) *ent.Contact {
	t.Helper()
	c, err := crm.CreateContact(context.Background(), d.Client, crm.ContactInput{Kind: "journalist", FirstName: first, LastName: last})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// digestSetup: a German and an English user with follow-ups due today, overdue and later.
func digestSetup(t *testing.T, d *db.DB) (de, en *ent.User) {
	de = user(t, d, "anna@example.com", "Anna Schmidt", "staff", "de")
	en = user(t, d, "bob@example.com", "Bob Jones", "staff", "en")
	c1, c2 := contact(t, d, "Lena", "Groß"), contact(t, d, "Tom", "Baker")
	task(t, d, de, c1.ID, "Interview nachfassen", "2026-12-05")
	task(t, d, de, c2.ID, "Muster schicken", "2026-12-01")
	task(t, d, de, c2.ID, "Später", "2026-12-20")
	task(t, d, en, c2.ID, "Send the embargoed release", "2026-12-05")
	user(t, d, "idle@example.com", "Idle Ida", "staff", "en") // nothing due: no digest
	return de, en
}

func TestDigestInTheUsersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mb, clk := newMailbox(t), newClock("2026-12-05T06:30:00Z")
		svc := service(d, mb, clk)
		de, en := digestSetup(t, d)
		if n, err := svc.Digests(ctx); err != nil || n != 0 {
			t.Fatalf("before the digest hour: %d digests, %v", n, err)
		}
		clk.Add(time.Hour)
		if n, err := svc.Digests(ctx); err != nil || n != 2 {
			t.Fatalf("digests: %d, %v; want 2", n, err)
		}
		if n, err := svc.Digests(ctx); err != nil || n != 0 {
			t.Fatalf("second round of the same day: %d digests, %v", n, err)
		}
		if n, err := svc.Deliver(ctx); err != nil || n != 2 {
			t.Fatalf("delivered %d, %v; want 2", n, err)
		}
		got := mb.to(de.Email)
		if len(got) != 1 {
			t.Fatalf("%d mails to the German user", len(got))
		}
		m := got[0]
		if m.Subject != "Ihre Wiedervorlagen für 5. Dez. 2026" {
			t.Errorf("German subject %q", m.Subject)
		}
		for _, want := range []string{"Guten Morgen, Anna Schmidt.", "Heute fällig: 1\n- Interview nachfassen – Lena Groß (5. Dez. 2026)",
			"Überfällig: 1\n- Muster schicken – Tom Baker (1. Dez. 2026)", "https://rapport.example.com/tasks",
			"Diese Mails abbestellen: https://rapport.example.com/unsubscribe/"} {
			if !strings.Contains(m.Body, want) {
				t.Errorf("German digest lacks %q:\n%s", want, m.Body)
			}
		}
		if strings.Contains(m.Body, "Später") {
			t.Errorf("German digest lists a later follow-up:\n%s", m.Body)
		}
		if u := m.Header.Get("List-Unsubscribe"); !strings.HasPrefix(u, "<https://rapport.example.com/unsubscribe/") ||
			m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe %q, Post %q", u, m.Header.Get("List-Unsubscribe-Post"))
		}
		got = mb.to(en.Email)
		if len(got) != 1 {
			t.Fatalf("%d mails to the English user", len(got))
		}
		if got[0].Subject != "Your follow-ups for Dec 5, 2026" || !strings.Contains(got[0].Body, "Good morning, Bob Jones.") ||
			!strings.Contains(got[0].Body, "Due today: 1\n- Send the embargoed release – Tom Baker (Dec 5, 2026)") ||
			strings.Contains(got[0].Body, "Overdue") {
			t.Errorf("English digest %q:\n%s", got[0].Subject, got[0].Body)
		}
		if len(mb.messages()) != 2 {
			t.Errorf("%d mails; want 2 (nobody else has follow-ups due)", len(mb.messages()))
		}
		if n, err := svc.Deliver(ctx); err != nil || n != 0 {
			t.Errorf("a second delivery sent %d, %v", n, err)
		}
		clk.Add(notify.Keep - time.Hour)
		if n, err := svc.Prune(ctx); err != nil || n != 0 {
			t.Errorf("pruned %d, %v before they were %s old", n, err, notify.Keep)
		}
		clk.Add(2 * time.Hour)
		if n, err := svc.Prune(ctx); err != nil || n != 2 {
			t.Errorf("pruned %d, %v; want the 2 sent digests", n, err)
		}
	})
}

func TestNeverTwiceUnderTwoSenders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mb, clk := newMailbox(t), newClock("2026-12-05T08:00:00Z")
		c := contact(t, d, "Lena", "Groß")
		const users = 12
		for i := range users {
			u := user(t, d, "user"+string(rune('a'+i))+"@example.com", "User "+string(rune('A'+i)), "staff", "en")
			task(t, d, u, c.ID, "Call back", "2026-12-05")
		}
		a, b := service(d, mb, clk), service(d, mb, clk)
		var wg sync.WaitGroup
		made := make([]int, 2)
		for i, s := range []*notify.Service{a, b} {
			wg.Go(func() {
				n, err := s.Digests(ctx)
				if err != nil {
					t.Error(err)
				}
				made[i] = n
				for range 3 {
					if _, err := s.Deliver(ctx); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		if made[0]+made[1] != users {
			t.Errorf("made %v digests; want %d in all", made, users)
		}
		seen := map[string]int{}
		for _, m := range mb.messages() {
			seen[m.To]++
		}
		if len(seen) != users || len(mb.messages()) != users {
			t.Errorf("%d mails to %d users; want one each for %d", len(mb.messages()), len(seen), users)
		}
		if n := d.Client.Notification.Query().Where(notification.StatusEQ(notification.StatusSent)).CountX(ctx); n != users {
			t.Errorf("%d recorded as sent", n)
		}
	})
}

func TestRetryAfterAFailingServer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mb, clk := newMailbox(t), newClock("2026-12-05T08:00:00Z")
		mb.fail = 2
		svc := service(d, mb, clk)
		_, en := digestSetup(t, d)
		if _, err := svc.Digests(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.Deliver(ctx); err != nil || n != 0 {
			t.Fatalf("sent %d, %v while the server refuses", n, err)
		}
		rows := d.Client.Notification.Query().AllX(ctx)
		for _, r := range rows {
			if r.Status != notification.StatusPending || r.Attempts != 1 || !r.NextAttemptAt.Equal(clk.Now().Add(notify.FirstRetry)) ||
				!strings.Contains(r.LastError, "451") {
				t.Errorf("after a refusal: %s, %d attempts, next %v, error %q", r.Status, r.Attempts, r.NextAttemptAt, r.LastError)
			}
		}
		if n, _ := svc.Deliver(ctx); n != 0 {
			t.Errorf("sent %d before the backoff ran out", n)
		}
		clk.Add(notify.FirstRetry)
		if n, err := svc.Deliver(ctx); err != nil || n != 2 {
			t.Fatalf("after the backoff: sent %d, %v", n, err)
		}
		if got := mb.to(en.Email); len(got) != 1 || got[0].Subject != "Your follow-ups for Dec 5, 2026" {
			t.Errorf("retried mail %+v", got)
		}
		if n := d.Client.Notification.Query().Where(notification.StatusEQ(notification.StatusSent), notification.Attempts(2)).CountX(ctx); n != 2 {
			t.Errorf("%d sent on the second attempt; want 2", n)
		}
	})
}

func TestChoicesAndUnsubscribe(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mb, clk := newMailbox(t), newClock("2026-12-05T08:00:00Z")
		svc := service(d, mb, clk)
		de, en := digestSetup(t, d)
		if err := notify.SetChoices(ctx, d.Client, en.ID, []string{notify.ImportFinished}); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.Digests(ctx); err != nil || n != 1 {
			t.Fatalf("%d digests, %v; want only the German user's", n, err)
		}
		if _, err := svc.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		m := mb.to(de.Email)[0]
		token := strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
		token = token[strings.LastIndex(token, "/")+1:]
		if _, err := notify.ReadToken(ctx, d.Client, strings.Replace(token, "digest", "import_finished", 1)); err == nil {
			t.Error("a token changed to another kind was taken")
		}
		un, err := notify.Unsubscribe(ctx, d.Client, token)
		if err != nil || un.UserID != de.ID || un.Kind != notify.Digest || !un.Off {
			t.Fatalf("unsubscribe: %+v, %v", un, err)
		}
		on, _ := notify.Wanted(ctx, d.Client, de.ID)
		if strings.Join(on, ",") != "nomination_waiting,nomination_decided,import_finished,export_finished" {
			t.Errorf("after unsubscribing from the digest: %v", on)
		}
	})
}
