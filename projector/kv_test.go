package projector_test

import (
	"context"
	"testing"

	"github.com/aegis-oss/aegis/projector"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

type record struct {
	schema.Stamp
	Name string `json:"name"`
}

func TestKVNeverMovesBackwards(t *testing.T) {
	nc := testkit.Connect(t, testkit.NewNATS(t))
	ctx := context.Background()
	l, err := eventlog.Open(ctx, nc)
	if err != nil {
		t.Fatal(err)
	}
	kv := projector.NewKV(l.JetStream())
	put := func(rev uint64, name string) {
		t.Helper()
		if err := kv.Put(ctx, schema.BucketApps, "app1", record{Stamp: schema.Stamp{Revision: rev}, Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(wantRev uint64, wantDeleted bool) {
		t.Helper()
		rev, deleted, err := kv.Revision(ctx, schema.BucketApps, "app1")
		if err != nil || rev != wantRev || deleted != wantDeleted {
			t.Fatalf("Revision = %d, deleted %v, %v; want %d, %v", rev, deleted, err, wantRev, wantDeleted)
		}
	}
	put(5, "five")
	put(3, "three") // an older event replayed
	check(5, false)
	put(5, "five again")
	check(5, false)
	if err := kv.Delete(ctx, schema.BucketApps, "app1", 7); err != nil {
		t.Fatal(err)
	}
	put(6, "six") // older than the delete
	check(7, true)
	put(8, "back")
	check(8, false)
}
