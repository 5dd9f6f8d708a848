package gateway

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/aegis-oss/aegis/schema/egress"
)

// MaxJWKSRedirects is how many redirects a JWKS fetch follows.
const MaxJWKSRedirects = 3

// NewJWKSClient returns the HTTP client the gateway fetches JWKS with. It
// connects only where g allows: g.Control checks each address as it is
// dialled, after name resolution, so a name that resolves to an internal
// address is refused too. It uses no proxy (HTTP_PROXY and the like are
// ignored: through a proxy, the address dialled would be the proxy's),
// gives up after JWKSTimeout, and follows at most MaxJWKSRedirects
// redirects, each to a URL that g.CheckURL accepts and none from https to
// http. A refused fetch fails with an error wrapping egress.ErrRefused,
// which the JWKSCache reports as it does any failed fetch.
func NewJWKSClient(g *egress.Guard) *http.Client {
	dialer := &net.Dialer{Timeout: JWKSTimeout, KeepAlive: 30 * time.Second, Control: g.Control}
	transport := &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           16,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    JWKSTimeout,
		ResponseHeaderTimeout:  JWKSTimeout,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   JWKSTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxJWKSRedirects {
				return fmt.Errorf("stopped after %d redirects", MaxJWKSRedirects)
			}
			if via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme != "https" {
				return errors.New("refused a redirect from https to http")
			}
			if err := g.CheckURL(req.URL.String()); err != nil {
				return fmt.Errorf("refused a redirect: %w", err)
			}
			return nil
		},
	}
}
