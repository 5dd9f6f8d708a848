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
// earlier and at most a sixteenth of the timeout (and at most
// maxDeadlineSlack) later. Each move is a timer update in the runtime
// (about 0.2 µs), and a keep-alive connection is asked to move its
// deadlines five times a request (idle, read and write for the client;
// write and read for the upstream), each time by microseconds; so a busy
// connection moves them about once a second instead. A timeout then fires
// up to a sixteenth later than its nominal value.
//
// A connection is used by one goroutine at a time (fasthttp's server and
// client both hand it over with synchronisation), which is all the
// deadlines' bookkeeping needs.
type coarseConn struct {
	net.Conn
	read, write time.Time // the deadlines in force; zero for none
}

func (c *coarseConn) SetReadDeadline(t time.Time) error {
	d, move := coarse(c.read, t)
	if !move {
		return nil
	}
	if err := c.Conn.SetReadDeadline(d); err != nil {
		return err
	}
	c.read = d
	return nil
}

func (c *coarseConn) SetWriteDeadline(t time.Time) error {
	d, move := coarse(c.write, t)
	if !move {
		return nil
	}
	if err := c.Conn.SetWriteDeadline(d); err != nil {
		return err
	}
	c.write = d
	return nil
}

func (c *coarseConn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

// coarse returns the deadline to set when asked for t while cur is in
// force, and whether it differs from cur.
func coarse(cur, t time.Time) (time.Time, bool) {
	if t.IsZero() {
		return t, !cur.IsZero()
	}
	slack := min(time.Until(t)/16, maxDeadlineSlack)
	if slack < 0 {
		slack = 0
	}
	if !cur.IsZero() && !cur.Before(t) && cur.Sub(t) <= slack {
		return cur, false
	}
	return t.Add(slack), true
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
