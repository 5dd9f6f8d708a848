package api

import (
	"context"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// health answers liveness: the process serves HTTP.
func (s *Server) health(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok", "version": s.opts.Version})
}

// CheckResult is one check's outcome in the /ready answer.
type CheckResult struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// ReadyBody is the /ready answer: 200 when every check passes, 503 when
// one fails.
type ReadyBody struct {
	Status string                 `json:"status"`
	Checks map[string]CheckResult `json:"checks"`
}

// ready runs every check at once and answers 503 if any fails.
func (s *Server) ready(c *fiber.Ctx) error {
	body := ReadyBody{Status: "ready", Checks: make(map[string]CheckResult, len(s.opts.Checks))}
	parent := c.UserContext() // a Fiber context is not safe to share across goroutines
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, chk := range s.opts.Checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(parent, s.opts.ReadyTimeout)
			defer cancel()
			res := CheckResult{OK: true}
			if err := chk.Func(ctx); err != nil {
				res = CheckResult{Error: err.Error()}
			}
			mu.Lock()
			body.Checks[chk.Name] = res
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, r := range body.Checks {
		if !r.OK {
			body.Status = "unavailable"
			return c.Status(fiber.StatusServiceUnavailable).JSON(body)
		}
	}
	return c.JSON(body)
}
