package provider

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// List blocks and `terraform query` arrived in Terraform 1.14: older CLIs
// (and OpenTofu, which reports its own 1.12) do not know .tfquery.hcl
// files, so these tests skip there.
var queryCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// listBlock renders a query configuration: the provider, then one list
// block "found" with the given arguments (limit, include_resource) and
// config lines.
func (c *testCatalog) listBlock(args []string, config ...string) string {
	return c.providerBlock() + fmt.Sprintf(`
list "alation_table_sync" "found" {
  provider = alation
  %s
  config {
    %s
  }
}
`, strings.Join(args, "\n  "), strings.Join(config, "\n    "))
}

// listOf is the config of a list of testSchema in testDS.
func listOf(extra ...string) []string {
	return append([]string{fmt.Sprintf("datasource_id = %d", testDS), fmt.Sprintf("schema = %q", testSchema)}, extra...)
}

// identity is the identity check of a table in testDS's testSchema.
func identity(table string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"datasource_id": knownvalue.Int64Exact(testDS),
		"schema":        knownvalue.StringExact(testSchema),
		"table":         knownvalue.StringExact(table),
	}
}

// catalogue puts tables into testSchema's catalog.
func (c *testCatalog) catalogue(names ...string) {
	for _, n := range names {
		c.fake.AddCatalogTable(testDS, testSchema, n, "TABLE")
	}
}

// catalogueNumbered puts n tables, t0000 and on, into testSchema's catalog.
func (c *testCatalog) catalogueNumbered(n int) {
	for i := range n {
		c.catalogue(fmt.Sprintf("t%04d", i))
	}
}

// runQueries runs each step as a `terraform query` of its Config.
func runQueries(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	for i := range steps {
		steps[i].Query = true
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		TerraformVersionChecks:   queryCLIs,
		Steps:                    steps,
	})
}

// tableRequests are the logged reads of the table listing.
func (c *testCatalog) tableRequests() []alationfake.Request {
	var out []alationfake.Request
	for _, r := range c.fake.Requests() {
		if r.Path == "/integration/v2/table/" {
			out = append(out, r)
		}
	}
	return out
}

const found = "alation_table_sync.found"

// Every catalogued table of the schema, and none of another schema or data
// source, each with its identity and DATASOURCE_ID/SCHEMA/TABLE as its
// display name.
func TestAccTableSyncList_identitiesAndDisplayNames(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogue("foobar", "Orders")
	c.fake.AddCatalogTable(testDS, testSchema, "foobar_v", "VIEW")
	c.fake.AddCatalogTable(testDS, "main.other", "elsewhere", "TABLE")
	c.fake.AddCatalogTable(9, testSchema, "other_source", "TABLE")
	runQueries(t, resource.TestStep{
		Config: c.listBlock(nil, listOf()...),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(found, 3),
			querycheck.ExpectIdentity(found, identity("foobar")),
			querycheck.ExpectIdentity(found, identity("Orders")),
			querycheck.ExpectIdentity(found, identity("foobar_v")),
			querycheck.ExpectResourceDisplayName(found, queryfilter.ByResourceIdentity(identity("foobar_v")),
				knownvalue.StringExact("8/main.dbo/foobar_v")),
		},
	})
}

// name_prefix keeps the tables whose name starts with it, case included.
func TestAccTableSyncList_namePrefix(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogue("foobar", "foobar_v", "Foobar_upper", "bazqux", "Orders")
	runQueries(t, resource.TestStep{
		Config: c.listBlock(nil, listOf(`name_prefix = "foo"`)...),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(found, 2),
			querycheck.ExpectIdentity(found, identity("foobar")),
			querycheck.ExpectIdentity(found, identity("foobar_v")),
			querycheck.ExpectNoIdentity(found, identity("Foobar_upper")),
		},
	})
}

// A schema of more than 1,000 tables, Alation's most in one call, is read
// over two pages, and every table is listed.
func TestAccTableSyncList_pages(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogueNumbered(1200)
	runQueries(t, resource.TestStep{
		Config: c.listBlock([]string{"limit = 5000"}, listOf()...),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(found, 1200),
			querycheck.ExpectIdentity(found, identity("t0000")),
			querycheck.ExpectIdentity(found, identity("t1199")),
		},
	})
	if reqs := c.tableRequests(); len(reqs) != 2 {
		t.Fatalf("%d reads of the table listing, want 2 pages", len(reqs))
	}
}

// The list block's limit stops the reading: ten tables of 3,000 cost one
// request for eleven rows, the one past the limit telling that it left
// tables out (a warning says so).
func TestAccTableSyncList_limit(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogueNumbered(3000)
	runQueries(t, resource.TestStep{
		Config:            c.listBlock([]string{"limit = 10"}, listOf()...),
		QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength(found, 10)},
	})
	reqs := c.tableRequests()
	if len(reqs) != 1 {
		t.Fatalf("%d reads of the table listing, want 1", len(reqs))
	}
	if q, _ := url.ParseQuery(reqs[0].RawQuery); q.Get("limit") != "11" {
		t.Fatalf("the listing was read with %q, want limit=11", reqs[0].RawQuery)
	}
}

// include_resource gives each table's alation_table_sync as an import
// reads it: the catalog's view, and null where only a sync knows.
func TestAccTableSyncList_includeResource(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogue("foobar")
	id := c.fake.AddCatalogTable(testDS, testSchema, "foobar_v", "VIEW")
	table, _ := c.fake.CatalogTable(id)
	value := func(attr string, v knownvalue.Check) querycheck.KnownValueCheck {
		return querycheck.KnownValueCheck{Path: tfjsonpath.New(attr), KnownValue: v}
	}
	runQueries(t, resource.TestStep{
		Config: c.listBlock([]string{"include_resource = true"}, listOf()...),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(found, 2),
			querycheck.ExpectResourceKnownValues(found, queryfilter.ByResourceIdentity(identity("foobar_v")), []querycheck.KnownValueCheck{
				value("datasource_id", knownvalue.Int64Exact(testDS)),
				value("schema", knownvalue.StringExact(testSchema)),
				value("table", knownvalue.StringExact("foobar_v")),
				value("table_type", knownvalue.StringExact("VIEW")),
				value("id", knownvalue.Int64Exact(id)),
				value("url", knownvalue.StringExact(fmt.Sprintf("%s/table/%d/", c.url, id))),
				value("schema_id", knownvalue.Int64Exact(table.SchemaID)),
				value("is_view", knownvalue.Bool(true)),
				value("last_synced_at", knownvalue.Null()),
				value("triggers", knownvalue.Null()),
			}),
		},
	})
}

// Failures are diagnostics that name the schema and data source and quote
// Alation: a refused listing, and a schema or data source the catalog does
// not have (which Alation's listing answers with nothing).
func TestAccTableSyncList_errors(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogue("foobar")
	runQueries(t,
		resource.TestStep{
			PreConfig: func() {
				c.fake.QueueFaults("/integration/v2/table/", alationfake.Fault{Status: 403,
					Body: `{"detail": "You do not have permission to perform this action.", "code": "403000"}`})
			},
			Config: c.listBlock(nil, listOf()...),
			ExpectError: errorMatching("Unable to List Tables", `schema "main.dbo" of data source 8`, "HTTP 403",
				"You do not have permission to perform this action.", "api_access_token"),
		},
		resource.TestStep{
			Config:      c.listBlock(nil, `datasource_id = 99`, fmt.Sprintf("schema = %q", testSchema)),
			ExpectError: errorMatching("Schema Not Found", `schema "main.dbo" of data source 99`, "no catalogued schema at all", "check datasource_id"),
		},
		resource.TestStep{
			Config:      c.listBlock(nil, fmt.Sprintf("datasource_id = %d", testDS), `schema = "main.DBO"`),
			ExpectError: errorMatching("Schema Not Found", `schema "main.DBO" of data source 8`, `its schemas include "main.dbo"`),
		},
	)
}

// A configuration that cannot be right fails before any request.
func TestAccTableSyncList_validatesBeforeAnyRequest(t *testing.T) {
	c := newTestCatalog(t)
	runQueries(t,
		resource.TestStep{
			Config:      c.listBlock(nil, `datasource_id = 0`, fmt.Sprintf("schema = %q", testSchema)),
			ExpectError: errorMatching("datasource_id", "at least 1"),
		},
		resource.TestStep{
			Config:      c.listBlock(nil, fmt.Sprintf("datasource_id = %d", testDS), `schema = "  "`),
			ExpectError: errorMatching("schema", "must not be empty or only whitespace"),
		},
	)
	if reqs := c.fake.Requests(); len(reqs) != 0 {
		t.Fatalf("%d requests reached Alation, want none: %+v", len(reqs), reqs)
	}
}

// `terraform query -generate-config-out` writes an import block and a
// resource block for each table found (Terraform asks for the results'
// resources itself). Applying them adopts the tables without a sync, and
// the next plan is empty: a result's resource is what the resource reads.
// terraform-plugin-testing cannot write configuration from a query yet, so
// this drives the CLI directly.
func TestAccTableSyncList_generateConfigAndImport(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogue("foobar", "Orders")
	c.fake.AddCatalogTable(testDS, testSchema, "foobar_v", "VIEW")
	w := newCLIWorkdir(t, "1.14.0", "added terraform query")
	w.write("main.tf", c.providerBlock())
	w.write("tables.tfquery.hcl", fmt.Sprintf(`
list "alation_table_sync" "found" {
  provider = alation
  config {
    datasource_id = %d
    schema        = %q
    name_prefix   = "foo"
  }
}
`, testDS, testSchema))
	w.mustRun("init", "-input=false", "-no-color")
	w.mustRun("query", "-generate-config-out=generated.tf", "-no-color")
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")

	adopted := map[string]string{}
	for _, r := range w.stateResources() {
		if r.Type == "alation_table_sync" {
			adopted[fmt.Sprint(r.Values["table"])] = fmt.Sprint(r.Values["table_type"])
		}
	}
	if want := map[string]string{"foobar": "TABLE", "foobar_v": "VIEW"}; fmt.Sprint(adopted) != fmt.Sprint(want) {
		t.Fatalf("adopted %v, want %v", adopted, want)
	}
	if n := c.fake.RequestCount("", "/api/v1/table/sync/"); n != 0 {
		t.Fatalf("%d syncs, want none: adopting reads the catalog only", n)
	}
	w.mustRun("plan", "-detailed-exitcode", "-input=false", "-no-color") // exit code 2 would be a change
}

// The list resource through the provider's protocol server, without a CLI,
// so that every CLI of the matrix runs it: results stop at the limit after
// one small page and carry identity and resource, and a configuration the
// query cannot use is a diagnostic, never a panic or a request.
func TestTableSyncList_protocol(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogueNumbered(30)
	server, schemas := configuredServer(t, c)
	lister, ok := server.(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatal("the provider serves no list resources")
	}
	configType := schemas.ListResourceSchemas["alation_table_sync"].ValueType()
	list := func(ds tftypes.Value, limit int64) []tfprotov6.ListResourceResult {
		t.Helper()
		config := objectValue(configType, map[string]tftypes.Value{"datasource_id": ds, "schema": tftypes.NewValue(tftypes.String, testSchema)})
		stream, err := lister.ListResource(t.Context(), &tfprotov6.ListResourceRequest{
			TypeName: "alation_table_sync", Config: dynamicValue(t, configType, config), IncludeResource: true, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		return slices.Collect(stream.Results)
	}

	results := list(tftypes.NewValue(tftypes.Number, testDS), 5)
	if len(results) != 6 {
		t.Fatalf("%d results, want the limit's 5 and a warning", len(results))
	}
	if w := warnings(results[5:]); len(w) != 1 || !strings.Contains(w[0], "Table Listing Stopped at Its Limit") ||
		!strings.Contains(w[0], "Terraform's default limit is 100") {
		t.Fatalf("after the limit: %q, want the warning that the limit left tables out", w)
	}
	results = results[:5]
	resourceType := schemas.ResourceSchemas["alation_table_sync"].ValueType()
	for i, r := range results {
		failOnError(t, "ListResource", r.Diagnostics, nil)
		table := fmt.Sprintf("t%04d", i)
		var attrs map[string]tftypes.Value
		if v, err := r.Resource.Unmarshal(resourceType); err != nil || v.As(&attrs) != nil || !attrs["table"].Equal(tftypes.NewValue(tftypes.String, table)) {
			t.Fatalf("result %d's resource: %v (%v)", i, attrs, err)
		}
		if r.DisplayName != "8/main.dbo/"+table || r.Identity == nil {
			t.Fatalf("result %d: %q, identity %v", i, r.DisplayName, r.Identity)
		}
	}
	if reqs := c.tableRequests(); len(reqs) != 1 || !strings.Contains(reqs[0].RawQuery, "limit=6") {
		t.Fatalf("the listing was read by %+v, want one request for 6 rows", reqs)
	}

	c.fake.ResetLog()
	results = list(tftypes.NewValue(tftypes.Number, tftypes.UnknownValue), 100)
	if len(results) != 1 || len(results[0].Diagnostics) != 1 || results[0].Diagnostics[0].Summary != "Unknown List Configuration" {
		t.Fatalf("an unknown datasource_id: %+v", results)
	}
	if n := len(c.fake.Requests()); n != 0 {
		t.Fatalf("%d requests for an unknown datasource_id, want none", n)
	}
}
