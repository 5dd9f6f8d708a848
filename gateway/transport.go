package gateway

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httputil"
	"time"

	"github.com/valyala/fasthttp"
)

// streamAbove is the size above which an upstream's answer is streamed to
// the client as it arrives instead of read whole first. Answers of unknown
// length (chunked, or ended by closing the connection) are always
// streamed.
const streamAbove = 64 << 10

// Where a request to an upstream failed, which decides whether it may be
// sent again.
var (
	// errNotSent: no connection, so the upstream saw nothing.
	errNotSent = errors.New("no connection to the upstream")
	// errNoAnswer: the request was written, but not one byte of an
	// answer came back (typically a keep-alive connection the upstream
	// had just closed).
	errNoAnswer = errors.New("the upstream closed the connection before answering")
	// errAnswerTooLarge: the answer is larger than the gateway passes on.
	errAnswerTooLarge = errors.New("the upstream's answer is too large")
)

// roundTripError is a failed round trip and where it failed: errNotSent or
// errNoAnswer, or nil when the upstream had started to answer.
type roundTripError struct {
	stage error
	err   error
}

func (e *roundTripError) Error() string {
	if e.stage == nil {
		return e.err.Error()
	}
	return e.stage.Error() + ": " + e.err.Error()
}

func (e *roundTripError) Unwrap() []error {
	if e.stage == nil {
		return []error{e.err}
	}
	return []error{e.stage, e.err}
}

// transport is the upstream clients' fasthttp.RoundTripper. Unlike
// fasthttp's own, it tells where a failed round trip stopped (so that the
// gateway retries only what is safe to send again), and it streams large
// answers and answers of unknown length to the client instead of reading
// them whole first; a small answer of known length is read into the
// response's pooled buffer, which allocates nothing.
//
// It leaves retries to the caller: every error it returns says "do not
// retry" to fasthttp.
type transport struct{}

func (transport) RoundTrip(hc *fasthttp.HostClient, req *fasthttp.Request, resp *fasthttp.Response) (bool, error) {
	cc, err := hc.AcquireConn(0, req.ConnectionClose())
	if err != nil {
		return false, &roundTripError{stage: errNotSent, err: err}
	}
	conn := cc.Conn()

	// One clock reading sets both deadlines when there is no body to
	// send, which could take a while.
	now := time.Now()
	// Asked before Write, which closes a stream; and of a stream first, as
	// Body would read it whole.
	hasBody := req.IsBodyStream() || len(req.Body()) > 0
	if hc.WriteTimeout > 0 {
		err = conn.SetWriteDeadline(now.Add(hc.WriteTimeout))
	}
	if err == nil {
		bw := hc.AcquireWriter(conn)
		if err = req.Write(bw); err == nil {
			err = bw.Flush()
		}
		hc.ReleaseWriter(bw)
	}
	if err != nil {
		hc.CloseConn(cc)
		return false, &roundTripError{stage: errNoAnswer, err: timeoutOr(err)}
	}

	if hc.ReadTimeout > 0 {
		if hasBody {
			now = time.Now()
		}
		if err = conn.SetReadDeadline(now.Add(hc.ReadTimeout)); err != nil {
			hc.CloseConn(cc)
			return false, &roundTripError{stage: errNoAnswer, err: err}
		}
	}
	br := hc.AcquireReader(conn)
	fail := func(stage, err error) (bool, error) {
		hc.ReleaseReader(br)
		hc.CloseConn(cc)
		return false, &roundTripError{stage: stage, err: timeoutOr(err)}
	}
	if _, err = br.Peek(1); err != nil {
		return fail(errNoAnswer, err)
	}
	if hc.DisableHeaderNamesNormalizing {
		resp.Header.DisableNormalizing()
	}
	if err = resp.Header.Read(br); err == nil && resp.StatusCode() == fasthttp.StatusContinue {
		err = resp.Header.Read(br)
	}
	if err != nil {
		return fail(nil, err)
	}

	closeConn := req.ConnectionClose() || resp.ConnectionClose()
	size := resp.Header.ContentLength()
	switch {
	case req.Header.IsHead() || noBody(resp.StatusCode()):
		// No body, whatever Content-Length says: keep it for the client.
		resp.SkipBody = true
	case size >= 0 && size <= streamAbove:
		if err = resp.ReadBody(br, 0); err != nil {
			return fail(nil, err)
		}
	default:
		body := &upstreamBody{br: br, size: int64(size), upstream: conn, readTimeout: hc.ReadTimeout}
		switch size {
		case -1:
			body.r = httputil.NewChunkedReader(br)
		case -2: // until the upstream closes the connection
			body.r = br
			closeConn = true
		default:
			body.r = io.LimitReader(br, int64(size))
		}
		if size < 0 {
			size = -1 // chunked to the client
		}
		body.release = func(reuse bool) {
			hc.ReleaseReader(br)
			if reuse && !closeConn {
				hc.ReleaseConn(cc)
			} else {
				hc.CloseConn(cc)
			}
		}
		resp.SetBodyStream(body, size)
		return false, nil
	}
	hc.ReleaseReader(br)
	if closeConn {
		hc.CloseConn(cc)
	} else {
		hc.ReleaseConn(cc)
	}
	return false, nil
}

// noBody reports whether a response with this status has no body (RFC
// 9110 6.4.1).
func noBody(status int) bool {
	return status < 200 || status == fasthttp.StatusNoContent || status == fasthttp.StatusNotModified
}

// timeoutOr returns fasthttp.ErrTimeout for a timeout, err otherwise.
func timeoutOr(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fasthttp.ErrTimeout
	}
	return err
}

// upstreamBody is an upstream's answer streamed to the client. The server
// closes it once written (or on failure), which returns the upstream
// connection to its pool if the body was read to its end, and closes it
// otherwise.
type upstreamBody struct {
	r  io.Reader
	br *bufio.Reader
	// The read deadline on the upstream and the write deadline on the
	// client are renewed at each read: the timeouts bound a stall, not
	// the whole transfer.
	upstream    net.Conn
	readTimeout time.Duration
	client      net.Conn
	size        int64 // Content-Length; -1 chunked, -2 until the connection closes
	read        int64
	limit       int64 // at most this many bytes are passed on; 0 means no limit
	done        bool  // read to its end, trailers included
	cut         bool  // passed the limit: nothing more is passed on
	release     func(reuse bool)
}

func (b *upstreamBody) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	if b.cut {
		return 0, errAnswerTooLarge
	}
	if b.limit > 0 && int64(len(p)) > b.limit-b.read+1 {
		p = p[:b.limit-b.read+1] // one byte past the limit tells it was passed
	}
	now := time.Now()
	if b.readTimeout > 0 {
		_ = b.upstream.SetReadDeadline(now.Add(b.readTimeout))
	}
	if b.client != nil {
		_ = b.client.SetWriteDeadline(now.Add(clientWriteTimeout))
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	if b.limit > 0 && b.read > b.limit {
		b.cut = true
		return n - 1, errAnswerTooLarge
	}
	if err == io.EOF {
		switch {
		case b.size == -1:
			err = skipTrailers(b.br)
		case b.size >= 0 && b.read < b.size:
			err = io.ErrUnexpectedEOF
		}
		if err == nil || err == io.EOF {
			b.done, err = true, io.EOF
		}
	}
	return n, timeoutOr(err)
}

// CloseWithError implements fasthttp.ReadCloserWithError: the server calls
// it when the body is written, or could not be.
func (b *upstreamBody) CloseWithError(err error) error {
	if b.release != nil {
		b.release(err == nil && b.done)
		b.release = nil
	}
	return nil
}

// skipTrailers reads the trailer section after a chunked body's last
// chunk, up to and including its empty line. Trailers are not passed on.
func skipTrailers(br *bufio.Reader) error {
	for range 64 {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return nil
		}
	}
	return fmt.Errorf("more than 64 trailer lines")
}
