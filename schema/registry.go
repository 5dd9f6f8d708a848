package schema

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Upcaster turns a payload of one version into the payload of the next.
type Upcaster func(payload json.RawMessage) (json.RawMessage, error)

// EventType describes one kind of event in the catalog.
type EventType struct {
	// Name is the event type, "<aggregate>.<verb>".
	Name string
	// Version is the version new events are written with.
	Version int
	// Upcasters[v] turns version v into version v+1, for every v below Version.
	Upcasters map[int]Upcaster
	// Doc says what the event means, for the catalog in docs/architecture.md.
	Doc string
}

// Aggregate returns the aggregate part of the type's name.
func (t EventType) Aggregate() string {
	agg, _, _ := strings.Cut(t.Name, ".")
	return agg
}

// Registry is a set of event types. It is safe for concurrent reads once
// built.
type Registry struct {
	types map[string]EventType
}

// NewRegistry returns a registry of types. It returns an error naming every
// malformed or duplicate type.
func NewRegistry(types ...EventType) (*Registry, error) {
	r := &Registry{types: make(map[string]EventType, len(types))}
	var problems []string
	for _, t := range types {
		agg, verb, found := strings.Cut(t.Name, ".")
		switch {
		case !found || !ValidToken(agg) || verb == "":
			problems = append(problems, fmt.Sprintf("%q is not <aggregate>.<verb>", t.Name))
			continue
		case t.Version < 1:
			problems = append(problems, fmt.Sprintf("%s: version %d", t.Name, t.Version))
			continue
		}
		if _, dup := r.types[t.Name]; dup {
			problems = append(problems, fmt.Sprintf("%s registered twice", t.Name))
			continue
		}
		for v := 1; v < t.Version; v++ {
			if t.Upcasters[v] == nil {
				problems = append(problems, fmt.Sprintf("%s: no upcaster from version %d", t.Name, v))
			}
		}
		r.types[t.Name] = t
	}
	if problems != nil {
		return nil, fmt.Errorf("event registry: %s", strings.Join(problems, "; "))
	}
	return r, nil
}

// Lookup returns the type named name.
func (r *Registry) Lookup(name string) (EventType, bool) {
	t, ok := r.types[name]
	return t, ok
}

// Types returns every registered type, sorted by name.
func (r *Registry) Types() []EventType {
	out := make([]EventType, 0, len(r.types))
	for _, t := range r.types {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Upcast returns e with its payload brought to the current version of its
// type. An event of a type the registry does not know is returned as it is:
// a newer writer may know it, and readers skip what they do not handle. It
// returns an error if e's version is below 1 or newer than the registry, or
// if an upcaster fails.
func (r *Registry) Upcast(e Event) (Event, error) {
	t, ok := r.types[e.Type]
	if !ok || e.Version == t.Version {
		return e, nil
	}
	if e.Version > t.Version {
		return e, fmt.Errorf("upcast %s: version %d is newer than %d", e.Type, e.Version, t.Version)
	}
	if e.Version < 1 {
		return e, fmt.Errorf("upcast %s: version %d is below 1", e.Type, e.Version)
	}
	for v := e.Version; v < t.Version; v++ {
		p, err := t.Upcasters[v](e.Payload)
		if err != nil {
			return e, fmt.Errorf("upcast %s from version %d: %w", e.Type, v, err)
		}
		e.Payload = p
		e.Version = v + 1
	}
	return e, nil
}
