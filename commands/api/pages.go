package api

import (
	"embed"

	"github.com/gofiber/fiber/v2"
)

// The pages the links in Aegis's emails open: each asks for a click (or a
// password) and then calls the API with the token from its address. A
// click is needed so that a mail scanner fetching the link uses nothing up.
// When the dashboard is built, its own pages answer these paths instead.
//
//go:embed pages/*.html
var pages embed.FS

func (s *Server) servePage(name string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s.opts.WebDir != "" && hasIndex(s.opts.WebDir) {
			return c.Next() // to serveWeb
		}
		b, err := pages.ReadFile("pages/" + name)
		if err != nil {
			return err
		}
		c.Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
		c.Set("Referrer-Policy", "no-referrer")
		c.Type("html", "utf-8")
		return c.Send(b)
	}
}
