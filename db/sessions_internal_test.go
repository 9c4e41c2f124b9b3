package db

import (
	"reflect"
	"testing"
)

// TestRevokedPayload: what a NOTIFY on SessionChannel carries reads back as
// the revocation it was made from; a payload that does not parse revokes all.
func TestRevokedPayload(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    Revoked
		want string
	}{
		{"users", Revoked{Users: []int{1, 22}}, "u:1,22"},
		{"sessions", Revoked{Sessions: []int{7}}, "s:7"},
		{"both", Revoked{Users: []int{3}, Sessions: []int{4, 5}}, "u:3 s:4,5"},
		{"all", Revoked{All: true}, "*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.payload(); got != tc.want {
				t.Fatalf("payload %q, want %q", got, tc.want)
			}
			back, ok := parseRevoked(tc.want)
			if !ok || !reflect.DeepEqual(back, tc.r) {
				t.Errorf("parsed %+v (%v), want %+v", back, ok, tc.r)
			}
		})
	}
	for _, bad := range []string{"x:1", "u:a", "u1"} {
		if _, ok := parseRevoked(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}
