package crm

import (
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/campaignmember"
)

// TestUpdateCampaignVersion: a save moves the version on and is audited
// with the changed fields; a save based on the old version is EConflict and
// changes nothing; the page's status change goes through the same write;
// the team is replaced whole; another staff member gets ENotFound.
func TestUpdateCampaignVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 0)
		ctx, svc, c := f.ctx, f.svc, f.c
		in := CampaignInputOf(c)
		in.Name, in.TeamIDs = "Herbst am Berg", []int{f.user}
		got, err := svc.UpdateCampaign(ctx, c.ID, c.Version, in)
		if err != nil || got.Name != "Herbst am Berg" || got.Version != c.Version+1 || len(got.Edges.Members) != 1 {
			t.Fatalf("update %+v, %v", got, err)
		}
		in.Name = "Stale"
		if _, err := svc.UpdateCampaign(ctx, c.ID, c.Version, in); ErrorCode(err) != EConflict {
			t.Fatalf("stale save: %v, want a conflict", err)
		}
		if err := svc.SetCampaignStatus(ctx, c.ID, "running"); err != nil {
			t.Fatal(err)
		}
		now, _ := svc.Campaign(ctx, c.ID)
		if now.Name != "Herbst am Berg" || now.Status != "running" || now.Version != c.Version+2 {
			t.Errorf("after the status change %q %s v%d", now.Name, now.Status, now.Version)
		}
		in = CampaignInputOf(now)
		in.TeamIDs = nil
		if _, err := svc.UpdateCampaign(ctx, c.ID, now.Version, in); err != nil {
			t.Fatal(err)
		}
		if n := d.Client.CampaignMember.Query().Where(campaignmember.CampaignID(c.ID)).CountX(ctx); n != 0 {
			t.Errorf("team of %d after emptying it", n)
		}
		evs := d.Client.AuditEvent.Query().Where(auditevent.Entity(EntityCampaign), auditevent.EntityID(c.ID), auditevent.Action(ActionUpdate)).
			Order(auditevent.ByID()).AllX(ctx)
		var keys [][]string
		for _, e := range evs {
			var ks []string
			for k := range e.Changes {
				ks = append(ks, k)
			}
			slices.Sort(ks)
			keys = append(keys, ks)
		}
		if want := [][]string{{"name", "team"}, {"status"}, {"team"}}; !slices.EqualFunc(keys, want, slices.Equal) {
			t.Errorf("audited changes %v, want %v", keys, want)
		}
		staff, _ := CreateUser(ctx, d.Client, UserInput{Email: "tom@example.com", Name: "Tom", Role: "staff", Password: "a long test password"})
		other := WithActor(ctx, Actor{UserID: staff.ID, Name: staff.Name, Role: "staff"})
		if _, err := svc.UpdateCampaign(other, c.ID, now.Version+1, in); ErrorCode(err) != ENotFound {
			t.Errorf("another staff member: %v, want not found", err)
		}
	})
}
