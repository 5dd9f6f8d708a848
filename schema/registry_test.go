package schema_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/schema"
)

// renameField returns an upcaster that renames one top-level payload field.
func renameField(from, to string) schema.Upcaster {
	return func(payload json.RawMessage) (json.RawMessage, error) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(payload, &m); err != nil {
			return nil, err
		}
		m[to] = m[from]
		delete(m, from)
		return json.Marshal(m)
	}
}

// mustRegistry returns a registry of types or stops the test.
func mustRegistry(t *testing.T, types ...schema.EventType) *schema.Registry {
	t.Helper()
	r, err := schema.NewRegistry(types...)
	if err != nil {
		t.Fatalf("NewRegistry: %v", err)
	}
	return r
}

// noop is an upcaster that changes nothing.
func noop(p json.RawMessage) (json.RawMessage, error) { return p, nil }

func TestNewRegistryAcceptsWellFormedTypes(t *testing.T) {
	r := mustRegistry(t,
		schema.EventType{Name: "app.created", Version: 1},
		schema.EventType{Name: "app.renamed", Version: 2, Upcasters: map[int]schema.Upcaster{1: noop}},
		schema.EventType{Name: "api_key.revoked", Version: 1},
	)
	got, ok := r.Lookup("app.renamed")
	if !ok {
		t.Fatal(`Lookup("app.renamed") found nothing`)
	}
	if got.Name != "app.renamed" || got.Version != 2 {
		t.Errorf(`Lookup("app.renamed") = %s v%d, want app.renamed v2`, got.Name, got.Version)
	}
	if _, ok := r.Lookup("app.deleted"); ok {
		t.Error(`Lookup("app.deleted") found a type that was never registered`)
	}
}

func TestNewRegistryRejects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		types []schema.EventType
		want  string
	}{
		{"empty name", []schema.EventType{{Name: "", Version: 1}}, `"" is not <aggregate>.<verb>`},
		{"no dot", []schema.EventType{{Name: "appcreated", Version: 1}}, `"appcreated" is not`},
		{"no aggregate", []schema.EventType{{Name: ".created", Version: 1}}, `".created" is not`},
		{"no verb", []schema.EventType{{Name: "app.", Version: 1}}, `"app." is not`},
		{"aggregate not a token", []schema.EventType{{Name: "my app.created", Version: 1}}, `"my app.created" is not`},
		{"version 0", []schema.EventType{{Name: "app.created"}}, "app.created: version 0"},
		{"negative version", []schema.EventType{{Name: "app.created", Version: -1}}, "app.created: version -1"},
		{"duplicate", []schema.EventType{{Name: "app.created", Version: 1}, {Name: "app.created", Version: 1}},
			"app.created registered twice"},
		{"no upcasters", []schema.EventType{{Name: "app.renamed", Version: 2}}, "app.renamed: no upcaster from version 1"},
		{"missing middle upcaster",
			[]schema.EventType{{Name: "app.renamed", Version: 3, Upcasters: map[int]schema.Upcaster{1: noop}}},
			"app.renamed: no upcaster from version 2"},
		{"nil upcaster",
			[]schema.EventType{{Name: "app.renamed", Version: 2, Upcasters: map[int]schema.Upcaster{1: nil}}},
			"app.renamed: no upcaster from version 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := schema.NewRegistry(tc.types...)
			if err == nil {
				t.Fatalf("NewRegistry(%v) = %v, nil; want an error", tc.types, r)
			}
			if r != nil {
				t.Errorf("NewRegistry(%v) returned a registry with its error", tc.types)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewRegistry(%v) error = %q, want it to contain %q", tc.types, err, tc.want)
			}
		})
	}
}

func TestNewRegistryReportsEveryProblem(t *testing.T) {
	_, err := schema.NewRegistry(
		schema.EventType{Name: "app.created", Version: 1},
		schema.EventType{Name: "bad", Version: 1},
		schema.EventType{Name: "app.created", Version: 1},
		schema.EventType{Name: "app.deleted", Version: 0},
		schema.EventType{Name: "app.renamed", Version: 3, Upcasters: map[int]schema.Upcaster{2: noop}},
		schema.EventType{Name: "app.moved", Version: 1},
	)
	if err == nil {
		t.Fatal("NewRegistry with four problems succeeded, want an error")
	}
	for _, want := range []string{
		`"bad" is not <aggregate>.<verb>`,
		"app.created registered twice",
		"app.deleted: version 0",
		"app.renamed: no upcaster from version 1",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error = %q, want it to name %q", err, want)
		}
	}
	if got := err.Error(); strings.Contains(got, "app.moved") {
		t.Errorf("error = %q names app.moved, which is well formed", got)
	}
}

func TestUpcastThroughTwoUpcasters(t *testing.T) {
	r := mustRegistry(t, schema.EventType{
		Name:    "app.renamed",
		Version: 3,
		Upcasters: map[int]schema.Upcaster{
			1: renameField("name", "title"),
			2: renameField("title", "display_name"),
		},
	})
	e := schema.Event{ID: "e1", Type: "app.renamed", Version: 1, Revision: 7, Payload: json.RawMessage(`{"name":"Shop"}`)}

	got, err := r.Upcast(e)
	if err != nil {
		t.Fatalf("Upcast: %v", err)
	}
	if got.Version != 3 {
		t.Errorf("version = %d, want 3", got.Version)
	}
	if want := `{"display_name":"Shop"}`; string(got.Payload) != want {
		t.Errorf("payload = %s, want %s", got.Payload, want)
	}
	if got.ID != e.ID || got.Type != e.Type || got.Revision != e.Revision {
		t.Errorf("envelope = %s %s rev %d, want %s %s rev %d unchanged", got.ID, got.Type, got.Revision, e.ID, e.Type, e.Revision)
	}
	if want := `{"name":"Shop"}`; string(e.Payload) != want {
		t.Errorf("the original event's payload became %s, want %s", e.Payload, want)
	}

	// From the middle version only the second upcaster runs.
	mid, err := r.Upcast(schema.Event{Type: "app.renamed", Version: 2, Payload: json.RawMessage(`{"title":"Shop"}`)})
	if err != nil {
		t.Fatalf("Upcast from v2: %v", err)
	}
	if want := `{"display_name":"Shop"}`; mid.Version != 3 || string(mid.Payload) != want {
		t.Errorf("Upcast from v2 = v%d %s, want v3 %s", mid.Version, mid.Payload, want)
	}
}

func TestUpcastLeavesAsIs(t *testing.T) {
	r := mustRegistry(t,
		schema.EventType{Name: "app.created", Version: 1},
		schema.EventType{Name: "app.renamed", Version: 2, Upcasters: map[int]schema.Upcaster{
			1: func(json.RawMessage) (json.RawMessage, error) { return json.RawMessage(`"changed"`), nil },
		}},
	)
	for _, tc := range []struct {
		name string
		e    schema.Event
	}{
		{"unknown type", schema.Event{Type: "app.archived", Version: 4, Payload: json.RawMessage(`{"a":1}`)}},
		{"current version", schema.Event{Type: "app.renamed", Version: 2, Payload: json.RawMessage(`{"a":1}`)}},
		{"single-version type", schema.Event{Type: "app.created", Version: 1, Payload: json.RawMessage(`{"a":1}`)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Upcast(tc.e)
			if err != nil {
				t.Fatalf("Upcast: %v", err)
			}
			if got.Version != tc.e.Version || string(got.Payload) != string(tc.e.Payload) {
				t.Errorf("Upcast = v%d %s, want v%d %s unchanged", got.Version, got.Payload, tc.e.Version, tc.e.Payload)
			}
		})
	}
}

func TestUpcastFails(t *testing.T) {
	boom := errors.New("boom")
	r := mustRegistry(t,
		schema.EventType{Name: "app.renamed", Version: 2, Upcasters: map[int]schema.Upcaster{1: noop}},
		schema.EventType{Name: "app.moved", Version: 2, Upcasters: map[int]schema.Upcaster{
			1: func(json.RawMessage) (json.RawMessage, error) { return nil, boom },
		}},
	)
	for _, tc := range []struct {
		name string
		e    schema.Event
		want string
	}{
		{"newer than the registry", schema.Event{Type: "app.renamed", Version: 3}, "version 3 is newer than 2"},
		{"upcaster fails", schema.Event{Type: "app.moved", Version: 1}, "upcast app.moved from version 1: boom"},
		{"version 0", schema.Event{Type: "app.renamed", Version: 0}, "upcast app.renamed: version 0"},
		{"negative version", schema.Event{Type: "app.renamed", Version: -1}, "upcast app.renamed: version -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Upcast(tc.e)
			if err == nil {
				t.Fatalf("Upcast(%s v%d) = v%d, nil; want an error", tc.e.Type, tc.e.Version, got.Version)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Upcast(%s v%d) error = %q, want it to contain %q", tc.e.Type, tc.e.Version, err, tc.want)
			}
		})
	}

	_, err := r.Upcast(schema.Event{Type: "app.moved", Version: 1})
	if !errors.Is(err, boom) {
		t.Errorf("Upcast error = %v, want it to wrap the upcaster's error", err)
	}
}

func TestCatalog(t *testing.T) {
	var c *schema.Registry
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("Catalog() panicked: %v", p)
			}
		}()
		c = schema.Catalog()
	}()
	if c != schema.Catalog() {
		t.Error("Catalog() built a second registry, want the same one each call")
	}
	for _, name := range []string{schema.EventClaimAcquired, schema.EventClaimReleased} {
		et, ok := c.Lookup(name)
		if !ok {
			t.Errorf("Catalog() lacks %s", name)
			continue
		}
		if got, want := et.Aggregate(), schema.AggregateClaim; got != want {
			t.Errorf("%s: aggregate %q, want %q", name, got, want)
		}
		if et.Doc == "" {
			t.Errorf("%s has no doc", name)
		}
	}
	for _, et := range c.Types() {
		if et.Doc == "" {
			t.Errorf("catalog type %s has no doc", et.Name)
		}
	}
}

func TestTypesAreSortedByName(t *testing.T) {
	r := mustRegistry(t,
		schema.EventType{Name: "key.revoked", Version: 1},
		schema.EventType{Name: "app.renamed", Version: 1},
		schema.EventType{Name: "claim.acquired", Version: 1},
		schema.EventType{Name: "app.created", Version: 1},
	)
	var got []string
	for _, et := range r.Types() {
		got = append(got, et.Name)
	}
	want := []string{"app.created", "app.renamed", "claim.acquired", "key.revoked"}
	if !slices.Equal(got, want) {
		t.Errorf("Types() = %v, want %v", got, want)
	}

	var catalog []string
	for _, et := range schema.Catalog().Types() {
		catalog = append(catalog, et.Name)
	}
	if !slices.IsSorted(catalog) {
		t.Errorf("Catalog().Types() = %v, want sorted by name", catalog)
	}
}

func TestEventTypeAggregate(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"app.created", "app"},
		{"api_key.revoked", "api_key"},
		{"claim.acquired", "claim"},
	} {
		if got := (schema.EventType{Name: tc.name}).Aggregate(); got != tc.want {
			t.Errorf("EventType{Name: %q}.Aggregate() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func ExampleRegistry_Upcast() {
	r, err := schema.NewRegistry(schema.EventType{
		Name:      "app.renamed",
		Version:   2,
		Upcasters: map[int]schema.Upcaster{1: renameField("name", "title")},
	})
	if err != nil {
		panic(err)
	}
	e, err := r.Upcast(schema.Event{Type: "app.renamed", Version: 1, Payload: json.RawMessage(`{"name":"Shop"}`)})
	fmt.Println(e.Version, string(e.Payload), err)
	// Output: 2 {"title":"Shop"} <nil>
}
