package gateway

import (
	"github.com/valyala/fasthttp"

	"github.com/aegis-oss/aegis/schema"
)

// fail answers with Aegis's error body, {code, message, request_id}. The
// message is a constant, so nothing here allocates.
func fail(ctx *fasthttp.RequestCtx, code schema.Code, message string) {
	ctx.ResetBody()
	ctx.SetStatusCode(schema.HTTPStatus(code))
	ctx.SetContentType("application/json")
	b := ctx.Response.BodyWriter()
	w := func(s string) { _, _ = b.Write(s2b(s)) }
	w(`{"code":"`)
	w(string(code))
	w(`","message":"`)
	w(message)
	w(`","request_id":"`)
	_, _ = b.Write(ctx.Response.Header.Peek(headerRequestID))
	w(`"}`)
}
