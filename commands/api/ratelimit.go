package api

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/aegis-oss/aegis/schema"
)

// limiter bounds how often one key (a client address, an email) may do
// something, with a token bucket per key. Keys idle for a while are
// forgotten.
type limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(per time.Duration, burst int) *limiter {
	return &limiter{every: rate.Every(per), burst: burst, buckets: map[string]*bucket{}, swept: time.Now()}
}

// allow takes a token for key. It returns a rate_limited *Error if there
// is none.
func (l *limiter) allow(key string) error {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	if !b.lim.AllowN(now, 1) {
		return schema.Errorf(schema.CodeRateLimited, "too many attempts; wait a minute and try again")
	}
	return nil
}
