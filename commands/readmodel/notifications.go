package readmodel

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/schema"
)

// Notifications returns the notification settings of the customer tx is
// bound to.
func Notifications(ctx context.Context, tx pgx.Tx) (schema.NotificationSettings, error) {
	var n schema.NotificationSettings
	err := tx.QueryRow(ctx, `SELECT notifications FROM customers`).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return n, schema.Errorf(schema.CodeNotFound, "customer not found")
	}
	if err != nil {
		return n, fmt.Errorf("notifications: %w", err)
	}
	if n.Rules == nil {
		n.Rules = []schema.NotificationRule{}
	}
	return n, nil
}

// Recipients returns the emails of a customer's active members who hold
// one of roles. The mailer calls it outside any request, as the owner.
func (s *Store) Recipients(ctx context.Context, customerID string, roles []string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT email FROM members WHERE customer_id = $1 AND status = 'active' AND role = ANY($2) ORDER BY email`,
		customerID, roles)
	if err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	emails, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	return emails, nil
}

// NotificationRule returns the rule of a customer's settings for eventType,
// and whether there is one. The mailer calls it outside any request.
func (s *Store) NotificationRule(ctx context.Context, customerID, eventType string) (schema.NotificationRule, bool, error) {
	var n schema.NotificationSettings
	err := s.pool.QueryRow(ctx, `SELECT notifications FROM customers WHERE customer_id = $1`, customerID).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return schema.NotificationRule{}, false, nil
	}
	if err != nil {
		return schema.NotificationRule{}, false, fmt.Errorf("notification rule: %w", err)
	}
	for _, r := range n.Rules {
		if r.EventType == eventType {
			return r, true, nil
		}
	}
	return schema.NotificationRule{}, false, nil
}
