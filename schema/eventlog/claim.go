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
	id := schema.ClaimID(kind, value)
	for range maxClaimRounds {
		holder, rev, err := l.claimState(ctx, id)
		if err != nil {
			return 0, err
		}
		switch holder {
		case owner:
			return rev, nil
		case "":
		default:
			return 0, schema.Errorf(schema.CodeConflict, "%s %q is already taken", kind, value)
		}
		e, err := schema.NewEvent(schema.EventClaimAcquired, schema.PlatformCustomer, schema.AggregateClaim, id, actor,
			schema.ClaimAcquired{Kind: kind, Value: value, Owner: owner})
		if err != nil {
			return 0, err
		}
		res, err := l.Append(ctx, rev, subCommand(commandID, "claim", id), e)
		if schema.ErrorCode(err) == schema.CodeConflict {
			continue // someone else moved first: look again
		}
		if err != nil {
			return 0, fmt.Errorf("claim %s: %w", kind, err)
		}
		return res.Revision, nil
	}
	return 0, schema.Errorf(schema.CodeConflict, "%s %q is contended; try again", kind, value)
}

// Release gives value of kind back, if owner holds it. Releasing a value
// nobody holds does nothing. It returns a conflict *Error if another owner
// holds the value.
func (l *Log) Release(ctx context.Context, kind, value, owner string, actor schema.Actor, commandID string) (uint64, error) {
	id := schema.ClaimID(kind, value)
	for range maxClaimRounds {
		holder, rev, err := l.claimState(ctx, id)
		if err != nil {
			return 0, err
		}
		switch holder {
		case "":
			return rev, nil
		case owner:
		default:
			return 0, schema.Errorf(schema.CodeConflict, "%s %q is held by another owner", kind, value)
		}
		e, err := schema.NewEvent(schema.EventClaimReleased, schema.PlatformCustomer, schema.AggregateClaim, id, actor,
			schema.ClaimReleased{Kind: kind, Value: value, Owner: owner})
		if err != nil {
			return 0, err
		}
		res, err := l.Append(ctx, rev, subCommand(commandID, "release", id), e)
		if schema.ErrorCode(err) == schema.CodeConflict {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("release %s: %w", kind, err)
		}
		return res.Revision, nil
	}
	return 0, schema.Errorf(schema.CodeConflict, "%s %q is contended; try again", kind, value)
}

// Holder returns who holds value of kind ("" if nobody) and the claim's
// revision.
func (l *Log) Holder(ctx context.Context, kind, value string) (string, uint64, error) {
	return l.claimState(ctx, schema.ClaimID(kind, value))
}

// claimState reads the last event of a claim: only it matters.
func (l *Log) claimState(ctx context.Context, id string) (holder string, rev uint64, err error) {
	last, err := l.lastOn(ctx, schema.EventSubject(schema.PlatformCustomer, schema.AggregateClaim, id))
	if err != nil || last == nil {
		return "", 0, err
	}
	e, err := l.Decode(last.Data, last.Sequence)
	if err != nil {
		return "", 0, err
	}
	switch e.Type {
	case schema.EventClaimAcquired:
		var p schema.ClaimAcquired
		if err := e.Decode(&p); err != nil {
			return "", 0, err
		}
		return p.Owner, last.Sequence, nil
	case schema.EventClaimReleased:
		return "", last.Sequence, nil
	}
	return "", 0, fmt.Errorf("claim %s: unexpected event %s", id, e.Type)
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
