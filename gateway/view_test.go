package gateway

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"unsafe"

	"github.com/aegis-oss/aegis/schema"
)

// putKey applies rec to v under the hash of secret, and returns the hash.
func putKey(t *testing.T, v *view, secret string, rec schema.KeyRecord) [32]byte {
	t.Helper()
	sum := sha256.Sum256([]byte(secret))
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.apply(schema.BucketKeys, hex.EncodeToString(sum[:]), b); err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestKeysOfOneAppShareItsNames(t *testing.T) {
	v := newView(nil, nil)
	a := putKey(t, v, "a", schema.KeyRecord{KeyID: "k-a", AppID: "app-1", CustomerID: "c-1", Environment: schema.EnvProduction})
	b := putKey(t, v, "b", schema.KeyRecord{KeyID: "k-b", AppID: "app-1", CustomerID: "c-1", Environment: schema.EnvProduction})
	ea, _ := v.key(a)
	eb, _ := v.key(b)
	for _, f := range []struct{ name, a, b string }{
		{"app", ea.appID, eb.appID}, {"environment", ea.environment, eb.environment},
	} {
		if f.a != f.b || unsafe.StringData(f.a) != unsafe.StringData(f.b) {
			t.Errorf("%s: %q and %q are two copies; want one", f.name, f.a, f.b)
		}
	}
}

// A round that loads the keys again (a reconnect, a resync) keeps the
// entry of a key that has not changed, so that the node does not hold two
// copies of every key while it loads; it takes what has changed, and drops
// what is gone.
func TestLoadingKeysAgainKeepsWhatHasNotChanged(t *testing.T) {
	v := newView(nil, nil)
	same := schema.KeyRecord{Stamp: schema.Stamp{Revision: 1}, KeyID: "k-same", AppID: "app-1", TenantID: "t-1"}
	changed := schema.KeyRecord{Stamp: schema.Stamp{Revision: 2}, KeyID: "k-changed", AppID: "app-1", TenantID: "t-1"}
	gone := schema.KeyRecord{Stamp: schema.Stamp{Revision: 3}, KeyID: "k-gone", AppID: "app-1"}
	hSame := putKey(t, v, "same", same)
	hChanged := putKey(t, v, "changed", changed)
	hGone := putKey(t, v, "gone", gone)
	before, _ := v.key(hSame)

	v.beginKeys()
	putKey(t, v, "same", same)
	changed.TenantID = "t-2"
	putKey(t, v, "changed", changed)
	if e, ok := v.key(hChanged); !ok || e.tenantID != "t-1" {
		t.Fatalf("while loading, requests see %+v; want the key as it was", e)
	}
	hNew := putKey(t, v, "new", schema.KeyRecord{Stamp: schema.Stamp{Revision: 4}, KeyID: "k-new", AppID: "app-1"})
	v.endKeys(true)

	if got, _ := v.key(hSame); got != before {
		t.Errorf("unchanged key: got a new entry %p; want the one it had, %p", got, before)
	}
	if got, _ := v.key(hChanged); got.tenantID != "t-2" {
		t.Errorf("changed key: tenant %q; want t-2", got.tenantID)
	}
	if _, ok := v.key(hNew); !ok {
		t.Error("new key: not found")
	}
	if _, ok := v.key(hGone); ok {
		t.Error("key gone while the node was away: still found")
	}
}

func TestKeyTombstoneRemovesTheKey(t *testing.T) {
	v := newView(nil, nil)
	rec := schema.KeyRecord{Stamp: schema.Stamp{Revision: 1}, KeyID: "k-1", AppID: "app-1"}
	h := putKey(t, v, "secret", rec)
	if _, ok := v.key(h); !ok {
		t.Fatal("key not found after put")
	}
	rec.Deleted = true
	putKey(t, v, "secret", rec)
	if e, ok := v.key(h); ok {
		t.Errorf("key found after its tombstone: %+v", e)
	}
}
