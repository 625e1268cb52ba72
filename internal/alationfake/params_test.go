package alationfake

import "testing"

// Unknown query parameters get 400 with code 400006, naming them, on every
// listing and read by id; off, they are ignored.
func TestStrictParams(t *testing.T) {
	f, u, tok := adminFake(t)
	f.AddDataSource(DataSource{ID: 8, Title: "ds"})
	f.AddCatalogTable(8, "s", "t", "TABLE")
	for p, unknown := range map[string]string{
		"/integration/v2/table/?ids=1&name=t&zz=1": "ids, zz", "/integration/v2/schema/?schema_name=s": "schema_name",
		"/integration/v2/datasource/?ids=1": "ids", "/integration/v1/datasource/?ids=1": "ids", "/integration/v2/datasource/8/?ids=1": "ids",
	} {
		r := getJSON(t, u+p, tok)
		if r.status != 400 || r.code(t) != "400006" || r.object(t)["detail"] != "Invalid query parameters: ["+unknown+"]" {
			t.Errorf("%s: %d %s", p, r.status, r.body)
		}
	}
	for _, p := range []string{
		"/integration/v2/table/?id=1&ds_id=8&schema_id=1&schema_name=s&name__iexact=T&limit=1&skip=0",
		"/integration/v2/schema/?id=1&ds_id=8&name=s", "/integration/v2/datasource/?include_hidden=true&limit=1",
	} {
		if r := getJSON(t, u+p, tok); r.status != 200 {
			t.Errorf("%s: %d %s", p, r.status, r.body)
		}
	}
	f.SetStrictParams(false)
	if r := getJSON(t, u+"/integration/v2/table/?ids=1", tok); r.status != 200 || len(r.list(t)) != 1 {
		t.Errorf("lenient: %d %s", r.status, r.body)
	}
}
