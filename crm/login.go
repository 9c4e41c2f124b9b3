package crm

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
)

// Login throttling: after ThrottlePair failures for one e-mail from one
// address within ThrottleWindow, that pair waits; the same account from
// another address is not affected. One address failing on many accounts
// waits after ThrottleAddress failures.
const (
	ThrottleWindow  = 15 * time.Minute
	ThrottlePair    = 10
	ThrottleAddress = 50
)

// Login checks the throttle, then the credentials, and audits the outcome:
// a failure and a success are both events (failures also feed the throttle).
func Login(ctx context.Context, client *ent.Client, email, password string, now time.Time) (*ent.User, error) {
	email = NormalizeEmail(email)
	ip := ActorFrom(ctx).IP
	if err := checkThrottle(ctx, client, email, ip, now); err != nil {
		return nil, err
	}
	u, err := Authenticate(ctx, client, email, password)
	if ErrorCode(err) == EUnauthorized {
		ev := Event{Action: ActionLoginFailed, Entity: EntityUser, Summary: email}
		if aerr := auditWith(ctx, client.AuditEvent.Create(), ev); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	actx := WithActor(ctx, Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role), RequestID: ActorFrom(ctx).RequestID, IP: ip})
	if err := auditWith(actx, client.AuditEvent.Create(), Event{Action: ActionLogin, Entity: EntityUser, EntityID: u.ID}); err != nil {
		return nil, err
	}
	return u, nil
}

// RecordLogout audits a sign-out by the actor of ctx.
func RecordLogout(ctx context.Context, client *ent.Client) error {
	a := ActorFrom(ctx)
	return auditWith(ctx, client.AuditEvent.Create(), Event{Action: ActionLogout, Entity: EntityUser, EntityID: a.UserID})
}

// checkThrottle returns an ETooMany error with RetryAfter when the pair
// (email, ip), or ip alone, failed too often in the window.
func checkThrottle(ctx context.Context, client *ent.Client, email, ip string, now time.Time) error {
	since := now.Add(-ThrottleWindow).UTC()
	pair, err := client.AuditEvent.Query().
		Where(auditevent.Action(ActionLoginFailed), auditevent.AtGT(since), auditevent.Summary(email), auditevent.IP(ip)).
		Order(ent.Desc(auditevent.FieldAt)).Limit(ThrottlePair).All(ctx)
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	if len(pair) >= ThrottlePair {
		return throttled(pair[len(pair)-1].At, now)
	}
	addr, err := client.AuditEvent.Query().
		Where(auditevent.Action(ActionLoginFailed), auditevent.AtGT(since), auditevent.IP(ip)).
		Order(ent.Desc(auditevent.FieldAt)).Limit(ThrottleAddress).All(ctx)
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	if len(addr) >= ThrottleAddress {
		return throttled(addr[len(addr)-1].At, now)
	}
	return nil
}

// throttled says to wait until the oldest counted failure leaves the window.
func throttled(oldest, now time.Time) error {
	wait := oldest.Add(ThrottleWindow).Sub(now).Round(time.Second)
	if wait < time.Second {
		wait = time.Second
	}
	return &Error{Code: ETooMany, RetryAfter: wait,
		Message: fmt.Sprintf("Too many failed sign-ins. Try again in %d minutes, or ask an admin to reset your password.", int(wait.Minutes())+1)}
}
