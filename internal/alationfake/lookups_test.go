package alationfake

import (
	"fmt"
	"testing"
)

// Hidden sources leave the listings unless include_hidden=true asks for
// them, which paging links keep; GET by id always finds them. Flags and the
// OCF connector id are reported.
func TestDataSources_HiddenPrivateConnector(t *testing.T) {
	f, u, tok := adminFake(t)
	f.AddDataSource(DataSource{ID: 1, Title: "Visible", ConnectorID: 42})
	f.AddDataSource(DataSource{ID: 2, Title: "Hidden", Hidden: true, Private: true})
	f.AddDataSource(DataSource{ID: 3, Title: "Hidden legacy", Hidden: true, Legacy: true, ConnectorID: 7})
	f.AddDataSource(DataSource{ID: 4, Title: "Legacy"})
	f.AddDataSource(DataSource{ID: 5, Title: "Visible legacy", Legacy: true})

	ids := func(path string) string {
		t.Helper()
		r := getJSON(t, u+path, tok)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		var out []any
		for _, it := range r.list(t) {
			out = append(out, it["id"])
		}
		return fmt.Sprint(out)
	}
	for path, want := range map[string]string{
		"/integration/v2/datasource/":                      "[1 4]",
		"/integration/v2/datasource/?include_hidden=true":  "[1 2 4]",
		"/integration/v2/datasource/?include_hidden=True":  "[1 2 4]",
		"/integration/v2/datasource/?include_hidden=1":     "[1 2 4]",
		"/integration/v2/datasource/?include_hidden=false": "[1 4]",
		"/integration/v1/datasource/":                      "[5]",
		"/integration/v1/datasource/?include_hidden=true":  "[3 5]",
	} {
		if got := ids(path); got != want {
			t.Errorf("%s: ids %s, want %s", path, got, want)
		}
	}
	getJSON(t, u+"/integration/v2/datasource/?include_hidden=maybe", tok).wantError(t, 400, "include_hidden")

	r := getJSON(t, u+"/integration/v2/datasource/?include_hidden=true&limit=1", tok)
	if h := r.header.Get("X-Next-Page"); h != "/integration/v2/datasource/?include_hidden=true&limit=1&skip=1" {
		t.Fatalf("X-Next-Page = %q", h)
	}

	hidden := getJSON(t, u+"/integration/v2/datasource/2/", tok).object(t)
	if hidden["is_hidden"] != true || hidden["private"] != true {
		t.Errorf("flags of a hidden private source: %v", hidden)
	}
	if _, ok := hidden["connector_id"]; ok {
		t.Errorf("connector_id reported although zero: %v", hidden)
	}
	if v := getJSON(t, u+"/integration/v2/datasource/1/", tok).object(t); v["connector_id"] != float64(42) || v["is_hidden"] != false || v["private"] != false {
		t.Errorf("v2 source: %v", v)
	}
	legacy := getJSON(t, u+"/integration/v1/datasource/3/", tok).object(t)
	if _, ok := legacy["connector_id"]; ok || legacy["is_hidden"] != true {
		t.Errorf("v1 source: %v", legacy)
	}
}

func TestTables_Details(t *testing.T) {
	f, u, tok := adminFake(t)
	view := f.AddCatalogTable(8, "main.dbo", "v_orders", "VIEW")
	plain := f.AddCatalogTable(8, "main.dbo", "orders", "TABLE")
	str := func(s string) *string { return &s }
	f.SetTableDetails(view, TableDetails{
		TableComment: str("Open orders"), BaseTableKey: str("8.main.dbo.orders"), SQL: str("select * from orders"),
		PartitionColumns: []string{"day", "region"}, PartitionDefinition: str("PARTITION BY day"),
	})
	f.SetTableDetails(999, TableDetails{TableComment: str("ignored")})

	l := getJSON(t, u+tablesPath+"?ds_id=8", tok).list(t)
	if len(l) != 2 {
		t.Fatalf("%d items", len(l))
	}
	byID := map[float64]map[string]any{}
	for _, it := range l {
		id, _ := it["id"].(float64)
		byID[id] = it
	}
	v := byID[float64(view)]
	for k, want := range map[string]any{"table_comment": "Open orders", "base_table_key": "8.main.dbo.orders",
		"sql": "select * from orders", "partition_definition": "PARTITION BY day"} {
		if v[k] != want {
			t.Errorf("%s = %#v, want %#v", k, v[k], want)
		}
	}
	if fmt.Sprint(v["partition_columns"]) != "[day region]" {
		t.Errorf("partition_columns = %#v", v["partition_columns"])
	}
	p := byID[float64(plain)]
	if p["table_comment"] != nil || p["sql"] != nil || fmt.Sprint(p["partition_columns"]) != "[]" {
		t.Errorf("a table without details: %v", p)
	}

	tb, _ := f.CatalogTable(view)
	tb.Details.PartitionColumns[0] = "changed"
	if again, _ := f.CatalogTable(view); again.Details.PartitionColumns[0] != "day" || *again.Details.SQL != "select * from orders" {
		t.Fatalf("CatalogTable does not return a copy of the details: %+v", again.Details)
	}
}
