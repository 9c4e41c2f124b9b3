package crm

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestTruncate: the one truncation helper cuts to at most n bytes (the
// column limits count bytes), never inside a character, and marks a cut.
func TestTruncate(t *testing.T) {
	tests := []struct {
		name, s string
		n       int
		want    string
	}{
		{"ok_short", "Müller", 20, "Müller"},
		{"ok_exact", "Müller", 7, "Müller"},
		{"cut_ascii", "abcdefghij", 6, "abc…"},
		{"cut_before_umlaut", "aaaaü", 5, "aa…"},
		{"cut_inside_umlaut", "ääää", 6, "ä…"},
		{"cut_inside_emoji", "ab👩‍💻cd", 8, "ab…"},
		{"room_for_marker_only", "äöü", 3, "…"},
		{"less_than_marker", "äöü", 2, "ä"},
		{"zero", "abc", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(tt.s, tt.n)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
			if len(got) > tt.n || !utf8.ValidString(got) {
				t.Errorf("Truncate(%q, %d) = %q: %d bytes, valid UTF-8 %v", tt.s, tt.n, got, len(got), utf8.ValidString(got))
			}
		})
	}
}

// TestLongUmlautSubject: an interaction whose subject is long and full of
// umlauts is logged with its audit event and its follow-up task (summary
// and title columns hold 300 bytes, not 300 characters).
func TestLongUmlautSubject(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u, err := CreateUser(ctx, d.Client, UserInput{Email: "u@example.com", Name: "U", Role: RoleStaff, Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := CreateContact(ctx, d.Client, ContactInput{FirstName: "Jörg", LastName: "Bär"})
		if err != nil {
			t.Fatal(err)
		}
		subject := strings.Repeat("ä", 150) // 300 bytes, the most the column holds
		if _, err := LogInteraction(ctx, d.Client, u.ID, InteractionInput{ContactIDs: []int{c.ID}, Type: "call", OccurredAt: time.Now(),
			Subject: subject, FollowUp: FollowUp{NextInDays: 3}}); err != nil {
			t.Fatal(err)
		}
		task := d.Client.Task.Query().OnlyX(ctx)
		if want := "Follow up: " + strings.Repeat("ä", 98) + "…"; task.Title != want {
			t.Errorf("follow-up title %q, want %q", task.Title, want)
		}
	})
}
