package readmodel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/schema"
)

// Customer is a customer as the platform's operators see it.
type Customer struct {
	CustomerID      string    `json:"customer_id"`
	CompanyName     string    `json:"company_name"`
	Status          string    `json:"status"`
	SuspendedReason string    `json:"suspended_reason,omitempty"`
	OwnerEmail      string    `json:"owner_email"`
	Members         int       `json:"members"`
	Apps            int       `json:"apps"`
	CreatedAt       time.Time `json:"created_at"`
}

const customerQuery = `
	SELECT c.customer_id, c.company_name, c.status, c.suspended_reason,
	       coalesce((SELECT email FROM members m WHERE m.member_id = c.owner_id), ''),
	       (SELECT count(*) FROM members m WHERE m.customer_id = c.customer_id),
	       (SELECT count(*) FROM apps a WHERE a.customer_id = c.customer_id),
	       c.created_at
	FROM customers c`

func scanCustomer(r pgx.Row) (Customer, error) {
	var c Customer
	err := r.Scan(&c.CustomerID, &c.CompanyName, &c.Status, &c.SuspendedReason, &c.OwnerEmail, &c.Members, &c.Apps, &c.CreatedAt)
	return c, err
}

// Customers returns every customer, newest first: a platform operator's
// view, across customers, for the CLI run on the platform itself.
func (s *Store) Customers(ctx context.Context) ([]Customer, error) {
	rows, err := s.pool.Query(ctx, customerQuery+` ORDER BY c.created_at DESC, c.customer_id DESC`)
	if err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Customer, error) { return scanCustomer(r) })
	if err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	return out, nil
}

// CustomerByID returns one customer, as Customers does. It returns a
// not-found *Error if there is none.
func (s *Store) CustomerByID(ctx context.Context, id string) (Customer, error) {
	c, err := scanCustomer(s.pool.QueryRow(ctx, customerQuery+` WHERE c.customer_id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, schema.Errorf(schema.CodeNotFound, "no customer %s", id)
	}
	if err != nil {
		return c, fmt.Errorf("customer: %w", err)
	}
	return c, nil
}
