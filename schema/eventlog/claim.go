package eventlog

import (
	"context"
	"fmt"

	"github.com/aegis-oss/aegis/schema"
)

// maxClaimRounds bounds how often Claim re-reads a claim that changed under
// it before giving up with a conflict.
const maxClaimRounds = 4

// Claim makes owner the holder of value of kind. Two concurrent claims of
// one value never both win: each is appended with the claim's revision as
// the expected sequence. Claiming a value the owner already holds succeeds
// and appends nothing. It returns the claim's revision, or a conflict *Error
// if another owner holds the value.
func (l *Log) Claim(ctx context.Context, kind, value, owner string, actor schema.Actor, commandID string) (uint64, error) {
	return l.moveClaim(ctx, claimMove{
		op: "claim", eventType: schema.EventClaimAcquired, done: owner, from: "",
		taken: "is already taken",
	}, kind, value, owner, actor, commandID)
}

// Release gives value of kind back, if owner holds it. Releasing a value
// nobody holds does nothing. It returns a conflict *Error if another owner
// holds the value.
func (l *Log) Release(ctx context.Context, kind, value, owner string, actor schema.Actor, commandID string) (uint64, error) {
	return l.moveClaim(ctx, claimMove{
		op: "release", eventType: schema.EventClaimReleased, done: "", from: owner,
		taken: "is held by another owner",
	}, kind, value, owner, actor, commandID)
}

// claimMove is a claim's state change: from the holder from to the holder
// done, by appending an event of eventType.
type claimMove struct {
	op, eventType string
	done, from    string
	taken         string // what a conflict says of the value
}

func (l *Log) moveClaim(ctx context.Context, m claimMove, kind, value, owner string, actor schema.Actor, commandID string) (uint64, error) {
	id := schema.ClaimID(kind, value)
	for range maxClaimRounds {
		h, err := l.claimState(ctx, id)
		if err != nil {
			return 0, err
		}
		rev := h.Revision
		switch h.Owner {
		case m.done:
			return rev, nil
		case m.from:
		default:
			return 0, schema.Errorf(schema.CodeConflict, "%s %q %s", kind, value, m.taken)
		}
		e, err := schema.NewEvent(m.eventType, schema.PlatformCustomer, schema.AggregateClaim, id, actor,
			schema.ClaimChange{Kind: kind, Value: value, Owner: owner})
		if err != nil {
			return 0, err
		}
		e.CausationID = commandID
		res, err := l.Append(ctx, rev, subCommand(commandID, m.op, id), e)
		if schema.ErrorCode(err) == schema.CodeConflict {
			continue // someone else moved first: look again
		}
		if err != nil {
			return 0, fmt.Errorf("%s %s: %w", m.op, kind, err)
		}
		if res.Duplicate {
			// The command made this change before; make sure a later change
			// (its own compensation, say) has not undone it since.
			if h, err := l.claimState(ctx, id); err != nil {
				return 0, err
			} else if h.Owner != m.done {
				return 0, schema.Errorf(schema.CodeConflict, "%s %q changed since this command first ran; send it again with a new command id", kind, value)
			}
		}
		return res.Revision, nil
	}
	return 0, schema.Errorf(schema.CodeConflict, "%s %q is contended; try again", kind, value)
}

// ClaimHolder describes who holds a unique value.
type ClaimHolder struct {
	// Owner holds the value; "" if nobody does.
	Owner string
	// CommandID is the command that made the last change to the claim, so
	// that a retried command can recognise a claim it made itself.
	CommandID string
	// Revision is the claim's revision, 0 if it was never claimed.
	Revision uint64
}

// Holder returns who holds value of kind.
func (l *Log) Holder(ctx context.Context, kind, value string) (ClaimHolder, error) {
	return l.claimState(ctx, schema.ClaimID(kind, value))
}

// claimState reads the last event of a claim: only it matters.
func (l *Log) claimState(ctx context.Context, id string) (ClaimHolder, error) {
	last, err := l.lastOn(ctx, schema.EventSubject(schema.PlatformCustomer, schema.AggregateClaim, id))
	if err != nil || last == nil {
		return ClaimHolder{}, err
	}
	e, err := l.Decode(last.Data, last.Sequence)
	if err != nil {
		return ClaimHolder{}, err
	}
	h := ClaimHolder{CommandID: e.CausationID, Revision: last.Sequence}
	switch e.Type {
	case schema.EventClaimAcquired:
		var p schema.ClaimChange
		if err := e.Decode(&p); err != nil {
			return ClaimHolder{}, err
		}
		h.Owner = p.Owner
		return h, nil
	case schema.EventClaimReleased:
		return h, nil
	}
	return ClaimHolder{}, fmt.Errorf("claim %s: unexpected event %s", id, e.Type)
}

// subCommand derives the message id of a claim or release from the command
// that makes it, so that the command's own events, deduplicated on the
// command id, are not mistaken for it.
func subCommand(commandID, op, claimID string) string {
	if commandID == "" {
		return ""
	}
	return commandID + "/" + op + "/" + claimID
}
