package alationfake

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestTables_FieldsAndFilters(t *testing.T) {
	f, u, _ := adminFake(t)
	f.AddUser(2, false)
	reader := f.IssueAccessToken(2, time.Hour) // reading needs no admin
	a := f.AddCatalogTable(8, "main.dbo", "orders", "TABLE")
	b := f.AddCatalogTable(8, "main.dbo", "v_orders", "VIEW")
	c := f.AddCatalogTable(8, "other", "orders", "TABLE")
	d := f.AddCatalogTable(9, "public", "Orders", "TABLE")
	f.SetTableCustomFields(a, []any{map[string]any{"field_id": 10, "field_name": "Tags", "value": []any{"pii"}}})

	r := getJSON(t, u+tablesPath+"?id="+fmt.Sprint(a), reader)
	l := r.list(t)
	if r.status != 200 || len(l) != 1 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	item := l[0]
	tb, _ := f.CatalogTable(a)
	want := map[string]any{
		"id": float64(a), "name": "orders", "title": "", "description": "", "ds_id": float64(8),
		"key": "8.main.dbo.orders", "url": fmt.Sprintf("/table/%d/", a), "table_type": "TABLE",
		"schema_id": float64(tb.SchemaID), "schema_name": "main.dbo", "table_comment": nil,
		"base_table_key": nil, "sql": nil, "partition_definition": nil,
	}
	for k, v := range want {
		if item[k] != v {
			t.Errorf("%s = %#v, want %#v", k, item[k], v)
		}
	}
	if pc, ok := item["partition_columns"].([]any); !ok || len(pc) != 0 {
		t.Errorf("partition_columns = %#v", item["partition_columns"])
	}
	if cf, ok := item["custom_fields"].([]any); !ok || len(cf) != 1 {
		t.Errorf("custom_fields = %#v", item["custom_fields"])
	}
	if len(item) != 16 {
		t.Errorf("item has %d fields, want 16", len(item))
	}

	ids := func(query string) []int64 {
		t.Helper()
		r := getJSON(t, u+tablesPath+query, reader)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", query, r.status, r.body)
		}
		var out []int64
		for _, it := range r.list(t) {
			out = append(out, int64(number(t, it, "id")))
		}
		return out
	}
	for _, c2 := range []struct {
		query string
		want  []int64
	}{
		{"", []int64{a, b, c, d}},
		{"?ds_id=8", []int64{a, b, c}},
		{"?ds_id=8&schema_name=main.dbo", []int64{a, b}},
		{fmt.Sprintf("?schema_id=%d", tb.SchemaID), []int64{a, b}},
		{"?name=orders", []int64{a, c}},
		{"?name=ORDERS", nil},
		{"?name__iexact=ORDERS", []int64{a, c, d}},
		{"?name__icontains=ORD&ds_id=8", []int64{a, b, c}},
		{"?name__startswith=v_", []int64{b}},
		{"?schema_name__iexact=PUBLIC", []int64{d}},
		{"?ds_id=8&schema_name=main.dbo&name=orders", []int64{a}},
		{"?id=123456", nil},
		{"?ds_id=404", nil},
	} {
		got := ids(c2.query)
		if fmt.Sprint(got) != fmt.Sprint(c2.want) {
			t.Errorf("%q: ids %v, want %v", c2.query, got, c2.want)
		}
	}
	if r := getJSON(t, u+tablesPath+"?id=999", reader); string(r.body) != "[]\n" {
		t.Errorf("unknown id body = %q, want []", r.body)
	}
	for _, q := range []string{"?id=abc", "?ds_id=1.5", "?schema_id=", "?limit=x", "?limit=0", "?skip=-1", "?id=%zz"} {
		getJSON(t, u+tablesPath+q, reader).wantError(t, 400)
	}
	r = call(t, http.MethodPost, u+tablesPath, reader, "application/json", `{}`)
	r.wantError(t, 405)
}

func TestTables_Paging(t *testing.T) {
	f, u, tok := adminFake(t)
	const n = 250
	for i := range n {
		f.AddCatalogTable(8, "s", fmt.Sprintf("t%03d", i), "TABLE")
	}
	f.AddCatalogTable(9, "s", "elsewhere", "TABLE")

	next := tablesPath + "?ds_id=8"
	var seen []float64
	pages := 0
	for next != "" {
		r := getJSON(t, u+next, tok)
		if r.status != 200 {
			t.Fatalf("%s: %d", next, r.status)
		}
		for _, it := range r.list(t) {
			seen = append(seen, number(t, it, "id"))
		}
		pages++
		next = r.header.Get("X-Next-Page")
		if pages == 1 && next != "/integration/v2/table/?ds_id=8&limit=100&skip=100" {
			t.Fatalf("first X-Next-Page = %q", next)
		}
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if pages != 3 || len(seen) != n {
		t.Fatalf("pages %d, items %d", pages, len(seen))
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("not ordered by id at %d", i)
		}
	}

	// Exactly one full page: no header.
	r := getJSON(t, u+tablesPath+"?ds_id=8&limit=250", tok)
	if h := r.header.Get("X-Next-Page"); h != "" || len(r.list(t)) != n {
		t.Fatalf("X-Next-Page = %q, items %d", h, len(r.list(t)))
	}
	// Past the end: empty list.
	if l := getJSON(t, u+tablesPath+"?skip=1000", tok).list(t); len(l) != 0 {
		t.Fatalf("past the end: %d items", len(l))
	}
}

func TestTables_PageCap(t *testing.T) {
	f, u, tok := adminFake(t)
	for i := range 1005 {
		f.AddCatalogTable(1, "s", fmt.Sprint("t", i), "TABLE")
	}
	r := getJSON(t, u+tablesPath+"?limit=5000", tok)
	if len(r.list(t)) != maxPageSize {
		t.Fatalf("items %d, want %d", len(r.list(t)), maxPageSize)
	}
	if h := r.header.Get("X-Next-Page"); h != "/integration/v2/table/?limit=1000&skip=1000" {
		t.Fatalf("X-Next-Page = %q", h)
	}
}

func TestSchemas(t *testing.T) {
	f, u, tok := adminFake(t)
	s1 := f.AddSchema(8, "main.dbo", false)
	s2 := f.AddSchema(8, "staging", true)
	s3 := f.AddSchema(9, "public", false)
	r := getJSON(t, u+"/integration/v2/schema/?ds_id=8", tok)
	l := r.list(t)
	if r.status != 200 || len(l) != 2 || l[0]["id"] != float64(s1) || l[1]["id"] != float64(s2) {
		t.Fatalf("%d %s", r.status, r.body)
	}
	want := map[string]any{"name": "main.dbo", "title": "", "description": "", "ds_id": float64(8),
		"key": "8.main.dbo", "url": fmt.Sprintf("/schema/%d/", s1)}
	for k, v := range want {
		if l[0][k] != v {
			t.Errorf("%s = %#v, want %#v", k, l[0][k], v)
		}
	}
	if l := getJSON(t, u+fmt.Sprintf("/integration/v2/schema/?id=%d", s3), tok).list(t); len(l) != 1 || l[0]["name"] != "public" {
		t.Fatalf("by id: %v", l)
	}
	if l := getJSON(t, u+"/integration/v2/schema/?name=PUBLIC", tok).list(t); len(l) != 0 {
		t.Fatalf("exact name is case-sensitive: %v", l)
	}
	if l := getJSON(t, u+"/integration/v2/schema/?name__iexact=PUBLIC", tok).list(t); len(l) != 1 {
		t.Fatalf("iexact: %v", l)
	}
	r = getJSON(t, u+"/integration/v2/schema/?limit=1", tok)
	if h := r.header.Get("X-Next-Page"); h != "/integration/v2/schema/?limit=1&skip=1" {
		t.Fatalf("X-Next-Page = %q", h)
	}
	getJSON(t, u+"/integration/v2/schema/?id=x", tok).wantError(t, 400)
	getJSON(t, u+"/integration/v2/schema/", "").wantError(t, 403)
}

func TestDataSources(t *testing.T) {
	f, u, _ := adminFake(t)
	f.AddUser(2, false)
	tok := f.IssueAccessToken(2, time.Hour)
	f.AddDataSource(DataSource{ID: 8, Title: "Snowflake Prod", Description: "d", DBType: "snowflake",
		Host: "h", Port: 443, URI: "snowflake://h:443/", DBName: "ANALYTICS"})
	f.AddDataSource(DataSource{ID: 3, Title: "Postgres Ops", DBType: "postgresql", Legacy: true})
	f.AddDataSource(DataSource{ID: 12, Title: "Virtual", IsVirtual: true})
	f.AddDataSource(DataSource{ID: 4, Title: "Old MySQL", Legacy: true})

	titles := func(r result) []any {
		var out []any
		for _, it := range r.list(t) {
			out = append(out, it["id"])
		}
		return out
	}
	r := getJSON(t, u+"/integration/v2/datasource/", tok)
	if got := fmt.Sprint(titles(r)); r.status != 200 || got != "[8 12]" {
		t.Fatalf("v2 list: %d %s", r.status, r.body)
	}
	item := r.list(t)[0]
	want := map[string]any{"id": float64(8), "title": "Snowflake Prod", "description": "d", "dbtype": "snowflake",
		"host": "h", "port": float64(443), "uri": "snowflake://h:443/", "dbname": "ANALYTICS",
		"is_virtual": false, "url": "/data/8/"}
	for k, v := range want {
		if item[k] != v {
			t.Errorf("%s = %#v, want %#v", k, item[k], v)
		}
	}
	if r.list(t)[1]["is_virtual"] != true {
		t.Error("is_virtual not reported")
	}
	r = getJSON(t, u+"/integration/v2/datasource/?limit=1", tok)
	if h := r.header.Get("X-Next-Page"); h != "/integration/v2/datasource/?limit=1&skip=1" || len(r.list(t)) != 1 {
		t.Fatalf("v2 paging: %q %s", h, r.body)
	}

	r = getJSON(t, u+"/integration/v1/datasource/", tok)
	if got := fmt.Sprint(titles(r)); r.status != 200 || got != "[3 4]" || r.header.Get("X-Next-Page") != "" {
		t.Fatalf("v1 list: %d %s", r.status, r.body)
	}
	if got := fmt.Sprint(titles(getJSON(t, u+"/integration/v1/datasource/?skip=1", tok))); got != "[4]" {
		t.Fatalf("v1 skip: %s", got)
	}
	if got := fmt.Sprint(titles(getJSON(t, u+"/integration/v1/datasource/?limit=1", tok))); got != "[3]" {
		t.Fatalf("v1 limit: %s", got)
	}

	if r := getJSON(t, u+"/integration/v2/datasource/8/", tok); r.status != 200 || r.object(t)["title"] != "Snowflake Prod" {
		t.Fatalf("v2 one: %d %s", r.status, r.body)
	}
	if r := getJSON(t, u+"/integration/v1/datasource/3/", tok); r.status != 200 || r.object(t)["dbtype"] != "postgresql" {
		t.Fatalf("v1 one: %d %s", r.status, r.body)
	}
	getJSON(t, u+"/integration/v2/datasource/3/", tok).wantError(t, 404)
	getJSON(t, u+"/integration/v1/datasource/8/", tok).wantError(t, 404)
	getJSON(t, u+"/integration/v2/datasource/77/", tok).wantError(t, 404)
	getJSON(t, u+"/integration/v2/datasource/8/", "").wantError(t, 403)
	getJSON(t, u+"/integration/v1/datasource/", "").wantError(t, 403)
	for _, p := range []string{"/integration/v2/datasource/abc/", "/integration/v2/datasource/8", "/integration/v2/datasource/-1/",
		"/integration/v2/datasource/99999999999999999999/"} {
		if r := getJSON(t, u+p, tok); r.status != 404 || r.header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: %d %q", p, r.status, r.header.Get("Content-Type"))
		}
	}
	// HEAD behaves like GET without a body.
	req, _ := http.NewRequest(http.MethodHead, u+"/integration/v2/datasource/8/", nil)
	req.Header.Set("TOKEN", tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("HEAD: %d", resp.StatusCode)
	}
}

// number returns m[key] as a JSON number, failing the test otherwise.
func number(t *testing.T, m map[string]any, key string) float64 {
	t.Helper()
	n, ok := m[key].(float64)
	if !ok {
		t.Fatalf("%s is %T (%v), not a number", key, m[key], m[key])
	}
	return n
}
