package alationfake

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"
	"time"
)

const syncPath = "/api/v1/table/sync/"

// syncWorld builds a fake with one of each situation the sync endpoint
// distinguishes.
func syncWorld(t *testing.T) (f *Fake, url, admin, nonAdmin string) {
	t.Helper()
	f, url, admin = adminFake(t)
	f.AddUser(2, false)
	nonAdmin = f.IssueAccessToken(2, time.Hour)
	f.AddDataSource(DataSource{ID: 8, Title: "Snowflake"})
	f.AddSchema(8, "main.dbo", false)
	f.AddSourceTable(8, "main.dbo", "orders", "TABLE")
	f.AddSourceTable(8, "main.dbo", "v_orders", "VIEW")
	f.AddSourceTable(8, "main.dbo", "secret", "TABLE")
	f.DenySourceTable(8, "main.dbo", "secret")
	f.AddSchema(8, "staging", true)
	f.AddSourceTable(8, "staging", "raw", "TABLE")
	f.AddDataSource(DataSource{ID: 9, Title: "Down", Unreachable: true, Legacy: true})
	f.AddSchema(9, "public", false)
	f.AddSourceTable(9, "public", "events", "TABLE")
	return f, url, admin, nonAdmin
}

func TestSync_Errors(t *testing.T) {
	f, u, admin, nonAdmin := syncWorld(t)
	cases := []struct {
		name, token, ct, body string
		status                int
		detail                []string
	}{
		{"missing datasource_id", admin, "application/json", `{"schema":"main.dbo","table":"orders"}`, 400, []string{"Missing required field: datasource_id"}},
		{"null datasource_id", admin, "application/json", `{"datasource_id":null,"schema":"main.dbo","table":"orders"}`, 400, []string{"Missing required field: datasource_id"}},
		{"missing schema", admin, "application/json", `{"datasource_id":8,"table":"orders"}`, 400, []string{"Missing required field: schema"}},
		{"empty table", admin, "application/json", `{"datasource_id":8,"schema":"main.dbo","table":""}`, 400, []string{"Missing required field: table"}},
		{"empty body", admin, "application/json", ``, 400, []string{"Missing required field: datasource_id"}},
		{"no content type", admin, "", `{"datasource_id":8,"schema":"main.dbo","table":"orders"}`, 400, []string{"Missing required field: datasource_id", "no Content-Type"}},
		{"not json", admin, "application/json", `datasource_id=8`, 400, []string{"JSON parse error"}},
		{"json list", admin, "application/json", `[1,2]`, 400, []string{"JSON object"}},
		{"trailing garbage", admin, "application/json", `{"datasource_id":8} x`, 400, []string{"JSON parse error"}},
		{"bad integer", admin, "application/json", `{"datasource_id":"eight","schema":"main.dbo","table":"orders"}`, 400, []string{"datasource_id", "integer"}},
		{"boolean integer", admin, "application/json", `{"datasource_id":true,"schema":"main.dbo","table":"orders"}`, 400, []string{"datasource_id"}},
		{"fractional integer", admin, "application/json", `{"datasource_id":8.5,"schema":"main.dbo","table":"orders"}`, 400, []string{"datasource_id"}},
		{"object schema", admin, "application/json", `{"datasource_id":8,"schema":{},"table":"orders"}`, 400, []string{"schema"}},
		{"bad table_type", admin, "application/json", `{"datasource_id":8,"schema":"main.dbo","table":"orders","table_type":"view"}`, 400, []string{"table_type", `"view"`}},
		{"empty table_type", admin, "application/json", `{"datasource_id":8,"schema":"main.dbo","table":"orders","table_type":""}`, 400, []string{"table_type"}},
		{"numeric table_type", admin, "application/json", `{"datasource_id":8,"schema":"main.dbo","table":"orders","table_type":3}`, 400, []string{"table_type", "3"}},
		{"unsupported media type", admin, "text/plain", `hello`, 415, []string{"text/plain"}},
		{"not admin", nonAdmin, "application/json", `{"datasource_id":8,"schema":"main.dbo","table":"orders"}`, 403, []string{"admin"}},
		{"not admin beats unknown source", nonAdmin, "application/json", `{"datasource_id":99,"schema":"x","table":"y"}`, 403, []string{"admin"}},
		{"unknown data source", admin, "application/json", `{"datasource_id":99,"schema":"main.dbo","table":"orders"}`, 404, []string{"data source or schema"}},
		{"unknown schema", admin, "application/json", `{"datasource_id":8,"schema":"MAIN.DBO","table":"orders"}`, 404, []string{"data source or schema"}},
		{"schema of another source", admin, "application/json", `{"datasource_id":9,"schema":"main.dbo","table":"orders"}`, 404, []string{"data source or schema"}},
		{"excluded schema", admin, "application/json", `{"datasource_id":8,"schema":"staging","table":"raw"}`, 400, []string{"excluded"}},
		{"unreachable", admin, "application/json", `{"datasource_id":9,"schema":"public","table":"events"}`, 500, []string{"Could not connect to the data source"}},
		{"denied", admin, "application/json", `{"datasource_id":8,"schema":"main.dbo","table":"secret"}`, 403, []string{"service account", "permission"}},
		{"not in source", admin, "application/json", `{"datasource_id":8,"schema":"main.dbo","table":"nope"}`, 404, []string{"Table not found in data source"}},
		{"names are case-sensitive", admin, "application/json", `{"datasource_id":8,"schema":"main.dbo","table":"ORDERS"}`, 404, []string{"Table not found in data source"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, http.MethodPost, u+syncPath, c.token, c.ct, c.body)
			r.wantError(t, c.status, c.detail...)
		})
	}
	if n := f.CatalogTableCount(); n != 0 {
		t.Fatalf("failed syncs catalogued %d tables", n)
	}
	if n := f.SyncCount(8, "main.dbo", "orders"); n != 0 {
		t.Fatalf("SyncCount = %d after failures", n)
	}
}

func TestSync_SuccessAndIdempotence(t *testing.T) {
	f, u, admin, _ := syncWorld(t)
	r := postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"orders","table_type":"TABLE"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if loc := r.header.Get("Location"); loc != "/api/table/" {
		t.Fatalf("Location = %q", loc)
	}
	m := r.object(t)
	want := map[string]any{
		"id": float64(17000), "url": "/table/17000/", "name": "orders", "schema_name": "main.dbo",
		"title": "", "description": "", "ds_id": float64(8), "is_view": false, "synonyms": nil, "db_comment": nil,
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	if cf, ok := m["custom_fields"].([]any); !ok || len(cf) != 0 {
		t.Errorf("custom_fields = %#v, want []", m["custom_fields"])
	}
	if _, ok := m["schema_id"].(float64); !ok {
		t.Errorf("schema_id = %#v", m["schema_id"])
	}
	if len(m) != 12 {
		t.Errorf("answer has %d fields, want 12: %s", len(m), r.body)
	}

	// Stewards edit the table; a second sync keeps the id and shows the edits.
	f.SetTableTitle(17000, "Orders", "<p>All orders</p>")
	f.SetTableCustomFields(17000, []any{map[string]any{"field_id": 8, "field_name": "Steward", "value": []any{map[string]any{"otype": "user", "oid": 1}}}})
	// table_type left out: defaults to TABLE.
	r2 := postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"orders"}`)
	m2 := r2.object(t)
	if r2.status != 201 || m2["id"] != float64(17000) || m2["title"] != "Orders" || m2["description"] != "<p>All orders</p>" {
		t.Fatalf("second sync: %d %s", r2.status, r2.body)
	}
	if cf, _ := m2["custom_fields"].([]any); len(cf) != 1 {
		t.Fatalf("custom_fields = %v", cf)
	}
	if got := f.SyncCount(8, "main.dbo", "orders"); got != 2 {
		t.Fatalf("SyncCount = %d, want 2", got)
	}
	if f.CatalogTableCount() != 1 {
		t.Fatalf("CatalogTableCount = %d", f.CatalogTableCount())
	}

	// A view.
	rv := postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"v_orders","table_type":"VIEW"}`)
	if mv := rv.object(t); rv.status != 201 || mv["is_view"] != true || mv["id"] != float64(17001) {
		t.Fatalf("view sync: %d %s", rv.status, rv.body)
	}
	if tb, _ := f.CatalogTable(17001); tb.TableType != "VIEW" {
		t.Fatalf("catalog table_type = %q", tb.TableType)
	}

	// Dropped from the database: 404, the catalog entry stays.
	f.DropSourceTable(8, "main.dbo", "orders")
	postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"orders"}`).
		wantError(t, 404, "Table not found in data source")
	if _, ok := f.CatalogTable(17000); !ok {
		t.Fatal("dropping the source table removed the catalog entry")
	}

	// Removed from the catalog, then synced again: a new id.
	f.RemoveCatalogTable(17001)
	r3 := postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"v_orders","table_type":"VIEW"}`)
	if m3 := r3.object(t); r3.status != 201 || m3["id"] != float64(17002) {
		t.Fatalf("re-sync after removal: %d %s", r3.status, r3.body)
	}
}

func TestSync_LenientDecoding(t *testing.T) {
	f, u, admin, _ := syncWorld(t)
	for _, c := range []struct{ name, ct, body string }{
		{"string id", "application/json; charset=utf-8", `{"datasource_id":"8","schema":"main.dbo","table":"orders"}`},
		{"id with .0", "application/json", `{"datasource_id":8.0,"schema":"main.dbo","table":"orders","extra":true}`},
		{"form", "application/x-www-form-urlencoded", `datasource_id=8&schema=main.dbo&table=orders&table_type=TABLE`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, http.MethodPost, u+syncPath, admin, c.ct, c.body)
			if r.status != 201 || r.object(t)["id"] != float64(17000) {
				t.Fatalf("%d %s", r.status, r.body)
			}
		})
	}
	t.Run("multipart", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("datasource_id", "8")
		_ = mw.WriteField("schema", "main.dbo")
		_ = mw.WriteField("table", "v_orders")
		_ = mw.WriteField("table_type", "VIEW")
		_ = mw.Close()
		r := call(t, http.MethodPost, u+syncPath, admin, mw.FormDataContentType(), buf.String())
		if r.status != 201 || r.object(t)["is_view"] != true {
			t.Fatalf("%d %s", r.status, r.body)
		}
	})
	if got := f.SyncCount(8, "main.dbo", "orders"); got != 3 {
		t.Fatalf("SyncCount = %d, want 3", got)
	}
}

func TestSync_TableTypeFollowsTheDatabase(t *testing.T) {
	_, u, admin, _ := syncWorld(t)
	// The database knows best: a real table synced as VIEW is not a view.
	r := postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"orders","table_type":"VIEW"}`)
	if r.status != 201 || r.object(t)["is_view"] != false {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

func TestSync_WrongMethod(t *testing.T) {
	_, u, admin, _ := syncWorld(t)
	r := getJSON(t, u+syncPath, admin)
	r.wantError(t, 405, "GET")
	if a := r.header.Get("Allow"); a != "POST" {
		t.Fatalf("Allow = %q", a)
	}
	// Authentication comes first, as in Django REST framework.
	getJSON(t, u+syncPath, "").wantError(t, 403, "not provided")
}

// SetSyncAnswer shapes what a successful sync says; the sync happens all
// the same.
func TestSync_AnswerShapes(t *testing.T) {
	for _, c := range []struct {
		shape SyncAnswer
		want  string // the whole body
	}{
		{SyncAnswerIDOnly, `{"id":17000}`},
		{SyncAnswerIDAndURL, `{"id":17000,"url":"/table/17000/"}`},
	} {
		f, u, admin, _ := syncWorld(t)
		f.SetSyncAnswer(c.shape)
		r := postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"orders"}`)
		if got := string(bytes.TrimSpace(r.body)); r.status != 201 || got != c.want {
			t.Errorf("shape %d: %d %s, want %s", c.shape, r.status, got, c.want)
		}
		if f.SyncCount(8, "main.dbo", "orders") != 1 || f.CatalogTableCount() != 1 {
			t.Errorf("shape %d: the sync did not happen", c.shape)
		}
	}
	for _, c := range []struct {
		shape SyncAnswer
		id    any // what "id" holds; nil when absent
	}{
		{SyncAnswerNoID, nil},
		{SyncAnswerStringID, "17000"},
		{SyncAnswerZeroID, float64(0)},
		{SyncAnswerFull, float64(17000)},
	} {
		f, u, admin, _ := syncWorld(t)
		f.SetSyncAnswer(c.shape)
		m := postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"orders"}`).object(t)
		id, has := m["id"]
		if id != c.id || has != (c.id != nil) || m["url"] != "/table/17000/" || m["name"] != "orders" {
			t.Errorf("shape %d: %v", c.shape, m)
		}
	}
}
