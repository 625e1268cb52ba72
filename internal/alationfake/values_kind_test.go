package alationfake

import (
	"testing"
)

// A kind set on an entry is what the listing reports, unchanged.
func TestSetCatalogTableType(t *testing.T) {
	f, u, tok := adminFake(t)
	id := f.AddCatalogTable(8, "main.dbo", "orders_syn", "TABLE")
	if !f.SetCatalogTableType(id, "SYNONYM") {
		t.Fatal("the entry was not found")
	}
	if f.SetCatalogTableType(id+1000, "SYNONYM") {
		t.Fatal("an unknown id was found")
	}
	l := getJSON(t, u+tablesPath+"?ds_id=8", tok).list(t)
	if len(l) != 1 || l[0]["table_type"] != "SYNONYM" {
		t.Fatalf("listed %v, want the entry as a SYNONYM", l)
	}
}
