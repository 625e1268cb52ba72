package alationfake

import (
	"net/http"
	"testing"
)

// A schema created in the database is not in the catalog, and no sync of
// its tables works, until a metadata extraction catalogues it.
func TestExtractSchema(t *testing.T) {
	f, u, admin, _ := syncWorld(t)
	f.AddSourceSchema(8, "main.sales")
	f.AddSourceTable(8, "main.sales", "orders", "TABLE")
	f.AddSourceTable(8, "main.sales", "returns", "TABLE")
	f.AddSourceTable(8, "main.sales", "hidden", "TABLE")
	f.DenySourceTable(8, "main.sales", "hidden")
	sync := `{"datasource_id":8,"schema":"main.sales","table":"orders"}`

	postJSON(t, u+syncPath, admin, sync).wantError(t, http.StatusNotFound, "data source or schema is invalid")
	if l := getJSON(t, u+schemaListPath+"?ds_id=8&name=main.sales", admin).list(t); len(l) != 0 {
		t.Fatalf("a schema no extraction has catalogued is listed: %v", l)
	}
	if l := getJSON(t, u+tablesPath+"?ds_id=8&schema_name=main.sales", admin).list(t); len(l) != 0 {
		t.Fatalf("tables of a schema no extraction has catalogued are listed: %v", l)
	}
	inv := schemaOf(f.Inventory(), 8, "main.sales")
	if inv == nil || !inv.NotCatalogued || len(inv.Tables) != 3 {
		t.Fatalf("inventory: %+v", inv)
	}

	if _, ok := f.ExtractSchema(8, "main.nope"); ok {
		t.Fatal("extracted a schema the database does not have")
	}
	if _, ok := f.ExtractSchema(99, "main.sales"); ok {
		t.Fatal("extracted a schema of a data source Alation does not have")
	}
	id, ok := f.ExtractSchema(8, "main.sales")
	if !ok {
		t.Fatal("the extraction found no schema")
	}
	l := getJSON(t, u+schemaListPath+"?ds_id=8&name=main.sales", admin).list(t)
	if len(l) != 1 || l[0]["id"] != float64(id) {
		t.Fatalf("after the extraction, the schema listing has %v, want id %d", l, id)
	}
	// The extraction catalogued what the service account can see, in
	// name order.
	tables := getJSON(t, u+tablesPath+"?ds_id=8&schema_name=main.sales", admin).list(t)
	if len(tables) != 2 || tables[0]["name"] != "orders" || tables[1]["name"] != "returns" {
		t.Fatalf("catalogued by the extraction: %v", tables)
	}
	if r := postJSON(t, u+syncPath, admin, sync); r.status != http.StatusCreated || r.object(t)["id"] != tables[0]["id"] {
		t.Fatalf("sync after the extraction: %d %s", r.status, r.body)
	}
	if inv := schemaOf(f.Inventory(), 8, "main.sales"); inv == nil || inv.NotCatalogued {
		t.Fatalf("inventory after the extraction: %+v", inv)
	}

	// A catalogued schema is left as it is, and extracting it again is
	// harmless.
	f.AddSourceSchema(8, "main.dbo")
	postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"orders"}`)
	if _, ok := f.ExtractSchema(8, "main.dbo"); !ok {
		t.Fatal("a catalogued schema could not be extracted again")
	}
	if r := postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"orders"}`); r.status != http.StatusCreated {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

// schemaListPath is the Integration API's schema listing.
const schemaListPath = "/integration/v2/schema/"

func schemaOf(inv []InventoryDataSource, dsID int64, name string) *InventorySchema {
	for _, ds := range inv {
		for i, s := range ds.Schemas {
			if ds.ID == dsID && s.Name == name {
				return &ds.Schemas[i]
			}
		}
	}
	return nil
}
