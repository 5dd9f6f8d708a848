// Package readmodel is the admin API's read side: queries on the
// PostgreSQL read models the projector builds. Queries for a customer run
// in a transaction bound by row-level security (the aegis_api role and the
// aegis.customer_id setting), so a query that forgets its WHERE clause
// still sees only that customer's rows. The few lookups made before anyone
// is authenticated (login by email, a session, an access token) are named
// functions of their own. Nothing here writes.
package readmodel
