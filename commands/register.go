package commands

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

// Register signs a company up: the customer, and its owner as the first
// member, whose email must be verified before they can log in.
type Register struct {
	CompanyName string
	Email       string
	Password    string
}

// Registered is the outcome of Register.
type Registered struct {
	Result
	CustomerID string `json:"customer_id"`
	MemberID   string `json:"member_id"`
}

// normalizeEmail returns the address of email, lowercased. It returns an
// invalid *Error if email is not a plain address.
func normalizeEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndexByte(email, '@'):], ".") {
		return "", schema.Errorf(schema.CodeInvalid, "email %q is not a valid address", email)
	}
	return strings.ToLower(email), nil
}

func (c Register) validate() (email string, err error) {
	name := strings.TrimSpace(c.CompanyName)
	if name == "" || utf8.RuneCountInString(name) > 120 {
		return "", schema.Errorf(schema.CodeInvalid, "company name must be 1 to 120 characters")
	}
	if email, err = normalizeEmail(c.Email); err != nil {
		return "", err
	}
	if err := auth.ValidatePassword(c.Password, email); err != nil {
		return "", err
	}
	return email, nil
}

// Register runs the Register command. The email is claimed first, so two
// sign-ups with one email never both succeed; a retry with the same
// command id finds its own claim and completes what is missing. It returns
// a conflict *Error if the email is taken.
func (s *Service) Register(ctx context.Context, c Register, m Meta) (Registered, error) {
	email, err := c.validate()
	if err != nil {
		return Registered{}, err
	}
	cmdID := m.commandID()
	customerID, memberID := schema.NewID(), schema.NewID()
	owner := "member:" + customerID + ":" + memberID
	if _, err := s.log.Claim(ctx, schema.ClaimEmail, email, owner, m.Actor, cmdID); err != nil {
		if !errors.Is(err, schema.ErrConflict) {
			return Registered{}, err
		}
		// Taken: by this very command, retried, or by someone else.
		h, herr := s.log.Holder(ctx, schema.ClaimEmail, email)
		if herr != nil {
			return Registered{}, herr
		}
		if h.CommandID != cmdID {
			return Registered{}, schema.Errorf(schema.CodeConflict, "an account with this email already exists")
		}
		if _, err := fmt.Sscanf(strings.ReplaceAll(h.Owner, ":", " "), "member %s %s", &customerID, &memberID); err != nil {
			return Registered{}, fmt.Errorf("register: claim owner %q: %w", h.Owner, err)
		}
	}
	m.Actor = schema.Actor{Kind: schema.ActorMember, ID: memberID}
	hash, err := auth.HashPassword(c.Password)
	if err != nil {
		return Registered{}, err
	}
	registered, err := newEvent(schema.EventCustomerRegistered, customerID, schema.AggregateCustomer, customerID, m, cmdID,
		schema.CustomerRegistered{CompanyName: strings.TrimSpace(c.CompanyName), OwnerID: memberID})
	if err != nil {
		return Registered{}, err
	}
	if _, err := s.appendTo(ctx, 0, cmdID+"/customer", registered); err != nil {
		return Registered{}, err
	}
	joined, err := newEvent(schema.EventMemberJoined, customerID, schema.AggregateMember, memberID, m, cmdID,
		schema.MemberJoined{Email: email, Role: schema.RoleOwner, PasswordHash: hash})
	if err != nil {
		return Registered{}, err
	}
	issued, err := s.verificationEvent(customerID, memberID, email, m, cmdID)
	if err != nil {
		return Registered{}, err
	}
	res, err := s.appendTo(ctx, 0, cmdID+"/member", joined, issued)
	if err != nil {
		return Registered{}, err
	}
	return Registered{Result: res, CustomerID: customerID, MemberID: memberID}, nil
}

// verificationEvent issues a new email verification for a member. The
// token itself is derived with the master key when the email is sent (see
// verificationToken); the event keeps only its hash.
func (s *Service) verificationEvent(customerID, memberID, email string, m Meta, cmdID string) (schema.Event, error) {
	vid := schema.NewID()
	return newEvent(schema.EventMemberVerificationIssued, customerID, schema.AggregateMember, memberID, m, cmdID,
		schema.MemberVerificationIssued{
			VerificationID: vid,
			Email:          email,
			TokenHash:      auth.HashSecret(verificationToken(s.keys.Master, customerID, memberID, vid)),
			ExpiresAt:      s.now().Add(s.opts.VerificationTTL).UTC(),
		})
}
