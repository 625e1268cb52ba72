package alation_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// lookupWorld is an emulator with one Server Admin, who sees hidden and
// private sources, and a client for it that neither retries nor waits.
// Other roles: datasources_hidden_test.go.
func lookupWorld(t *testing.T) (*alationfake.Fake, *alation.Client) {
	t.Helper()
	return lookupWorldAs(t, alationfake.RoleServerAdmin)
}

// lookupWorldAs is lookupWorld with a user of that role.
func lookupWorldAs(t *testing.T, role alationfake.Role) (*alationfake.Fake, *alation.Client) {
	t.Helper()
	fake, url := alationfake.NewTestServer(t)
	fake.AddUserWithRole(1, role)
	c, err := alation.New(alation.Config{
		BaseURL:      url,
		Credentials:  alation.Credentials{AccessToken: fake.IssueAccessToken(1, time.Hour)},
		MaxRetries:   -1,
		RetryWaitMin: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

func TestGetDataSource_BothAPIs(t *testing.T) {
	fake, c := lookupWorld(t)
	ctx := t.Context()
	fake.AddDataSource(alationfake.DataSource{ID: 8, Title: "Snowflake Prod", Description: "<p>Warehouse</p>", DBType: "snowflake",
		Host: "acme.snowflakecomputing.com", Port: 443, URI: "snowflake://acme:443/", DBName: "ANALYTICS", ConnectorID: 42, Private: true})
	fake.AddDataSource(alationfake.DataSource{ID: 3, Title: "Postgres Ops", DBType: "postgresql", Port: 5432, Legacy: true, Hidden: true})

	ds, err := c.GetDataSource(ctx, 8)
	if err != nil {
		t.Fatal(err)
	}
	if ds.APIVersion != alation.APIv2 || ds.Title != "Snowflake Prod" || ds.Description.Value != "<p>Warehouse</p>" ||
		ds.DBType.Value != "snowflake" || ds.Host.Value != "acme.snowflakecomputing.com" || ds.Port != (alation.NullInt{Value: 443, Valid: true}) ||
		ds.URI.Value != "snowflake://acme:443/" || ds.DBName.Value != "ANALYTICS" || ds.URL != "/data/8/" ||
		ds.ConnectorID != (alation.NullInt{Value: 42, Valid: true}) || !ds.Private.Value || ds.IsHidden != (alation.NullBool{Valid: true}) ||
		ds.IsVirtual != (alation.NullBool{Valid: true}) || !ds.DeploymentSetupComplete.Value || ds.Deleted.Valid {
		t.Fatalf("v2 source = %+v", ds)
	}
	if fake.RequestCount("GET", "/integration/v1/datasource/8/") != 0 {
		t.Error("a source found under v2 was looked for under v1 too")
	}

	ds, err = c.GetDataSource(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if ds.APIVersion != alation.APIv1 || ds.Title != "Postgres Ops" || ds.ConnectorID.Valid || !ds.IsHidden.Value || ds.String() != `"Postgres Ops" (id 3, v1)` {
		t.Fatalf("v1 source = %+v", ds)
	}
	if fake.RequestCount("GET", "/integration/v2/datasource/3/") != 1 || fake.RequestCount("GET", "/integration/v1/datasource/3/") != 1 {
		t.Errorf("requests: %+v", fake.Requests())
	}

	_, err = c.GetDataSource(ctx, 77)
	var nf *alation.NotFoundError
	if !errors.As(err, &nf) || nf.What != "id 77" || !alation.IsNotFound(err) {
		t.Fatalf("unknown id: %v", err)
	}
	fake.ResetLog()
	if _, err := c.GetDataSource(ctx, 0); !alation.IsNotFound(err) || len(fake.Requests()) != 0 {
		t.Fatalf("id 0: %v, %d requests", err, len(fake.Requests()))
	}
}

// Errors other than 404 end the look-up: a 404 under v2 is the only reason
// to ask v1.
func TestGetDataSource_Errors(t *testing.T) {
	fake, c := lookupWorld(t)
	ctx := t.Context()
	// (A permission refusal: a refused token would stop the client's later
	// calls too.)
	const denied = "You do not have permission to perform this action."
	fake.QueueFaults("/integration/v2/datasource/5/", alationfake.Fault{Status: 403, Body: `{"detail":"` + denied + `","code":"403000"}`})
	_, err := c.GetDataSource(ctx, 5)
	var apiErr *alation.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 403 || apiErr.Detail != denied {
		t.Fatalf("403: %v", err)
	}
	if fake.RequestCount("", "/integration/v1/datasource/5/") != 0 {
		t.Error("a 403 under v2 fell through to v1")
	}

	fake.QueueFaults("/integration/v2/datasource/6/", alationfake.Fault{Status: 200, Body: `{"id": 7, "title": "Other"}`})
	var respErr *alation.ResponseError
	if _, err := c.GetDataSource(ctx, 6); !errors.As(err, &respErr) || !strings.Contains(err.Error(), "got id 7") {
		t.Fatalf("wrong id in the answer: %v", err)
	}

	fake.QueueFaults("/integration/v2/datasource/6/", alationfake.Fault{Status: 200, Body: `<html>login</html>`})
	if _, err := c.GetDataSource(ctx, 6); !errors.As(err, &respErr) {
		t.Fatalf("HTML answer: %v", err)
	}
}

// Listing follows X-Next-Page over several pages, keeps include_hidden on
// every page, and tags each source with its API.
func TestListAllDataSources_PagingAndHidden(t *testing.T) {
	fake, c := lookupWorld(t)
	const n = 250
	for i := range n {
		fake.AddDataSource(alationfake.DataSource{ID: int64(1000 + i), Title: fmt.Sprintf("OCF %d", i)})
	}
	fake.AddDataSource(alationfake.DataSource{ID: 2, Title: "Hidden OCF", Hidden: true})
	fake.AddDataSource(alationfake.DataSource{ID: 3, Title: "Legacy", Legacy: true})
	fake.AddDataSource(alationfake.DataSource{ID: 4, Title: "Hidden legacy", Legacy: true, Hidden: true})

	all, err := c.ListAllDataSources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n+3 {
		t.Fatalf("%d sources, want %d", len(all), n+3)
	}
	versions := map[int64]string{}
	for _, ds := range all {
		versions[int64(ds.ID)] = ds.APIVersion
	}
	if versions[2] != "v2" || versions[1249] != "v2" || versions[3] != "v1" || versions[4] != "v1" {
		t.Fatalf("versions: %v", versions)
	}
	if got := fake.RequestCount("GET", "/integration/v2/datasource/"); got != 3 {
		t.Errorf("v2 pages requested = %d, want 3", got)
	}
	for _, r := range fake.Requests() {
		if !strings.Contains(r.RawQuery, "include_hidden=true") {
			t.Errorf("%s?%s without include_hidden=true", r.Path, r.RawQuery)
		}
	}

	v1, err := c.ListDataSources(t.Context(), alation.APIv1)
	if err != nil || len(v1) != 2 {
		t.Fatalf("v1 only: %d, %v", len(v1), err)
	}
	if _, err := c.ListDataSources(t.Context(), "v3"); err == nil {
		t.Fatal("unknown API version accepted")
	}
}

// An Alation without one of the two APIs still lists the other; without
// both, or with any other error, the listing fails.
func TestListAllDataSources_MissingAPI(t *testing.T) {
	fake, c := lookupWorld(t)
	ctx := t.Context()
	fake.AddDataSource(alationfake.DataSource{ID: 8, Title: "OCF"})
	fake.AddDataSource(alationfake.DataSource{ID: 3, Title: "Legacy", Legacy: true})
	notFound := alationfake.Fault{Status: 404, Body: "<html><h1>Not Found</h1></html>"}

	fake.QueueFaults("/integration/v1/datasource/", notFound)
	all, err := c.ListAllDataSources(ctx)
	if err != nil || len(all) != 1 || all[0].Title != "OCF" {
		t.Fatalf("without v1: %v %v", all, err)
	}
	fake.QueueFaults("/integration/v2/datasource/", notFound)
	all, err = c.ListAllDataSources(ctx)
	if err != nil || len(all) != 1 || all[0].Title != "Legacy" {
		t.Fatalf("without v2: %v %v", all, err)
	}
	fake.QueueFaults("/integration/v2/datasource/", notFound)
	fake.QueueFaults("/integration/v1/datasource/", notFound)
	if _, err := c.ListAllDataSources(ctx); alation.StatusCode(err) != 404 || !strings.Contains(err.Error(), "/integration/v2/datasource/") {
		t.Fatalf("without both: %v", err)
	}
	fake.QueueFaults("/integration/v1/datasource/", alationfake.Fault{Status: 500})
	if _, err := c.ListAllDataSources(ctx); alation.StatusCode(err) != 500 {
		t.Fatalf("v1 failing: %v", err)
	}
	fake.QueueFaults("/integration/v2/datasource/", alationfake.Fault{Status: 401, Body: `{"detail":"Expired.","code":"401000"}`})
	if _, err := c.FindDataSourceByTitle(ctx, "OCF"); alation.StatusCode(err) != 401 {
		t.Fatalf("v2 failing: %v", err)
	}
}

func TestFindDataSourceByTitle(t *testing.T) {
	fake, c := lookupWorld(t)
	ctx := t.Context()
	fake.AddDataSource(alationfake.DataSource{ID: 8, Title: "Snowflake Prod", DBType: "snowflake"})
	fake.AddDataSource(alationfake.DataSource{ID: 3, Title: "Postgres Ops", Legacy: true})
	fake.AddDataSource(alationfake.DataSource{ID: 20, Title: "Warehouse"})
	fake.AddDataSource(alationfake.DataSource{ID: 21, Title: "Warehouse", Legacy: true})
	fake.AddDataSource(alationfake.DataSource{ID: 30, Title: "Hidden", Hidden: true})

	for title, want := range map[string]string{"Snowflake Prod": "v2 8", "Postgres Ops": "v1 3", "Hidden": "v2 30"} {
		ds, err := c.FindDataSourceByTitle(ctx, title)
		if err != nil {
			t.Fatalf("%s: %v", title, err)
		}
		if got := fmt.Sprintf("%s %d", ds.APIVersion, int64(ds.ID)); got != want {
			t.Errorf("%s: %s, want %s", title, got, want)
		}
	}

	for _, title := range []string{"snowflake prod", "Snowflake Prod ", "Snowflake"} {
		_, err := c.FindDataSourceByTitle(ctx, title)
		var nf *alation.DataSourceNotFoundError
		if !errors.As(err, &nf) || !alation.IsNotFound(err) || nf.Title != title || len(nf.Listed) != 5 {
			t.Fatalf("%q: %v", title, err)
		}
	}

	_, err := c.FindDataSourceByTitle(ctx, "Warehouse")
	var amb *alation.AmbiguousDataSourceError
	if !errors.As(err, &amb) || !alation.IsAmbiguous(err) || alation.IsNotFound(err) || len(amb.Matches) != 2 {
		t.Fatalf("ambiguous: %v", err)
	}
	if want := `2 data sources are titled "Warehouse": "Warehouse" (id 20, v2), "Warehouse" (id 21, v1)`; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

// Native sources report fields loosely: numbers as strings, nulls, flags
// that only some versions send. A source flagged deleted gives way to a
// live one of the same title, and is still found when it is the only one.
func TestFindDataSourceByTitle_LooseV1Fields(t *testing.T) {
	fake, c := lookupWorld(t)
	ctx := t.Context()
	v1 := `[
	  {"id": "5", "title": "Ops", "dbtype": "mysql", "host": "db", "port": "3306", "uri": null, "description": null, "is_virtual": "false", "deleted": true, "url": "/data/5/"},
	  {"id": 6, "title": "Ops", "dbtype": "mysql", "port": 3306.0, "deleted": false, "private": null},
	  {"id": 7, "title": "Gone", "deleted": true, "port": "", "is_virtual": 1}
	]`
	serve := func() { fake.QueueFaults("/integration/v1/datasource/", alationfake.Fault{Status: 200, Body: v1}) }

	serve()
	ds, err := c.FindDataSourceByTitle(ctx, "Ops")
	if err != nil || int64(ds.ID) != 6 || ds.Port != (alation.NullInt{Value: 3306, Valid: true}) || ds.Private.Valid || ds.Host.Valid {
		t.Fatalf("live source wins: %+v %v", ds, err)
	}
	serve()
	ds, err = c.FindDataSourceByTitle(ctx, "Gone")
	if err != nil || int64(ds.ID) != 7 || !ds.Deleted.Value || ds.Port.Valid || ds.IsVirtual != (alation.NullBool{Value: true, Valid: true}) {
		t.Fatalf("only a deleted source: %+v %v", ds, err)
	}
	serve()
	_, err = c.FindDataSourceByTitle(ctx, "nothing")
	var nf *alation.DataSourceNotFoundError
	if !errors.As(err, &nf) || len(nf.Listed) != 3 {
		t.Fatalf("not found: %v", err)
	}
	first := nf.Listed[0]
	if int64(first.ID) != 5 || first.Port.Value != 3306 || first.URI.Valid || first.Description.Valid || first.IsVirtual != (alation.NullBool{Valid: true}) || first.APIVersion != "v1" {
		t.Fatalf("loose fields: %+v", first)
	}
}

func TestNullIntNullBool(t *testing.T) {
	for in, want := range map[string]alation.NullInt{
		`12`: {12, true}, `"12"`: {12, true}, `12.7`: {12, true}, `null`: {}, `""`: {}, `"x"`: {}, `true`: {}, `[1]`: {},
	} {
		var got alation.NullInt
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("NullInt(%s) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for in, want := range map[string]alation.NullBool{
		`true`: {true, true}, `false`: {false, true}, `"true"`: {true, true}, `"False"`: {false, true}, `1`: {true, true},
		`null`: {}, `"maybe"`: {}, `{}`: {},
	} {
		var got alation.NullBool
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("NullBool(%s) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	// Absent fields stay invalid.
	var ds alation.DataSource
	if err := json.Unmarshal([]byte(`{"id": 1, "title": "t"}`), &ds); err != nil || ds.Port.Valid || ds.IsVirtual.Valid || ds.DBType.Valid {
		t.Fatalf("absent fields: %+v %v", ds, err)
	}
}

func TestFindTableHints(t *testing.T) {
	fake, c := lookupWorld(t)
	ctx := t.Context()
	orders := fake.AddCatalogTable(8, "main.dbo", "Orders", "TABLE")
	ORDERS := fake.AddCatalogTable(8, "main.dbo", "ORDERS", "TABLE")
	fake.AddCatalogTable(8, "main.dbo", "customers", "TABLE")
	fake.AddCatalogTable(8, "other.dbo", "orders", "TABLE")
	fake.AddSchema(8, "empty.dbo", false)

	h, err := c.FindTableHints(ctx, 8, "main.dbo", "orders")
	if err != nil {
		t.Fatal(err)
	}
	if !h.SchemaFound || len(h.CaseVariants) != 2 || int64(h.CaseVariants[0].ID) != orders || int64(h.CaseVariants[1].ID) != ORDERS || h.Truncated {
		t.Fatalf("case variants: %+v", h)
	}
	h, err = c.FindTableHints(ctx, 8, "empty.dbo", "orders")
	if err != nil || !h.SchemaFound || len(h.CaseVariants) != 0 {
		t.Fatalf("empty schema: %+v %v", h, err)
	}
	h, err = c.FindTableHints(ctx, 8, "MAIN.dbo", "Orders")
	if err != nil || h.SchemaFound || len(h.Schemas) != 3 || h.Schemas[0].Name != "main.dbo" {
		t.Fatalf("unknown schema: %+v %v", h, err)
	}
	h, err = c.FindTableHints(ctx, 99, "main.dbo", "Orders")
	if err != nil || h.SchemaFound || len(h.Schemas) != 0 {
		t.Fatalf("unknown data source: %+v %v", h, err)
	}

	for i := range 1001 {
		fake.AddSchema(9, fmt.Sprintf("s%04d", i), false)
	}
	fake.ResetLog()
	h, err = c.FindTableHints(ctx, 9, "nope", "t")
	if err != nil || h.SchemaFound || len(h.Schemas) != 1000 || !h.Truncated {
		t.Fatalf("many schemas: %d schemas, truncated %v, %v", len(h.Schemas), h.Truncated, err)
	}
	if got := fake.RequestCount("GET", "/integration/v2/schema/"); got != 2 {
		t.Errorf("schema requests = %d, want 2 (no paging)", got)
	}

	fake.QueueFaults("/integration/v2/schema/", alationfake.Fault{Status: http.StatusForbidden})
	if _, err := c.FindTableHints(ctx, 8, "main.dbo", "x"); alation.StatusCode(err) != 403 {
		t.Fatalf("error: %v", err)
	}
}
