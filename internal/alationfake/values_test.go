package alationfake

import (
	"fmt"
	"net/url"
	"testing"
)

// A whole-listing cap: rows past it are never listed, whatever skip asks,
// and the page that reaches it has no next link. The per-call cap stays.
func TestCatalogLimit(t *testing.T) {
	f, u, tok := adminFake(t)
	for i := range 1500 {
		f.AddCatalogTable(8, "s", fmt.Sprintf("t%04d", i), "TABLE")
	}
	page := func(q string) (int, string) {
		t.Helper()
		r := getJSON(t, u+"/integration/v2/table/?"+q, tok)
		return len(r.list(t)), r.header.Get("X-Next-Page")
	}
	if n, next := page("limit=1000"); n != 1000 || next == "" {
		t.Fatalf("per-call cap: %d rows, next %q", n, next)
	}
	if n, _ := page("limit=5000"); n != 1000 {
		t.Fatalf("a limit past the per-call cap: %d rows", n)
	}
	f.SetCatalogLimit(1000)
	if n, next := page("limit=1000"); n != 1000 || next != "" {
		t.Fatalf("whole-listing cap, first page: %d rows, next %q", n, next)
	}
	if n, next := page("limit=100&skip=900"); n != 100 || next != "" {
		t.Fatalf("whole-listing cap, page at the cap: %d rows, next %q", n, next)
	}
	if n, next := page("limit=100&skip=800"); n != 100 || next == "" {
		t.Fatalf("whole-listing cap, page before it: %d rows, next %q", n, next)
	}
	if n, _ := page("limit=1&skip=1200"); n != 0 {
		t.Fatalf("past the cap: %d rows", n)
	}
	f.SetCatalogLimit(0)
	if n, _ := page("limit=1&skip=1200"); n != 1 {
		t.Fatalf("cap off: %d rows", n)
	}
}

// partition_columns may be null; a catalog table_type may be SYNONYM, which
// a sync keeps.
func TestValues_nullPartitionsAndSynonym(t *testing.T) {
	f, u, tok := adminFake(t)
	f.AddDataSource(DataSource{ID: 8, Title: "ds"})
	plain := f.AddCatalogTable(8, "s", "plain", "TABLE")
	parted := f.AddCatalogTable(8, "s", "parted", "TABLE")
	f.SetTableDetails(parted, TableDetails{PartitionColumns: []string{"day"}})
	syn := f.AddCatalogTable(8, "s", "syn", "TABLE")
	f.SetCatalogTableType(syn, "SYNONYM")
	row := func(id int64) map[string]any {
		t.Helper()
		l := getJSON(t, u+"/integration/v2/table/?"+url.Values{"id": {fmt.Sprint(id)}}.Encode(), tok).list(t)
		if len(l) != 1 {
			t.Fatalf("id %d: %v", id, l)
		}
		return l[0]
	}
	if v, ok := row(plain)["partition_columns"]; !ok || fmt.Sprint(v) != "[]" {
		t.Errorf("default partition_columns %v", v)
	}
	f.SetNullPartitionColumns(true)
	if v, ok := row(plain)["partition_columns"]; !ok || v != nil {
		t.Errorf("null partition_columns %v (present %v)", v, ok)
	}
	if v := row(parted)["partition_columns"]; fmt.Sprint(v) != "[day]" {
		t.Errorf("partitioned table's columns %v", v)
	}
	if tt := row(syn)["table_type"]; tt != "SYNONYM" {
		t.Errorf("table_type %v", tt)
	}
	r := postJSON(t, u+"/api/v1/table/sync/", tok, `{"datasource_id": 8, "schema": "s", "table": "syn"}`)
	if r.status != 201 || r.object(t)["is_view"] != false {
		t.Fatalf("sync of a synonym: %d %s", r.status, r.body)
	}
	if tt := row(syn)["table_type"]; tt != "SYNONYM" {
		t.Errorf("table_type after a sync %v", tt)
	}
}
