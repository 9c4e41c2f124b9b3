package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/webhook"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/webhookdelivery"
)

// receiver is a local webhook endpoint that checks signatures and can fail or be slow.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	got    []webhook.Payload
	fail   int           // answer 500 to this many requests first
	always bool          // answer 500 to every request
	delay  time.Duration // wait this long before answering
	bad    int           // requests with a wrong signature
	calls  int
	now    func() time.Time // the service's clock, for the timestamp check
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.calls++
	fail := r.always || r.fail > 0
	if r.fail > 0 {
		r.fail--
	}
	ok := webhook.Verify(r.secret, req.Header.Get(webhook.HeaderTimestamp), req.Header.Get(webhook.HeaderSignature), body, r.now(), 5*time.Minute)
	if !ok {
		r.bad++
	}
	delay := r.delay
	r.mu.Unlock()
	time.Sleep(delay)
	if fail || !ok {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	var p webhook.Payload
	if err := json.Unmarshal(body, &p); err != nil || p.Type != req.Header.Get(webhook.HeaderEvent) {
		r.t.Errorf("payload %s (%v) for event %q", body, err, req.Header.Get(webhook.HeaderEvent))
	}
	r.mu.Lock()
	r.got = append(r.got, p)
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func setup(t *testing.T, d *db.DB, allowPrivate bool, events ...string) (*webhook.Service, *receiver, *ent.Webhook, *clock) {
	t.Helper()
	clk := &clock{now: time.Now()}
	svc := webhook.New(d.Client, webhook.Options{AllowPrivate: allowPrivate, Now: clk.Now, Timeout: 300 * time.Millisecond})
	if _, err := svc.Dispatch(t.Context()); err != nil { // the position starts at the newest event
		t.Fatal(err)
	}
	rc := &receiver{t: t, now: clk.Now}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	w, err := svc.Create(t.Context(), webhook.Input{URL: srv.URL + "/hook", Events: events})
	if err != nil {
		t.Fatal(err)
	}
	rc.secret = w.Secret
	return svc, rc, w, clk
}

func contact(t *testing.T, d *db.DB, last string) *ent.Contact {
	t.Helper()
	c, err := crm.CreateContact(context.Background(), d.Client, crm.ContactInput{Kind: "journalist", LastName: last})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// round dispatches and delivers once, then moves the clock past any backoff.
func round(t *testing.T, svc *webhook.Service, clk *clock) {
	t.Helper()
	if _, err := svc.Dispatch(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Deliver(t.Context()); err != nil {
		t.Fatal(err)
	}
	clk.add(webhook.MaxRetry + time.Second)
}

func TestDeliveryInOrderSignedAndRetried(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc, rc, _, clk := setup(t, d, true, webhook.ContactCreated, webhook.ContactUpdated, webhook.InteractionLogged)
		rc.fail = 2 // the first two attempts fail: retried, and still in order
		c := contact(t, d, "Groß")
		in := crm.ContactInput{Kind: "journalist", LastName: "Groß", City: "Köln", Version: c.Version}
		if _, err := crm.UpdateContact(context.Background(), d.Client, c.ID, in); err != nil {
			t.Fatal(err)
		}
		u, err := crm.CreateUser(context.Background(), d.Client, crm.UserInput{Email: "a@example.com", Name: "A", Role: "staff", Password: "correct horse battery staple"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := crm.LogInteraction(context.Background(), d.Client, u.ID, crm.InteractionInput{ContactIDs: []int{c.ID}, Type: "call",
			Subject: "Anruf", OccurredAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		contact(t, d, "Unbeteiligt") // another contact's event is not held up by Groß's retries
		for range 6 {
			round(t, svc, clk)
		}
		var types []string
		for _, p := range rc.got {
			if len(p.ContactIDs) > 0 && p.ContactIDs[0] == c.ID {
				types = append(types, p.Type)
			}
		}
		if strings.Join(types, ",") != "contact.created,contact.updated,interaction.logged" {
			t.Errorf("Groß's events arrived as %v", types)
		}
		if len(rc.got) != 4 || rc.bad != 0 {
			t.Errorf("%d delivered (want 4), %d with a bad signature", len(rc.got), rc.bad)
		}
		if len(rc.got) > 1 && rc.got[1].Type == webhook.ContactUpdated && strings.Join(rc.got[1].Fields, ",") != "city" {
			t.Errorf("updated fields %v", rc.got[1].Fields)
		}
		n := d.Client.WebhookDelivery.Query().Where(webhookdelivery.StatusEQ(webhookdelivery.StatusDelivered)).CountX(t.Context())
		if n != 4 {
			t.Errorf("%d deliveries marked delivered, want 4", n)
		}
	})
}

func TestFailingReceiverIsDisabledAndReplayed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc, rc, w, clk := setup(t, d, true, webhook.ContactCreated)
		rc.always = true
		for i := range webhook.DisableAfter {
			contact(t, d, "Person"+string(rune('A'+i)))
		}
		for range webhook.MaxAttempts + 1 {
			round(t, svc, clk)
		}
		w = d.Client.Webhook.GetX(t.Context(), w.ID)
		if w.Active || !strings.Contains(w.Notice, "Disabled") || !strings.Contains(w.Notice, "answered 500") {
			t.Fatalf("webhook after repeated failure: active %v, notice %q", w.Active, w.Notice)
		}
		if rc.calls != webhook.DisableAfter*webhook.MaxAttempts {
			t.Errorf("%d attempts, want %d", rc.calls, webhook.DisableAfter*webhook.MaxAttempts)
		}
		// Fixed: enable and replay one from the log.
		rc.mu.Lock()
		rc.always = false
		rc.mu.Unlock()
		if err := svc.Enable(t.Context(), w.ID); err != nil {
			t.Fatal(err)
		}
		_, log, err := svc.Log(t.Context(), w.ID, 10)
		if err != nil || len(log) != webhook.DisableAfter || log[0].Status != webhookdelivery.StatusFailed {
			t.Fatalf("log %v, %v", log, err)
		}
		if err := svc.Replay(t.Context(), w.ID, log[0].ID); err != nil {
			t.Fatal(err)
		}
		round(t, svc, clk)
		if len(rc.got) != 1 || rc.got[0].ID != log[0].AuditID {
			t.Errorf("replay delivered %v", rc.got)
		}
	})
}

func TestSlowReceiverTimesOutAndBacksOff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc, rc, _, clk := setup(t, d, true, webhook.ContactCreated)
		rc.delay = time.Second // past the 300 ms timeout of this test's service
		contact(t, d, "Langsam")
		start := clk.Now()
		if _, err := svc.Dispatch(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Deliver(t.Context()); err != nil {
			t.Fatal(err)
		}
		dl := d.Client.WebhookDelivery.Query().OnlyX(t.Context())
		if dl.Status != webhookdelivery.StatusPending || dl.Attempts != 1 || !strings.Contains(dl.LastError, "no answer within") {
			t.Fatalf("after a slow answer: %+v", dl)
		}
		if wait := dl.NextAttemptAt.Sub(start); wait < webhook.FirstRetry-time.Millisecond || wait > webhook.FirstRetry+time.Second {
			t.Errorf("next attempt after %v, want %v", wait, webhook.FirstRetry)
		}
		if webhook.Backoff(3) != 4*webhook.FirstRetry || webhook.Backoff(30) != webhook.MaxRetry {
			t.Errorf("backoff 3: %v, 30: %v", webhook.Backoff(3), webhook.Backoff(30))
		}
	})
}

// TestPrivateAddressesRefused: without the admin setting no delivery reaches
// a loopback receiver; the refusal happens when dialling.
func TestPrivateAddressesRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc, rc, _, clk := setup(t, d, false, webhook.ContactCreated)
		contact(t, d, "Intern")
		round(t, svc, clk)
		dl := d.Client.WebhookDelivery.Query().OnlyX(t.Context())
		if rc.calls != 0 || !strings.Contains(dl.LastError, "private or local") {
			t.Errorf("calls %d, last error %q", rc.calls, dl.LastError)
		}
	})
}
