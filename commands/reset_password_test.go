package commands_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

// masterKey is the master key of resetMember's service.
var masterKey = bytes.Repeat([]byte{9}, 32)

// resetStory is a verified member with an open session and pending reset
// links, told to the event log the way the commands tell it.
type resetStory struct {
	svc                  *commands.Service
	log                  *eventlog.Log
	customer, member     string
	session              string
	first, second, stale string // reset ids: two pending, one expired
}

// token returns the token of reset id as the mailer puts it in the link.
func (s resetStory) token(id string) string {
	return s.customer + "." + s.member + "." + id + "." + auth.PasswordResetToken(masterKey, id)
}

// append appends an event of the member after its current revision.
func (s resetStory) append(t *testing.T, typ string, payload any) uint64 {
	t.Helper()
	ctx := context.Background()
	rev, err := s.log.Revision(ctx, s.customer, schema.AggregateMember, s.member)
	if err != nil {
		t.Fatal(err)
	}
	e, err := schema.NewEvent(typ, s.customer, schema.AggregateMember, s.member, schema.Actor{Kind: schema.ActorMember, ID: s.member}, payload)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.log.Append(ctx, rev, "", e)
	if err != nil {
		t.Fatalf("append %s: %v", typ, err)
	}
	return res.Revision
}

// requestReset appends a reset link of the member, valid until expires.
func (s resetStory) requestReset(t *testing.T, expires time.Time) string {
	t.Helper()
	id := schema.NewID()
	s.append(t, schema.EventMemberPasswordResetRequested, schema.MemberPasswordResetRequested{
		ResetID: id, Email: "lovelace@acme.example", TokenHash: auth.HashSecret(s.token(id)), ExpiresAt: expires})
	return id
}

// events returns the member's events.
func (s resetStory) events(t *testing.T) []schema.Event {
	t.Helper()
	events, _, err := s.log.Load(context.Background(), s.customer, schema.AggregateMember, s.member)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func resetMember(t *testing.T) resetStory {
	t.Helper()
	l, err := eventlog.Open(context.Background(), testkit.Connect(t, testkit.NewNATS(t)))
	if err != nil {
		t.Fatal(err)
	}
	s := resetStory{
		svc: commands.New(l, nil, commands.Keys{Master: masterKey}, commands.Options{}), log: l,
		customer: schema.NewID(), member: schema.NewID(), session: schema.NewID(),
	}
	hash, err := auth.HashPassword("the old passphrase 1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	s.append(t, schema.EventMemberJoined, schema.MemberJoined{Email: "lovelace@acme.example", Role: schema.RoleOwner, PasswordHash: hash})
	s.append(t, schema.EventMemberEmailVerified, schema.MemberEmailVerified{VerificationID: schema.NewID()})
	s.append(t, schema.EventMemberLoggedIn, schema.MemberLoggedIn{SessionID: s.session, ExpiresAt: now.Add(12 * time.Hour)})
	s.stale = s.requestReset(t, now.Add(-time.Second))
	s.first = s.requestReset(t, now.Add(time.Hour))
	s.second = s.requestReset(t, now.Add(time.Hour))
	return s
}

// wantInvalid fails the test unless err is an invalid *Error whose message
// contains want.
func wantInvalid(t *testing.T, what string, err error, want string) {
	t.Helper()
	if schema.ErrorCode(err) != schema.CodeInvalid || !strings.Contains(schema.ErrorMessage(err), want) {
		t.Errorf("%s: err = %v; want invalid %q", what, err, want)
	}
}

const badLink = "this password reset link is invalid, expired or already used"

func TestResetPasswordRefusesBadLinks(t *testing.T) {
	s := resetMember(t)
	ctx := context.Background()
	other := schema.NewID()
	for _, tc := range []struct {
		name, token string
	}{
		{"not a token", "nope"},
		{"empty", ""},
		{"ids that are not ids", "a.b.c." + auth.PasswordResetToken(masterKey, "c")},
		{"unknown reset", s.token(other)},
		{"expired", s.token(s.stale)},
		{"wrong secret", s.customer + "." + s.member + "." + s.first + "." + auth.PasswordResetToken(bytes.Repeat([]byte{1}, 32), s.first)},
		{"verification token of the reset id", s.customer + "." + s.member + "." + s.first + "." + auth.VerificationToken(masterKey, s.first)},
		{"another member", s.customer + "." + other + "." + s.first + "." + auth.PasswordResetToken(masterKey, s.first)},
		{"another customer", other + "." + s.member + "." + s.first + "." + auth.PasswordResetToken(masterKey, s.first)},
	} {
		_, err := s.svc.ResetPassword(ctx, commands.ResetPassword{Token: tc.token, Password: "a brand new passphrase"}, commands.Meta{})
		wantInvalid(t, tc.name, err, badLink)
	}
	if got := len(s.events(t)); got != 6 {
		t.Fatalf("the member has %d events; want the 6 of the story, nothing appended", got)
	}
}

func TestResetPasswordAppliesThePasswordRules(t *testing.T) {
	s := resetMember(t)
	for _, tc := range []struct {
		password, want string
	}{
		{"short", "password must be at least 10 characters"},
		{strings.Repeat("x", 129), "password must be at most 128 characters"},
		{"password123", "password is too common"},
		{"xx-Lovelace-xx-2026", "password must not contain your email address"},
	} {
		_, err := s.svc.ResetPassword(context.Background(), commands.ResetPassword{Token: s.token(s.first), Password: tc.password}, commands.Meta{})
		wantInvalid(t, tc.password, err, tc.want)
	}
	// A refused password leaves the link as it was.
	if _, err := s.svc.ResetPassword(context.Background(), commands.ResetPassword{Token: s.token(s.first), Password: "a brand new passphrase"}, commands.Meta{}); err != nil {
		t.Fatalf("the link after refused passwords: %v", err)
	}
}

func TestResetPasswordSetsTheHashAndEndsSessions(t *testing.T) {
	s := resetMember(t)
	ctx := context.Background()
	const password = "a brand new passphrase"
	res, err := s.svc.ResetPassword(ctx, commands.ResetPassword{Token: s.token(s.second), Password: password}, commands.Meta{})
	if err != nil {
		t.Fatalf("ResetPassword: %v", err)
	}
	events := s.events(t)
	last := events[len(events)-1]
	if last.Type != schema.EventMemberPasswordReset || last.Revision != res.Revision {
		t.Fatalf("last event = %s at %d; want %s at %d", last.Type, last.Revision, schema.EventMemberPasswordReset, res.Revision)
	}
	if last.Actor != (schema.Actor{Kind: schema.ActorMember, ID: s.member}) {
		t.Errorf("actor = %+v; want the member", last.Actor)
	}
	var p schema.MemberPasswordReset
	if err := last.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if p.ResetID != s.second || p.Email != "lovelace@acme.example" {
		t.Errorf("payload = %+v", p)
	}
	if ok, err := auth.CheckPassword(p.PasswordHash, password); err != nil || !ok {
		t.Errorf("the new hash does not match the new password (%v)", err)
	}
	if strings.Contains(string(last.Payload), password) {
		t.Errorf("the event holds the password: %s", last.Payload)
	}

	// The link is used up, and so is the other one still pending.
	_, err = s.svc.ResetPassword(ctx, commands.ResetPassword{Token: s.token(s.second), Password: "yet another passphrase"}, commands.Meta{})
	wantInvalid(t, "the same link again", err, badLink)
	_, err = s.svc.ResetPassword(ctx, commands.ResetPassword{Token: s.token(s.first), Password: "yet another passphrase"}, commands.Meta{})
	wantInvalid(t, "an older link", err, badLink)

	// The session ended with the reset: logging it out has nothing to do.
	out, err := s.svc.Logout(ctx, s.customer, s.member, s.session, commands.Meta{})
	if err != nil || out.Revision != res.Revision {
		t.Fatalf("Logout of the session = %+v, %v; want nothing appended (revision %d)", out, err, res.Revision)
	}

	// A link asked for after the reset works.
	next := s.requestReset(t, time.Now().Add(time.Hour))
	if _, err := s.svc.ResetPassword(ctx, commands.ResetPassword{Token: s.token(next), Password: "yet another passphrase"}, commands.Meta{}); err != nil {
		t.Fatalf("a new link: %v", err)
	}
}

// Two requests with one link at once: one sets the password, the other is
// told the link is used.
func TestResetPasswordOnceUnderConcurrency(t *testing.T) {
	s := resetMember(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = s.svc.ResetPassword(context.Background(), commands.ResetPassword{Token: s.token(s.first), Password: "a brand new passphrase"}, commands.Meta{})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		default:
			wantInvalid(t, "a concurrent use", err, badLink)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d concurrent uses succeeded; want 1 (%v)", ok, len(errs), errs)
	}
	resets := 0
	for _, e := range s.events(t) {
		if e.Type == schema.EventMemberPasswordReset {
			resets++
		}
	}
	if resets != 1 {
		t.Fatalf("%d member.password_reset events; want 1", resets)
	}
}
