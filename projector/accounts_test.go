package projector_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aegis-oss/aegis/projector"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
)

// accountTables are the tables of the accounts projection.
var accountTables = []string{"customers", "members", "member_verifications", "sessions", "access_tokens"}

// history appends events the way command handlers do: each after its
// aggregate's current revision, each a minute after the one before.
type history struct {
	t   *testing.T
	l   *eventlog.Log
	now time.Time
}

// appended is an event as stored: its revision and time.
type appended struct {
	rev uint64
	at  time.Time
}

func (h *history) append(typ, customer, aggregate, id string, actor schema.Actor, payload any) appended {
	h.t.Helper()
	ctx := context.Background()
	expected, err := h.l.Revision(ctx, customer, aggregate, id)
	if err != nil {
		h.t.Fatal(err)
	}
	e, err := schema.NewEvent(typ, customer, aggregate, id, actor, payload)
	if err != nil {
		h.t.Fatal(err)
	}
	h.now = h.now.Add(time.Minute)
	e.OccurredAt = h.now
	res, err := h.l.Append(ctx, expected, "", e)
	if err != nil {
		h.t.Fatalf("append %s: %v", typ, err)
	}
	return appended{rev: res.Revision, at: h.now}
}

func (h *history) customer(typ, customer string, payload any) appended {
	h.t.Helper()
	return h.append(typ, customer, schema.AggregateCustomer, customer, schema.SystemActor, payload)
}

func (h *history) member(typ, customer, member string, payload any) appended {
	h.t.Helper()
	return h.append(typ, customer, schema.AggregateMember, member, schema.Actor{Kind: schema.ActorMember, ID: member}, payload)
}

// memberBy appends an event of member that another member, by, caused: an
// invitation, a role change, a removal.
func (h *history) memberBy(by, typ, customer, member string, payload any) appended {
	h.t.Helper()
	return h.append(typ, customer, schema.AggregateMember, member, schema.Actor{Kind: schema.ActorMember, ID: by}, payload)
}

// releaseEmail frees a removed member's email, as removal does.
func (h *history) releaseEmail(email, member string) {
	h.t.Helper()
	if _, err := h.l.Release(context.Background(), schema.ClaimEmail, strings.ToLower(email), "member:"+member, schema.SystemActor, ""); err != nil {
		h.t.Fatal(err)
	}
}

// claimEmail takes the email for a member first, as registration and
// invitation do.
func (h *history) claimEmail(email, member string) {
	h.t.Helper()
	if _, err := h.l.Claim(context.Background(), schema.ClaimEmail, strings.ToLower(email), "member:"+member, schema.SystemActor, ""); err != nil {
		h.t.Fatal(err)
	}
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// accounts is the story told to the log: two customers, their owners, a
// verification used, sessions, tokens, suspensions.
type accounts struct {
	a, b                 string // customers
	ownerA, devA, ownerB string // members
	verifyA, verifyB     string
	sessionA, sessionB   string
	tokenA, tokenB       string

	registeredA, registeredB, suspendedA, reactivatedA, suspendedB       appended
	joinedOwnerA, joinedDevA, joinedOwnerB, issuedA, verifiedA, issuedB  appended
	loginA, loginB, logoutB, tokenCreatedA, tokenCreatedB, tokenRevokedB appended
	verificationExpiry, sessionExpiryA, sessionExpiryB, tokenExpiryB     time.Time
}

func appendAccounts(t *testing.T, l *eventlog.Log) accounts {
	t.Helper()
	h := &history{t: t, l: l, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s := accounts{
		a: schema.NewID(), b: schema.NewID(),
		ownerA: schema.NewID(), devA: schema.NewID(), ownerB: schema.NewID(),
		verifyA: schema.NewID(), verifyB: schema.NewID(),
		sessionA: schema.NewID(), sessionB: schema.NewID(),
		tokenA: schema.NewID(), tokenB: schema.NewID(),
	}
	s.verificationExpiry = h.now.Add(48 * time.Hour)
	s.sessionExpiryA = h.now.Add(12 * time.Hour)
	s.sessionExpiryB = h.now.Add(13 * time.Hour)
	s.tokenExpiryB = h.now.Add(90 * 24 * time.Hour)

	// Acme registers; its owner verifies her email, logs in and creates a
	// token for CI, then invites a developer.
	h.claimEmail("Ada@Acme.Example", s.ownerA)
	s.registeredA = h.customer(schema.EventCustomerRegistered, s.a, schema.CustomerRegistered{CompanyName: "Acme", OwnerID: s.ownerA})
	s.joinedOwnerA = h.member(schema.EventMemberJoined, s.a, s.ownerA, schema.MemberJoined{
		Email: "Ada@Acme.Example", Role: schema.RoleOwner, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$a$a"})
	s.issuedA = h.member(schema.EventMemberVerificationIssued, s.a, s.ownerA, schema.MemberVerificationIssued{
		VerificationID: s.verifyA, Email: "Ada@Acme.Example", TokenHash: sha("verify-a"), ExpiresAt: s.verificationExpiry})

	// Globex registers between Acme's steps: the log interleaves customers.
	h.claimEmail("bob@globex.example", s.ownerB)
	s.registeredB = h.customer(schema.EventCustomerRegistered, s.b, schema.CustomerRegistered{CompanyName: "Globex", OwnerID: s.ownerB})
	s.joinedOwnerB = h.member(schema.EventMemberJoined, s.b, s.ownerB, schema.MemberJoined{
		Email: "bob@globex.example", Role: schema.RoleOwner, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$b$b"})
	s.issuedB = h.member(schema.EventMemberVerificationIssued, s.b, s.ownerB, schema.MemberVerificationIssued{
		VerificationID: s.verifyB, Email: "bob@globex.example", TokenHash: sha("verify-b"), ExpiresAt: s.verificationExpiry.Add(3 * time.Minute)})

	s.verifiedA = h.member(schema.EventMemberEmailVerified, s.a, s.ownerA, schema.MemberEmailVerified{VerificationID: s.verifyA})
	s.loginA = h.member(schema.EventMemberLoggedIn, s.a, s.ownerA, schema.MemberLoggedIn{
		SessionID: s.sessionA, ExpiresAt: s.sessionExpiryA, IP: "203.0.113.7", UserAgent: "Firefox/140.0"})
	s.tokenCreatedA = h.member(schema.EventMemberTokenCreated, s.a, s.ownerA, schema.MemberTokenCreated{
		TokenID: s.tokenA, Name: "ci", TokenHash: sha("aegpat_a"), Prefix: "aegpat_a"})
	h.claimEmail("dev@acme.example", s.devA)
	s.joinedDevA = h.member(schema.EventMemberJoined, s.a, s.devA, schema.MemberJoined{
		Email: "dev@acme.example", Role: schema.RoleDeveloper, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c$c", InvitedBy: s.ownerA})

	// Globex's owner logs in and out, and creates and revokes a token.
	s.loginB = h.member(schema.EventMemberLoggedIn, s.b, s.ownerB, schema.MemberLoggedIn{
		SessionID: s.sessionB, ExpiresAt: s.sessionExpiryB})
	s.tokenCreatedB = h.member(schema.EventMemberTokenCreated, s.b, s.ownerB, schema.MemberTokenCreated{
		TokenID: s.tokenB, Name: "deploy", TokenHash: sha("aegpat_b"), Prefix: "aegpat_b", ExpiresAt: &s.tokenExpiryB})
	s.logoutB = h.member(schema.EventMemberLoggedOut, s.b, s.ownerB, schema.MemberLoggedOut{SessionID: s.sessionB})
	s.tokenRevokedB = h.member(schema.EventMemberTokenRevoked, s.b, s.ownerB, schema.MemberTokenRevoked{TokenID: s.tokenB})

	// Acme is suspended and reactivated; Globex stays suspended.
	s.suspendedA = h.customer(schema.EventCustomerSuspended, s.a, schema.CustomerSuspended{Reason: "card declined"})
	s.suspendedB = h.customer(schema.EventCustomerSuspended, s.b, schema.CustomerSuspended{Reason: "unpaid invoices"})
	s.reactivatedA = h.customer(schema.EventCustomerReactivated, s.a, schema.CustomerReactivated{})
	return s
}

// row renders values the way rows renders a row, for comparison.
func row(values ...any) string {
	parts := make([]string, len(values))
	for i, v := range values {
		switch v := v.(type) {
		case nil:
			parts[i] = "NULL"
		case time.Time:
			parts[i] = v.UTC().Format(time.RFC3339Nano)
		default:
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, " | ")
}

// rows runs sql and renders each row with row.
func rows(t *testing.T, pool *pgxpool.Pool, sql string) []string {
	t.Helper()
	r, err := pool.Query(context.Background(), sql)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []string
	for r.Next() {
		values, err := r.Values()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, row(values...))
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAccountsHandlesEveryCustomerAndMemberEvent(t *testing.T) {
	var want []string
	for _, et := range schema.Catalog().Types() {
		if strings.HasPrefix(et.Name, schema.AggregateCustomer+".") || strings.HasPrefix(et.Name, schema.AggregateMember+".") {
			want = append(want, et.Name)
		}
	}
	got := projector.Accounts{}.Handles()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("Accounts handles %v; want %v", got, want)
	}
}

func TestAccountsProjectsCustomersAndMembers(t *testing.T) {
	s := newStack(t)
	acc := appendAccounts(t, s.log)
	runUntilCaughtUp(t, s, projector.Accounts{}, projector.WithBatchSize(4))

	for _, tc := range []struct {
		table string
		sql   string
		want  []string
	}{
		{"customers",
			`SELECT customer_id, company_name, status, owner_id, created_at, suspended_reason, revision
			FROM customers ORDER BY revision`,
			[]string{
				row(acc.b, "Globex", "suspended", acc.ownerB, acc.registeredB.at, "unpaid invoices", acc.suspendedB.rev),
				row(acc.a, "Acme", "active", acc.ownerA, acc.registeredA.at, "", acc.reactivatedA.rev),
			}},
		{"members",
			`SELECT member_id, customer_id, email, role, password_hash, email_verified, invited_by, created_at, revision
			FROM members ORDER BY revision`,
			[]string{
				row(acc.ownerB, acc.b, "bob@globex.example", "owner", "$argon2id$v=19$m=65536,t=1,p=4$b$b", false, "", acc.joinedOwnerB.at, acc.joinedOwnerB.rev),
				row(acc.ownerA, acc.a, "ada@acme.example", "owner", "$argon2id$v=19$m=65536,t=1,p=4$a$a", true, "", acc.joinedOwnerA.at, acc.verifiedA.rev),
				row(acc.devA, acc.a, "dev@acme.example", "developer", "$argon2id$v=19$m=65536,t=1,p=4$c$c", false, acc.ownerA, acc.joinedDevA.at, acc.joinedDevA.rev),
			}},
		{"member_verifications",
			`SELECT verification_id, customer_id, member_id, email, token_hash, expires_at, issued_at, used_at, revision
			FROM member_verifications ORDER BY revision`,
			[]string{
				row(acc.verifyB, acc.b, acc.ownerB, "bob@globex.example", sha("verify-b"), acc.verificationExpiry.Add(3*time.Minute), acc.issuedB.at, nil, acc.issuedB.rev),
				row(acc.verifyA, acc.a, acc.ownerA, "ada@acme.example", sha("verify-a"), acc.verificationExpiry, acc.issuedA.at, acc.verifiedA.at, acc.verifiedA.rev),
			}},
		{"sessions",
			`SELECT session_id, customer_id, member_id, started_at, expires_at, ended_at, ip, user_agent, revision
			FROM sessions ORDER BY revision`,
			[]string{
				row(acc.sessionA, acc.a, acc.ownerA, acc.loginA.at, acc.sessionExpiryA, nil, "203.0.113.7", "Firefox/140.0", acc.loginA.rev),
				row(acc.sessionB, acc.b, acc.ownerB, acc.loginB.at, acc.sessionExpiryB, acc.logoutB.at, "", "", acc.logoutB.rev),
			}},
		{"access_tokens",
			`SELECT token_id, customer_id, member_id, name, token_hash, prefix, created_at, expires_at, revoked_at, revision
			FROM access_tokens ORDER BY revision`,
			[]string{
				row(acc.tokenA, acc.a, acc.ownerA, "ci", sha("aegpat_a"), "aegpat_a", acc.tokenCreatedA.at, nil, nil, acc.tokenCreatedA.rev),
				row(acc.tokenB, acc.b, acc.ownerB, "deploy", sha("aegpat_b"), "aegpat_b", acc.tokenCreatedB.at, acc.tokenExpiryB, acc.tokenRevokedB.at, acc.tokenRevokedB.rev),
			}},
	} {
		if got := rows(t, s.pool, tc.sql); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.table, strings.Join(got, "\n     "), strings.Join(tc.want, "\n     "))
		}
	}

	last, err := s.log.LastRevision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := checkpoint(t, s.pool, schema.ProjectionAccounts); got != last {
		t.Fatalf("checkpoint = %d; want %d", got, last)
	}

	// A rebuild from revision 1 gives the same rows.
	res := rebuildEqualsLive(t, s, projector.Accounts{}, accountTables)
	if res.Revision != last || res.Applied != 17 {
		t.Fatalf("Rebuild = %+v; want revision %d, 17 events applied", res, last)
	}
}

// rlsTables are the tables whose rows are visible to aegis_api only for
// the customer set in the transaction.
var rlsTables = append(slices.Clone(accountTables), "audit_events")

// asAPI runs f in a transaction on conn as the admin API's role, acting
// for customer ("": none set).
func asAPI(t *testing.T, conn *pgx.Conn, customer string, f func(tx pgx.Tx) error) error {
	t.Helper()
	ctx := context.Background()
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL ROLE aegis_api"); err != nil {
			t.Fatalf("set role: %v", err)
		}
		if customer != "" {
			if _, err := tx.Exec(ctx, "SELECT set_config('aegis.customer_id', $1, true)", customer); err != nil {
				t.Fatalf("set customer: %v", err)
			}
		}
		return f(tx)
	})
}

// checkIsolation checks that aegis_api, on conn, sees of tables exactly
// the rows customer a owns when acting for a, b's when acting for b, and
// none with no customer set (on a fresh connection, and after a
// transaction that set one) or an unknown one. Each customer must own some
// rows of each table.
func checkIsolation(t *testing.T, s stack, conn *pgx.Conn, tables []string, a, b string) {
	t.Helper()
	// What each customer owns, counted as the owner, whom RLS does not bind.
	owned := func(customer string) map[string]int {
		t.Helper()
		out := map[string]int{}
		for _, table := range tables {
			var n int
			q := fmt.Sprintf(`SELECT count(*) FROM %s WHERE customer_id = $1`, table)
			if err := s.pool.QueryRow(context.Background(), q, customer).Scan(&n); err != nil {
				t.Fatal(err)
			}
			out[table] = n
		}
		return out
	}
	ownedA, ownedB := owned(a), owned(b)
	none := map[string]int{}
	for _, table := range tables {
		if ownedA[table] == 0 || ownedB[table] == 0 {
			t.Fatalf("%s: customer A owns %d rows, B %d; want some each", table, ownedA[table], ownedB[table])
		}
		none[table] = 0
	}
	for _, tc := range []struct {
		name     string
		customer string
		want     map[string]int
	}{
		{"no customer on a fresh connection", "", none},
		{"customer A", a, ownedA},
		{"customer B", b, ownedB},
		{"no customer after a transaction that set one", "", none},
		{"an unknown customer", schema.NewID(), none},
	} {
		if got := visible(t, conn, tables, tc.customer); !maps.Equal(got, tc.want) {
			t.Errorf("%s: aegis_api sees %v; want %v", tc.name, got, tc.want)
		}
	}
}

// visible counts, per table, the rows aegis_api sees acting for customer,
// and fails the test if any of them is another customer's.
func visible(t *testing.T, conn *pgx.Conn, tables []string, customer string) map[string]int {
	t.Helper()
	got := map[string]int{}
	err := asAPI(t, conn, customer, func(tx pgx.Tx) error {
		for _, table := range tables {
			var n, others int
			q := fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE customer_id IS DISTINCT FROM $1) FROM %s`, table)
			if err := tx.QueryRow(context.Background(), q, customer).Scan(&n, &others); err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
			if others != 0 {
				t.Errorf("acting for %q, aegis_api sees %d rows of %s of other customers", customer, others, table)
			}
			got[table] = n
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestAccountsRowLevelSecurity(t *testing.T) {
	s := newStack(t)
	acc := appendAccounts(t, s.log)
	runUntilCaughtUp(t, s, projector.Audit{})
	runUntilCaughtUp(t, s, projector.Accounts{})
	ctx := context.Background()

	conn, err := pgx.Connect(ctx, s.pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	checkIsolation(t, s, conn, rlsTables, acc.a, acc.b)

	// Checkpoints hold no customer data: readable whole.
	err = asAPI(t, conn, "", func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM projection_checkpoints`).Scan(&n); err != nil {
			return err
		}
		if n < 2 {
			t.Errorf("aegis_api sees %d checkpoints; want the audit and accounts ones", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The admin API never writes: every change is an event.
	for _, q := range []string{
		`UPDATE customers SET status = 'active' WHERE customer_id = $1`,
		`UPDATE members SET role = 'owner' WHERE customer_id = $1`,
		`INSERT INTO sessions (session_id, customer_id, member_id, started_at, expires_at, revision)
			VALUES ('s', $1, 'm', now(), now(), 1)`,
		`INSERT INTO access_tokens (token_id, customer_id, member_id, name, token_hash, prefix, created_at, revision)
			VALUES ('t', $1, 'm', 'n', 'h', 'p', now(), 1)`,
		`DELETE FROM audit_events WHERE customer_id = $1`,
		`UPDATE projection_checkpoints SET revision = 0 WHERE name <> $1`,
	} {
		err := asAPI(t, conn, acc.a, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, q, acc.a)
			return err
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("as aegis_api, %s\ngot %v; want permission denied (42501)", q, err)
		}
	}
}

// An admin invites a member, who accepts, works, changes role and is
// removed; the same email is then invited again as a new member.
func TestAccountsProjectsInvitationsAndRemovals(t *testing.T) {
	s := newStack(t)
	h := &history{t: t, l: s.log, now: time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)}
	c := schema.NewID()
	owner, admin, carol, carolAgain := schema.NewID(), schema.NewID(), schema.NewID(), schema.NewID()
	inviteAdmin, inviteCarol, inviteCarolAgain := schema.NewID(), schema.NewID(), schema.NewID()
	sessionOwner, sessionEnded, sessionOpen := schema.NewID(), schema.NewID(), schema.NewID()
	tokenRevoked, tokenValid := schema.NewID(), schema.NewID()
	expiry := h.now.Add(7 * 24 * time.Hour)
	sessionExpiry := h.now.Add(12 * time.Hour)
	const (
		ownerHash = "$argon2id$v=19$m=65536,t=1,p=4$o$o"
		adminHash = "$argon2id$v=19$m=65536,t=1,p=4$d$d"
		carolHash = "$argon2id$v=19$m=65536,t=1,p=4$c$c"
	)
	applied := 0
	ev := func(a appended) appended { applied++; return a }

	members := func() []string {
		t.Helper()
		return rows(t, s.pool, `SELECT member_id, customer_id, email, role, password_hash, email_verified, invited_by,
			status, invitation_id, invitation_expires_at, created_at, revision
			FROM members ORDER BY created_at`)
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
		}
	}

	// Initech registers; its owner invites an admin, who accepts.
	h.claimEmail("owner@initech.example", owner)
	ev(h.customer(schema.EventCustomerRegistered, c, schema.CustomerRegistered{CompanyName: "Initech", OwnerID: owner}))
	ownerJoined := ev(h.member(schema.EventMemberJoined, c, owner, schema.MemberJoined{
		Email: "owner@initech.example", Role: schema.RoleOwner, PasswordHash: ownerHash}))
	h.claimEmail("admin@initech.example", admin)
	adminInvited := ev(h.memberBy(owner, schema.EventMemberInvited, c, admin, schema.MemberInvited{
		Email: "admin@initech.example", Role: schema.RoleAdmin, InvitationID: inviteAdmin, TokenHash: sha("invite-admin"),
		ExpiresAt: expiry, InvitedBy: owner}))
	ev(h.member(schema.EventMemberJoined, c, admin, schema.MemberJoined{
		Email: "admin@initech.example", Role: schema.RoleAdmin, PasswordHash: adminHash, InvitedBy: owner}))
	adminVerified := ev(h.member(schema.EventMemberEmailVerified, c, admin, schema.MemberEmailVerified{VerificationID: inviteAdmin}))

	// The admin invites Carol as a developer.
	h.claimEmail("Carol@Initech.Example", carol)
	carolInvited := ev(h.memberBy(admin, schema.EventMemberInvited, c, carol, schema.MemberInvited{
		Email: "Carol@Initech.Example", Role: schema.RoleDeveloper, InvitationID: inviteCarol, TokenHash: sha("invite-carol"),
		ExpiresAt: expiry.Add(time.Hour), InvitedBy: admin}))
	runUntilCaughtUp(t, s, projector.Accounts{}, projector.WithBatchSize(2))

	ownerRow := row(owner, c, "owner@initech.example", "owner", ownerHash, false, "", "active", "", nil, ownerJoined.at, ownerJoined.rev)
	adminRow := row(admin, c, "admin@initech.example", "admin", adminHash, true, owner, "active", "", nil, adminInvited.at, adminVerified.rev)
	check("members with Carol invited", members(), []string{
		ownerRow,
		adminRow,
		row(carol, c, "carol@initech.example", "developer", "", false, admin, "invited", inviteCarol, expiry.Add(time.Hour), carolInvited.at, carolInvited.rev),
	})

	// Carol accepts and works: two sessions, one ended, and two tokens, one
	// revoked. The owner works too. The admin makes Carol a viewer.
	ev(h.member(schema.EventMemberJoined, c, carol, schema.MemberJoined{
		Email: "Carol@Initech.Example", Role: schema.RoleDeveloper, PasswordHash: carolHash, InvitedBy: admin}))
	ev(h.member(schema.EventMemberEmailVerified, c, carol, schema.MemberEmailVerified{VerificationID: inviteCarol}))
	loginEnded := ev(h.member(schema.EventMemberLoggedIn, c, carol, schema.MemberLoggedIn{SessionID: sessionEnded, ExpiresAt: sessionExpiry}))
	logout := ev(h.member(schema.EventMemberLoggedOut, c, carol, schema.MemberLoggedOut{SessionID: sessionEnded}))
	loginOpen := ev(h.member(schema.EventMemberLoggedIn, c, carol, schema.MemberLoggedIn{SessionID: sessionOpen, ExpiresAt: sessionExpiry}))
	loginOwner := ev(h.member(schema.EventMemberLoggedIn, c, owner, schema.MemberLoggedIn{SessionID: sessionOwner, ExpiresAt: sessionExpiry}))
	createdRevoked := ev(h.member(schema.EventMemberTokenCreated, c, carol, schema.MemberTokenCreated{
		TokenID: tokenRevoked, Name: "old", TokenHash: sha("aegpat_old"), Prefix: "aegpat_o"}))
	revoked := ev(h.member(schema.EventMemberTokenRevoked, c, carol, schema.MemberTokenRevoked{TokenID: tokenRevoked}))
	createdValid := ev(h.member(schema.EventMemberTokenCreated, c, carol, schema.MemberTokenCreated{
		TokenID: tokenValid, Name: "cli", TokenHash: sha("aegpat_cli"), Prefix: "aegpat_c"}))
	roleChanged := ev(h.memberBy(admin, schema.EventMemberRoleChanged, c, carol, schema.MemberRoleChanged{
		Role: schema.RoleViewer, Previous: schema.RoleDeveloper}))
	runUntilCaughtUp(t, s, projector.Accounts{}, projector.WithBatchSize(3))

	check("members with Carol active", members(), []string{
		ownerRow,
		adminRow,
		row(carol, c, "carol@initech.example", "viewer", carolHash, true, admin, "active", "", nil, carolInvited.at, roleChanged.rev),
	})

	// The admin removes Carol, and her email is free again.
	removed := ev(h.memberBy(admin, schema.EventMemberRemoved, c, carol, schema.MemberRemoved{Email: "carol@initech.example"}))
	h.releaseEmail("carol@initech.example", carol)
	runUntilCaughtUp(t, s, projector.Accounts{}, projector.WithBatchSize(3))

	check("members after Carol's removal", members(), []string{ownerRow, adminRow})
	check("sessions after Carol's removal", rows(t, s.pool,
		`SELECT session_id, member_id, started_at, ended_at, revision FROM sessions ORDER BY started_at`), []string{
		row(sessionEnded, carol, loginEnded.at, logout.at, logout.rev),
		row(sessionOpen, carol, loginOpen.at, removed.at, removed.rev),
		row(sessionOwner, owner, loginOwner.at, nil, loginOwner.rev),
	})
	check("access tokens after Carol's removal", rows(t, s.pool,
		`SELECT token_id, member_id, created_at, revoked_at, revision FROM access_tokens ORDER BY created_at`), []string{
		row(tokenRevoked, carol, createdRevoked.at, revoked.at, revoked.rev),
		row(tokenValid, carol, createdValid.at, removed.at, removed.rev),
	})

	// The owner invites the same email again: a new member, no conflict.
	h.claimEmail("carol@initech.example", carolAgain)
	reinvited := ev(h.memberBy(owner, schema.EventMemberInvited, c, carolAgain, schema.MemberInvited{
		Email: "carol@initech.example", Role: schema.RoleViewer, InvitationID: inviteCarolAgain, TokenHash: sha("invite-carol-again"),
		ExpiresAt: expiry.Add(2 * time.Hour), InvitedBy: owner}))
	runUntilCaughtUp(t, s, projector.Accounts{})

	check("members with Carol invited again", members(), []string{
		ownerRow,
		adminRow,
		row(carolAgain, c, "carol@initech.example", "viewer", "", false, owner, "invited", inviteCarolAgain, expiry.Add(2*time.Hour), reinvited.at, reinvited.rev),
	})

	// A rebuild, which applies the whole story in one batch, gives the same
	// rows.
	res := rebuildEqualsLive(t, s, projector.Accounts{}, accountTables)
	if res.Applied != applied {
		t.Fatalf("Rebuild applied %d events; want %d", res.Applied, applied)
	}
}
