package api

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// serveWeb serves the dashboard's built files from dir: a file that
// exists as itself, and index.html for any other path without an
// extension, so that the dashboard's own routes (/apps/…) load it. The
// API's paths are left to the API. Hashed assets (/assets/…) are cached
// for good; everything else is revalidated, so a new build shows at once.
func serveWeb(dir string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return c.Next()
		}
		p := path.Clean("/" + c.Path()) // rooted: ".." cannot climb out of dir
		if p == "/api" || strings.HasPrefix(p, "/api/") {
			return c.Next()
		}
		file := filepath.Join(dir, filepath.FromSlash(p))
		if st, err := os.Stat(file); err == nil && !st.IsDir() {
			if strings.HasPrefix(p, "/assets/") {
				c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
			} else {
				c.Set(fiber.HeaderCacheControl, "no-cache")
			}
			setPageHeaders(c)
			return c.SendFile(file)
		}
		if path.Ext(p) != "" {
			return c.Next() // a missing file is a 404, not the dashboard
		}
		if !hasIndex(dir) {
			return c.Next()
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		setPageHeaders(c)
		return c.SendFile(filepath.Join(dir, "index.html"))
	}
}

// hasIndex reports whether dir holds a built dashboard.
func hasIndex(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "index.html"))
	return err == nil
}

// setPageHeaders sets the headers that keep the dashboard's pages from
// being framed, sniffed or fed scripts from elsewhere.
func setPageHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer") // some pages carry tokens in their address
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "+
		"connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
}
