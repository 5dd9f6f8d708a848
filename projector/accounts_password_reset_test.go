package projector_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/projector"
	"github.com/aegis-oss/aegis/schema"
)

// A member with two open sessions, one ended, and a token resets their
// password: the new hash replaces the old, the open sessions end, the token
// stays valid, and a session begun after the reset stays open. The other
// member's session is not touched.
func TestAccountsProjectsPasswordResets(t *testing.T) {
	s := newStack(t)
	h := &history{t: t, l: s.log, now: time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)}
	c := schema.NewID()
	ada, bob := schema.NewID(), schema.NewID()
	laptop, phone, ended, after, bobs := schema.NewID(), schema.NewID(), schema.NewID(), schema.NewID(), schema.NewID()
	token, reset, unused := schema.NewID(), schema.NewID(), schema.NewID()
	sessionExpiry := h.now.Add(12 * time.Hour)
	const (
		oldHash = "$argon2id$v=19$m=19456,t=2,p=1$old$old"
		newHash = "$argon2id$v=19$m=19456,t=2,p=1$new$new"
		bobHash = "$argon2id$v=19$m=19456,t=2,p=1$bob$bob"
	)
	applied := 0
	ev := func(a appended) appended { applied++; return a }

	h.claimEmail("ada@initech.example", ada)
	ev(h.customer(schema.EventCustomerRegistered, c, schema.CustomerRegistered{CompanyName: "Initech", OwnerID: ada}))
	adaJoined := ev(h.member(schema.EventMemberJoined, c, ada, schema.MemberJoined{
		Email: "ada@initech.example", Role: schema.RoleOwner, PasswordHash: oldHash}))
	h.claimEmail("bob@initech.example", bob)
	bobJoined := ev(h.member(schema.EventMemberJoined, c, bob, schema.MemberJoined{
		Email: "bob@initech.example", Role: schema.RoleAdmin, PasswordHash: bobHash, InvitedBy: ada}))

	laptopIn := ev(h.member(schema.EventMemberLoggedIn, c, ada, schema.MemberLoggedIn{SessionID: laptop, ExpiresAt: sessionExpiry}))
	endedIn := ev(h.member(schema.EventMemberLoggedIn, c, ada, schema.MemberLoggedIn{SessionID: ended, ExpiresAt: sessionExpiry}))
	endedOut := ev(h.member(schema.EventMemberLoggedOut, c, ada, schema.MemberLoggedOut{SessionID: ended}))
	phoneIn := ev(h.member(schema.EventMemberLoggedIn, c, ada, schema.MemberLoggedIn{SessionID: phone, ExpiresAt: sessionExpiry}))
	bobIn := ev(h.member(schema.EventMemberLoggedIn, c, bob, schema.MemberLoggedIn{SessionID: bobs, ExpiresAt: sessionExpiry}))
	tokenCreated := ev(h.member(schema.EventMemberTokenCreated, c, ada, schema.MemberTokenCreated{
		TokenID: token, Name: "ci", TokenHash: sha("aegp_ci"), Prefix: "aegp_ci"}))

	// Two links are asked for; the second one is used.
	ev(h.member(schema.EventMemberPasswordResetRequested, c, ada, schema.MemberPasswordResetRequested{
		ResetID: unused, Email: "ada@initech.example", TokenHash: sha("reset-unused"), ExpiresAt: h.now.Add(time.Hour)}))
	requested := ev(h.member(schema.EventMemberPasswordResetRequested, c, ada, schema.MemberPasswordResetRequested{
		ResetID: reset, Email: "ada@initech.example", TokenHash: sha("reset"), ExpiresAt: h.now.Add(time.Hour)}))
	runUntilCaughtUp(t, s, projector.Accounts{}, projector.WithBatchSize(3))

	members := func() []string {
		t.Helper()
		return rows(t, s.pool, `SELECT member_id, password_hash, revision FROM members ORDER BY created_at`)
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
		}
	}
	check("members after the requests", members(), []string{
		row(ada, oldHash, adaJoined.rev),
		row(bob, bobHash, bobJoined.rev),
	})
	if got := checkpoint(t, s.pool, schema.ProjectionAccounts); got != requested.rev {
		t.Fatalf("checkpoint = %d; want %d, past the requests", got, requested.rev)
	}

	resetDone := ev(h.member(schema.EventMemberPasswordReset, c, ada, schema.MemberPasswordReset{
		ResetID: reset, Email: "ada@initech.example", PasswordHash: newHash}))
	afterIn := ev(h.member(schema.EventMemberLoggedIn, c, ada, schema.MemberLoggedIn{SessionID: after, ExpiresAt: sessionExpiry.Add(time.Hour)}))
	runUntilCaughtUp(t, s, projector.Accounts{}, projector.WithBatchSize(2))

	check("members after the reset", members(), []string{
		row(ada, newHash, resetDone.rev),
		row(bob, bobHash, bobJoined.rev),
	})
	check("sessions after the reset", rows(t, s.pool,
		`SELECT session_id, member_id, started_at, ended_at, revision FROM sessions ORDER BY started_at`), []string{
		row(laptop, ada, laptopIn.at, resetDone.at, resetDone.rev),
		row(ended, ada, endedIn.at, endedOut.at, endedOut.rev),
		row(phone, ada, phoneIn.at, resetDone.at, resetDone.rev),
		row(bobs, bob, bobIn.at, nil, bobIn.rev),
		row(after, ada, afterIn.at, nil, afterIn.rev),
	})
	check("access tokens after the reset", rows(t, s.pool,
		`SELECT token_id, member_id, revoked_at, revision FROM access_tokens`), []string{
		row(token, ada, nil, tokenCreated.rev),
	})

	// A rebuild gives the same rows.
	res := rebuildEqualsLive(t, s, projector.Accounts{}, accountTables)
	if res.Applied != applied {
		t.Fatalf("Rebuild applied %d events; want %d", res.Applied, applied)
	}
}
