package commands

import (
	"context"
	"slices"

	"github.com/aegis-oss/aegis/schema"
)

// SetNotifications replaces which events email whom in the customer's
// account. It returns an invalid *Error for an event type that cannot be
// notified or an unknown role.
func (s *Service) SetNotifications(ctx context.Context, customerID string, settings schema.NotificationSettings, m Meta) (Result, error) {
	if len(settings.Rules) > len(schema.NotifiableEvents) {
		return Result{}, schema.Errorf(schema.CodeInvalid, "at most one rule per event type")
	}
	seen := map[string]bool{}
	for i, r := range settings.Rules {
		if !slices.Contains(schema.NotifiableEvents, r.EventType) {
			return Result{}, schema.Errorf(schema.CodeInvalid, "event type %q cannot be notified", r.EventType)
		}
		if seen[r.EventType] {
			return Result{}, schema.Errorf(schema.CodeInvalid, "event type %q has two rules", r.EventType)
		}
		seen[r.EventType] = true
		for _, role := range r.Roles {
			if !slices.Contains(roles, role) {
				return Result{}, schema.Errorf(schema.CodeInvalid, "role %q is not owner, admin, developer or viewer", role)
			}
		}
		settings.Rules[i].Roles = slices.Compact(slices.Sorted(slices.Values(r.Roles)))
	}
	if settings.Rules == nil {
		settings.Rules = []schema.NotificationRule{}
	}
	c, err := s.loadCustomer(ctx, customerID)
	if err != nil {
		return Result{}, err
	}
	cmdID := m.commandID()
	e, err := newEvent(schema.EventCustomerNotificationsSet, customerID, schema.AggregateCustomer, customerID, m, cmdID, settings)
	if err != nil {
		return Result{}, err
	}
	return s.appendTo(ctx, c.revision, cmdID, e)
}
