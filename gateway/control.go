package gateway

import (
	"context"

	"github.com/nats-io/nats.go"

	"github.com/aegis-oss/aegis/schema"
)

// listenControl follows the platform's commands to every gateway node
// until ctx is done: resync loads every KV bucket again; invalidate also
// forgets every fetched JWKS, so that keys are fetched anew, and every
// verified token, so that each is verified again.
func (g *Gateway) listenControl(ctx context.Context) error {
	sub, err := g.nc.Subscribe(schema.SubjectGatewayControl, func(m *nats.Msg) {
		switch string(m.Data) {
		case schema.ControlInvalidate:
			g.jwks.Forget()
			g.view.tokens.Forget()
			fallthrough
		case schema.ControlResync:
			select {
			case g.resync <- struct{}{}:
			default:
			}
		}
	})
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		_ = sub.Unsubscribe()
	}()
	return nil
}

// Forget drops every cached key set; the next lookup of each URL fetches
// it again.
func (c *JWKSCache) Forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for url, s := range c.sets {
		if s.inflight == nil {
			delete(c.sets, url)
		}
	}
}
