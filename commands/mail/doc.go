// Package mail sends Aegis's transactional emails, such as address
// verification and invitations, over SMTP. The server is named by one URL,
// SMTP_URL, which ParseURL reads into a Config; a Sender built from it
// sends each Message on its own connection, with bounded timeouts, as
// plain text or as text with an HTML alternative.
package mail
