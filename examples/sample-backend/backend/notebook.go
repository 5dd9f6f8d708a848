package backend

import (
	"crypto/rand"
	"slices"
	"sync"
	"time"
)

// note is what a tenant writes down.
type note struct {
	ID        string    `json:"id"`
	Text      string    `json:"text"`
	UserID    string    `json:"user_id,omitempty"` // who wrote it, if the gateway named a user
	CreatedAt time.Time `json:"created_at"`
}

// notebook keeps every tenant's notes in memory, apart: every method takes
// the tenant, and looks only at that tenant's notes.
type notebook struct {
	mu    sync.Mutex
	notes map[string][]note // tenant → notes, oldest first
}

func newNotebook() *notebook {
	return &notebook{notes: make(map[string][]note)}
}

func (b *notebook) add(tenant, userID, text string) note {
	n := note{ID: rand.Text(), Text: text, UserID: userID, CreatedAt: time.Now().UTC()}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.notes[tenant] = append(b.notes[tenant], n)
	return n
}

func (b *notebook) list(tenant string) []note {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.notes[tenant])
}

func (b *notebook) get(tenant, id string) (note, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	i := slices.IndexFunc(b.notes[tenant], func(n note) bool { return n.ID == id })
	if i < 0 {
		return note{}, false
	}
	return b.notes[tenant][i], true
}

func (b *notebook) delete(tenant, id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	notes := b.notes[tenant]
	i := slices.IndexFunc(notes, func(n note) bool { return n.ID == id })
	if i < 0 {
		return false
	}
	if notes = slices.Delete(notes, i, i+1); len(notes) == 0 {
		delete(b.notes, tenant)
	} else {
		b.notes[tenant] = notes
	}
	return true
}
