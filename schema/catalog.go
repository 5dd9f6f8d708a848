package schema

import "sync"

// catalogTypes lists every event type Aegis writes. Each aggregate adds its
// own in a catalog_<aggregate>.go file.
var catalogTypes [][]EventType

var catalog = sync.OnceValue(func() *Registry {
	var all []EventType
	for _, ts := range catalogTypes {
		all = append(all, ts...)
	}
	r, err := NewRegistry(all...)
	if err != nil {
		panic(err) // a programming error, caught by every test
	}
	return r
})

// Catalog returns the registry of every event type Aegis writes.
func Catalog() *Registry { return catalog() }
