package gateway

import (
	"net"
	"time"
)

// maxDeadlineSlack bounds how much later than asked a coarseConn's
// deadline may fall.
const maxDeadlineSlack = time.Second

// coarseConn is a connection whose deadlines move only when they must: a
// deadline asked for is kept as it is set when the one in force is no
// earlier and later by at most its slack, a sixteenth of the timeout that
// set it (at most maxDeadlineSlack). Each move is a timer update in the
// runtime (about 0.2 µs), and a keep-alive connection is asked to move its
// deadlines five times a request (idle, read and write for the client;
// write and read for the upstream), each time by microseconds; so a busy
// connection moves them about once a second instead, and keeping one
// costs no clock reading. A timeout then fires up to a sixteenth later
// than its nominal value.
//
// A connection is used by one goroutine at a time (fasthttp's server and
// client both hand it over with synchronisation), which is all the
// deadlines' bookkeeping needs.
type coarseConn struct {
	net.Conn
	read, write deadline
}

// deadline is a deadline in force: when, zero for none, and how much later
// than asked it may be.
type deadline struct {
	at    time.Time
	slack time.Duration
}

func (c *coarseConn) SetReadDeadline(t time.Time) error {
	if !c.read.move(t) {
		return nil
	}
	if err := c.Conn.SetReadDeadline(c.read.at); err != nil {
		c.read = deadline{}
		return err
	}
	return nil
}

func (c *coarseConn) SetWriteDeadline(t time.Time) error {
	if !c.write.move(t) {
		return nil
	}
	if err := c.Conn.SetWriteDeadline(c.write.at); err != nil {
		c.write = deadline{}
		return err
	}
	return nil
}

func (c *coarseConn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

// move makes d the deadline to set when asked for t, and reports whether
// it changed.
func (d *deadline) move(t time.Time) bool {
	if t.IsZero() {
		changed := !d.at.IsZero()
		*d = deadline{}
		return changed
	}
	if !d.at.IsZero() && !d.at.Before(t) && d.at.Sub(t) <= d.slack {
		return false
	}
	slack := min(max(time.Until(t)/16, 0), maxDeadlineSlack)
	*d = deadline{at: t.Add(slack), slack: slack}
	return true
}

// coarseListener hands out its connections as coarseConns.
type coarseListener struct{ net.Listener }

func (l coarseListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &coarseConn{Conn: c}, nil
}
