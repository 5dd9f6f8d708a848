package gateway

import (
	"net"
	"testing"
	"time"
)

// countingConn counts the deadlines set on it.
type countingConn struct {
	net.Conn
	reads, writes int
	read          time.Time
}

func (c *countingConn) SetReadDeadline(t time.Time) error  { c.reads++; c.read = t; return nil }
func (c *countingConn) SetWriteDeadline(t time.Time) error { c.writes++; return nil }

func TestCoarseConnMovesDeadlinesOnlyWhenItMust(t *testing.T) {
	inner := &countingConn{}
	c := &coarseConn{Conn: inner}
	// A busy connection asks for now+30s at every request: one move.
	for range 1000 {
		if err := c.SetReadDeadline(time.Now().Add(30 * time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if inner.reads != 1 {
		t.Errorf("1,000 deadlines 30 s ahead moved the deadline %d times, want 1", inner.reads)
	}
	if late := time.Until(inner.read) - 30*time.Second; late <= 0 || late > maxDeadlineSlack {
		t.Errorf("the deadline is %v later than asked, want within (0, %v]", late, maxDeadlineSlack)
	}
	// An earlier deadline than the one in force is set at once.
	_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if inner.reads != 2 || time.Until(inner.read) > 50*time.Millisecond+50*time.Millisecond/16 {
		t.Errorf("a 50 ms deadline: %d moves, %v ahead; want 2 moves, at most 53 ms ahead", inner.reads, time.Until(inner.read))
	}
	// Clearing it clears it, once.
	_ = c.SetReadDeadline(time.Time{})
	_ = c.SetReadDeadline(time.Time{})
	if inner.reads != 3 || !inner.read.IsZero() {
		t.Errorf("clearing: %d moves, deadline %v; want 3 and none", inner.reads, inner.read)
	}
	_ = c.SetDeadline(time.Now().Add(time.Minute))
	_ = c.SetDeadline(time.Now().Add(time.Minute))
	if inner.reads != 4 || inner.writes != 1 {
		t.Errorf("SetDeadline twice: %d read and %d write moves, want 4 and 1", inner.reads, inner.writes)
	}
}
