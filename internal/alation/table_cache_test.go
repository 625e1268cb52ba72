package alation

import (
	"context"
	"testing"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// ReadTable answers many reads of one schema from one listing, and still
// finds a table that is not where the caller thought.
func TestReadTable_batchesBySchema(t *testing.T) {
	w := newWorld(t)
	var ids []int64
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		ids = append(ids, w.fake.AddCatalogTable(testDS, testSchema, name, "TABLE"))
	}
	elsewhere := w.fake.AddCatalogTable(testDS, "OTHER.SCHEMA", "moved", "TABLE")
	c := newClient(t, w.url, w.static())
	ctx := context.Background()
	w.fake.ResetLog()
	for i, id := range ids {
		got, err := c.ReadTable(ctx, id, testDS, testSchema)
		if err != nil || int64(got.ID) != id {
			t.Fatalf("read %d: %+v, %v", i, got, err)
		}
	}
	if n := w.fake.RequestCount("GET", pathTables); n != 2 {
		t.Errorf("%d requests for 5 reads of one schema; want 2 (the first by id, then one listing)", n)
	}
	// A table the caller places in the wrong schema is read by id.
	got, err := c.ReadTable(ctx, elsewhere, testDS, testSchema)
	if err != nil || int64(got.ID) != elsewhere {
		t.Fatalf("moved table: %+v, %v", got, err)
	}
	// A table gone from the catalog is not found, as with GetTable.
	w.fake.RemoveCatalogTable(ids[0])
	c2 := newClient(t, w.url, w.static())
	for _, id := range ids[1:3] {
		if _, err := c2.ReadTable(ctx, id, testDS, testSchema); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c2.ReadTable(ctx, ids[0], testDS, testSchema); !IsNotFound(err) {
		t.Fatalf("deleted table: %v, want not found", err)
	}
}

// A listing that fails or finds nothing falls back to reads by id.
func TestReadTable_fallsBack(t *testing.T) {
	w := newWorld(t)
	a := w.fake.AddCatalogTable(testDS, testSchema, "a", "TABLE")
	b := w.fake.AddCatalogTable(testDS, testSchema, "b", "TABLE")
	c := newClient(t, w.url, w.static(), func(cfg *Config) { cfg.MaxRetries = -1 })
	ctx := context.Background()
	if _, err := c.ReadTable(ctx, a, testDS, testSchema); err != nil {
		t.Fatal(err)
	}
	w.fake.QueueFaults(pathTables, alationfake.Fault{Status: 503}) // the listing fails
	if got, err := c.ReadTable(ctx, b, testDS, testSchema); err != nil || int64(got.ID) != b {
		t.Fatalf("after a failed listing: %+v, %v", got, err)
	}
	// A caller's schema name that matches nothing (a different spelling of
	// a multipart name, say) disables listing for it.
	for range 3 {
		if _, err := c.ReadTable(ctx, a, testDS, "main.DBO"); err != nil {
			t.Fatal(err)
		}
	}
	w.fake.ResetLog()
	for range 3 {
		if _, err := c.ReadTable(ctx, a, testDS, "main.DBO"); err != nil {
			t.Fatal(err)
		}
	}
	if n := w.fake.RequestCount("GET", pathTables); n != 3 {
		t.Errorf("%d requests; want 3 direct reads once listing proved useless", n)
	}
}
