package gateway

import (
	"bytes"

	"github.com/valyala/fasthttp"
)

// ambiguousFraming reports whether a request says in two ways where its
// body ends, the root of request smuggling: Transfer-Encoding together
// with Content-Length, Transfer-Encoding twice, or Transfer-Encoding on
// HTTP/1.0, which has none. The gateway refuses such a request and closes
// the connection, so no second request hidden in it is ever read.
func ambiguousFraming(h *fasthttp.RequestHeader) bool {
	raw := h.RawHeaders()
	te, cl := 0, false
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		name, _, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		name = bytes.TrimSpace(name)
		switch {
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			te++
		case bytes.EqualFold(name, []byte("Content-Length")):
			cl = true
		}
	}
	return te > 1 || te == 1 && (cl || !h.IsHTTP11())
}
