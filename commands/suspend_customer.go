package commands

import (
	"context"
	"strings"

	"github.com/aegis-oss/aegis/schema"
)

// customer is the state of one customer, rebuilt from its events.
type customer struct {
	exists, suspended bool
	revision          uint64
}

// loadCustomer returns a customer's state. It returns a not-found *Error
// if there is no such customer.
func (s *Service) loadCustomer(ctx context.Context, customerID string) (*customer, error) {
	if _, err := schema.ParseID(customerID); err != nil {
		return nil, schema.Errorf(schema.CodeNotFound, "customer not found")
	}
	events, _, err := s.log.Load(ctx, customerID, schema.AggregateCustomer, customerID)
	if err != nil {
		return nil, err
	}
	c := &customer{}
	for _, e := range events {
		c.revision = e.Revision
		switch e.Type {
		case schema.EventCustomerRegistered:
			c.exists = true
		case schema.EventCustomerSuspended:
			c.suspended = true
		case schema.EventCustomerReactivated:
			c.suspended = false
		}
	}
	if !c.exists {
		return nil, schema.Errorf(schema.CodeNotFound, "customer not found")
	}
	return c, nil
}

// SuspendCustomer stops a customer's access: its members' sessions and
// tokens stop working. A platform operator's command; suspending a
// suspended customer changes nothing. It returns a not-found *Error for an
// unknown customer.
func (s *Service) SuspendCustomer(ctx context.Context, customerID, reason string, m Meta) (Result, error) {
	return s.setSuspended(ctx, customerID, true, strings.TrimSpace(reason), m)
}

// ReactivateCustomer lifts a customer's suspension.
func (s *Service) ReactivateCustomer(ctx context.Context, customerID string, m Meta) (Result, error) {
	return s.setSuspended(ctx, customerID, false, "", m)
}

func (s *Service) setSuspended(ctx context.Context, customerID string, suspend bool, reason string, m Meta) (Result, error) {
	if len(reason) > 500 {
		return Result{}, schema.Errorf(schema.CodeInvalid, "reason must be at most 500 characters")
	}
	c, err := s.loadCustomer(ctx, customerID)
	if err != nil {
		return Result{}, err
	}
	if c.suspended == suspend {
		return Result{Revision: c.revision}, nil
	}
	cmdID := m.commandID()
	var e schema.Event
	if suspend {
		e, err = newEvent(schema.EventCustomerSuspended, customerID, schema.AggregateCustomer, customerID, m, cmdID, schema.CustomerSuspended{Reason: reason})
	} else {
		e, err = newEvent(schema.EventCustomerReactivated, customerID, schema.AggregateCustomer, customerID, m, cmdID, schema.CustomerReactivated{})
	}
	if err != nil {
		return Result{}, err
	}
	return s.appendTo(ctx, c.revision, cmdID, e)
}
