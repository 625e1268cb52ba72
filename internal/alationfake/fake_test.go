package alationfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// result is a finished HTTP exchange.
type result struct {
	status int
	header http.Header
	body   []byte
}

// object decodes the body as a JSON object.
func (r result) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object (%v): %s", err, r.body)
	}
	return m
}

// list decodes the body as a JSON list of objects.
func (r result) list(t testing.TB) []map[string]any {
	t.Helper()
	var l []map[string]any
	if err := json.Unmarshal(r.body, &l); err != nil {
		t.Fatalf("body is not a JSON list (%v): %s", err, r.body)
	}
	if l == nil {
		t.Fatalf("body is null, want a list: %s", r.body)
	}
	return l
}

// wantError checks an Alation JSON error answer and returns its detail.
func (r result) wantError(t testing.TB, status int, detailHas ...string) string {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json", ct)
	}
	m := r.object(t)
	detail, _ := m["detail"].(string)
	if want := fmt.Sprintf("%d000", status); m["code"] != want {
		t.Fatalf("code = %v, want %s", m["code"], want)
	}
	for _, s := range detailHas {
		if !strings.Contains(detail, s) {
			t.Fatalf("detail %q does not contain %q", detail, s)
		}
	}
	return detail
}

// call makes one request. ct is the Content-Type ("" for none); token the
// TOKEN header ("" for none).
func call(t testing.TB, method, url, token, ct, body string) result {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("TOKEN", token)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

func getJSON(t testing.TB, url, token string) result {
	t.Helper()
	return call(t, http.MethodGet, url, token, "", "")
}

func postJSON(t testing.TB, url, token, body string) result {
	t.Helper()
	return call(t, http.MethodPost, url, token, "application/json", body)
}

// adminFake is a started fake with an admin (user 1) token.
func adminFake(t testing.TB) (*Fake, string, string) {
	t.Helper()
	f, u := NewTestServer(t)
	f.AddUser(1, true)
	return f, u, f.IssueAccessToken(1, time.Hour)
}

func TestSeedDemo(t *testing.T) {
	f := New()
	tok := f.SeedDemo()
	if tok != DemoAccessToken {
		t.Fatalf("token = %q", tok)
	}
	if n := f.CatalogTableCount(); n != 2 {
		t.Fatalf("CatalogTableCount = %d, want 2", n)
	}
	tb, ok := f.CatalogTable(firstTableID)
	if !ok || tb.Name != "ORDER_ITEMS" || tb.SchemaName != "ANALYTICS.PUBLIC" || tb.DSID != 8 ||
		tb.Key != "8.ANALYTICS.PUBLIC.ORDER_ITEMS" || tb.URL != "/table/17000/" || tb.TableType != "TABLE" {
		t.Fatalf("CatalogTable = %+v, %v", tb, ok)
	}
	u := f.Start()
	defer f.Close()
	r := postJSON(t, u+"/api/v1/table/sync/", tok, `{"datasource_id":8,"schema":"ANALYTICS.PUBLIC","table":"CUSTOMERS","table_type":"VIEW"}`)
	if r.status != 201 || r.object(t)["is_view"] != true {
		t.Fatalf("demo sync: %d %s", r.status, r.body)
	}
	postJSON(t, u+"/api/v1/table/sync/", DemoNonAdminToken, `{"datasource_id":8,"schema":"ANALYTICS.PUBLIC","table":"ORDERS"}`).
		wantError(t, 403, "admin")
	postJSON(t, u+"/api/v1/table/sync/", tok, `{"datasource_id":3,"schema":"public","table":"events"}`)
	if f.SyncCount(3, "public", "events") != 1 {
		t.Fatal("legacy source sync not counted")
	}
}

func TestCatalogTableAccessors(t *testing.T) {
	f := New()
	id := f.AddCatalogTable(5, "main.dbo", "t", "VIEW")
	if again := f.AddCatalogTable(5, "main.dbo", "t", "VIEW"); again != id {
		t.Fatalf("AddCatalogTable twice: %d then %d", id, again)
	}
	f.SetTableTitle(id, "T", "<p>d</p>")
	f.SetTableCustomFields(id, []any{map[string]any{"field_id": 3, "field_name": "Steward", "value": "ann"}})
	tb, ok := f.CatalogTable(id)
	if !ok || tb.Title != "T" || tb.Description != "<p>d</p>" || len(tb.CustomFields) != 1 || tb.TableType != "VIEW" {
		t.Fatalf("CatalogTable = %+v", tb)
	}
	tb.CustomFields[0] = "changed"
	if again, _ := f.CatalogTable(id); again.CustomFields[0] == "changed" {
		t.Fatal("CatalogTable does not return a copy")
	}
	f.RemoveCatalogTable(id)
	if _, ok := f.CatalogTable(id); ok || f.CatalogTableCount() != 0 {
		t.Fatal("RemoveCatalogTable did not remove")
	}
	// Unknown ids are ignored.
	f.RemoveCatalogTable(999)
	f.SetTableTitle(999, "x", "y")
	f.SetTableCustomFields(999, nil)
	if s1, s2 := f.AddSchema(5, "main.dbo", false), f.AddSchema(5, "main.dbo", true); s1 != s2 {
		t.Fatalf("AddSchema ids differ: %d %d", s1, s2)
	}
}
