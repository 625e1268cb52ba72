package alationfake

import (
	"fmt"
	"testing"
)

// A rebuilt catalog hands the same ids to other tables: the listing by id
// answers for whatever now holds the id, schemas are numbered afresh, and
// a sync catalogues what is left out under the next id.
func TestRebuildCatalog(t *testing.T) {
	f, u, admin := adminFake(t)
	f.AddDataSource(DataSource{ID: 8, Title: "SQL Server"})
	f.AddDataSource(DataSource{ID: 14, Title: "Databricks"})
	f.AddSchema(8, "main.dbo", false)
	orders := f.AddCatalogTable(8, "main.dbo", "orders", "TABLE")
	f.SetTableTitle(orders, "Orders", "")
	f.AddSourceTable(8, "main.dbo", "returns", "TABLE")

	f.RebuildCatalog(
		CatalogEntry{DSID: 14, Schema: "main.sales", Table: "v_orders", TableType: "VIEW"},
		CatalogEntry{DSID: 8, Schema: "main.dbo", Table: "orders", TableType: "TABLE"},
	)
	l := getJSON(t, fmt.Sprintf("%s%s?id=%d", u, tablesPath, orders), admin).list(t)
	if len(l) != 1 || l[0]["name"] != "v_orders" || l[0]["ds_id"] != float64(14) || l[0]["table_type"] != "VIEW" ||
		l[0]["schema_id"] != float64(firstSchemaID) || l[0]["url"] != fmt.Sprintf("/table/%d/", orders) {
		t.Fatalf("id %d after the rebuild: %v", orders, l)
	}
	moved, ok := f.CatalogTable(orders + 1)
	if !ok || moved.Name != "orders" || moved.Title != "" || moved.SchemaID != firstSchemaID+1 || moved.Key != "8.main.dbo.orders" {
		t.Fatalf("orders after the rebuild: %+v, %v", moved, ok)
	}
	if n := f.CatalogTableCount(); n != 2 {
		t.Fatalf("%d catalog entries, want 2", n)
	}
	// What the rebuild left out is still in the database: a sync
	// catalogues it under the next id.
	r := postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"returns"}`)
	if m := r.object(t); r.status != 201 || m["id"] != float64(orders+2) || m["schema_id"] != float64(firstSchemaID+1) {
		t.Fatalf("sync after the rebuild: %d %s", r.status, r.body)
	}
	// And an empty rebuild empties the catalog.
	f.RebuildCatalog()
	if n := f.CatalogTableCount(); n != 0 {
		t.Fatalf("%d catalog entries after an empty rebuild", n)
	}
}
