package provider

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

const tablesAddr = "data.alation_tables.t"

// tablesBlock renders data "alation_tables" "t" over testDS's schema, with
// extra lines.
func tablesBlock(schema string, extra ...string) string {
	return fmt.Sprintf("data \"alation_tables\" \"t\" {\n  datasource_id = %d\n  schema = %q\n  %s\n}\n", testDS, schema, strings.Join(extra, "\n  "))
}

// expectTables checks the listed tables' names, in order.
func expectTables(names ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(names))
	for i, n := range names {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact(n)})
	}
	return statecheck.ExpectKnownValue(tablesAddr, at("tables"), knownvalue.ListExact(checks))
}

// Every catalogued entry of the schema, and only of that schema, in name
// order, each with its id, name, the kind Alation recorded (SYNONYM kept
// as it is) and its page; in one request, and without a sync.
func TestAccTablesDataSource_listsSchema(t *testing.T) {
	c := newTestCatalog(t)
	orders := c.fake.AddCatalogTable(testDS, testSchema, "orders", "TABLE")
	upper := c.fake.AddCatalogTable(testDS, testSchema, "Orders", "TABLE")
	view := c.fake.AddCatalogTable(testDS, testSchema, "v_orders", "VIEW")
	synonym := c.fake.AddCatalogTable(testDS, testSchema, "orders_syn", "TABLE")
	c.fake.SetCatalogTableType(synonym, "SYNONYM")
	c.fake.AddCatalogTable(testDS, "main.other", "elsewhere", "TABLE")
	c.fake.AddCatalogTable(9, testSchema, "other_source", "TABLE")
	entry := func(id int64, name, kind string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.Int64Exact(id), "name": knownvalue.StringExact(name), "table_type": knownvalue.StringExact(kind),
			"url": knownvalue.StringExact(fmt.Sprintf("%s/table/%d/", c.url, id)),
		})
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: c.providerBlock() + tablesBlock(testSchema),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(tablesAddr, at("tables"), knownvalue.ListExact([]knownvalue.Check{
					entry(upper, "Orders", "TABLE"), entry(orders, "orders", "TABLE"),
					entry(synonym, "orders_syn", "SYNONYM"), entry(view, "v_orders", "VIEW"),
				})),
				statecheck.ExpectKnownValue(tablesAddr, at("name_prefix"), knownvalue.Null()),
			},
			Check: c.expectNoSync(),
		}},
	})
	// One read of the listing per Terraform command that reads the data
	// source; each is one request of up to 1,000 rows.
	for _, r := range c.tableRequests() {
		if q, _ := url.ParseQuery(r.RawQuery); q.Get("limit") != "1000" || q.Get("ds_id") != "8" || q.Get("schema_name") != testSchema {
			t.Fatalf("the listing was read with %q, want ds_id, schema_name and limit=1000", r.RawQuery)
		}
	}
}

// A catalogued schema without tables lists none, without an error.
func TestAccTablesDataSource_emptySchema(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddSchema(testDS, "staging.dbo", false)
	c.fake.AddCatalogTable(testDS, testSchema, "orders", "TABLE")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:            c.providerBlock() + tablesBlock("staging.dbo"),
			ConfigStateChecks: []statecheck.StateCheck{expectTables()},
		}},
	})
}

// A schema of more than 1,000 tables, Alation's most a call, is read in one
// listing: a plan makes exactly one request per page, three for 2,100
// tables, each page once, and the state has every table once.
func TestAccTablesDataSource_pages(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogueNumbered(2100)
	w := newCLIWorkdir(t, "1.5.0", "is the oldest CLI supported")
	w.write("main.tf", c.providerBlock()+tablesBlock(testSchema)+"output \"count\" {\n  value = length(data.alation_tables.t.tables)\n}\n")
	w.mustRun("init", "-input=false", "-no-color")
	c.fake.ResetLog()
	w.mustRun("plan", "-input=false", "-no-color")
	var skips []string
	for _, r := range c.tableRequests() {
		q, _ := url.ParseQuery(r.RawQuery)
		skips = append(skips, q.Get("skip"))
	}
	if fmt.Sprint(skips) != "[ 1000 2000]" {
		t.Fatalf("a plan read the listing at skips %q, want one listing of three pages: the first, then 1000 and 2000", skips)
	}
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	tables, _ := w.resourceValues(tablesAddr)["tables"].([]any)
	seen := map[string]bool{}
	for _, item := range tables {
		m, _ := item.(map[string]any)
		seen[fmt.Sprint(m["name"])] = true
	}
	if len(tables) != 2100 || len(seen) != 2100 || !seen["t0000"] || !seen["t2099"] {
		t.Fatalf("%d tables in state (%d names), want the schema's 2,100, each once", len(tables), len(seen))
	}
}

// name_prefix is a case-sensitive prefix; name_regex an RE2 expression
// matched anywhere unless anchored; both together must both match.
func TestAccTablesDataSource_nameFilters(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogue("FACT_orders", "FACT_orders_v2", "fact_returns", "DIM_customer", "STG_FACT_x")
	step := func(filters []string, names ...string) resource.TestStep {
		return resource.TestStep{
			Config:            c.providerBlock() + tablesBlock(testSchema, filters...),
			ConfigStateChecks: []statecheck.StateCheck{expectTables(names...)},
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			step([]string{`name_prefix = "FACT_"`}, "FACT_orders", "FACT_orders_v2"),
			step([]string{`name_prefix = ""`}, "DIM_customer", "FACT_orders", "FACT_orders_v2", "STG_FACT_x", "fact_returns"),
			step([]string{`name_regex = "FACT_"`}, "FACT_orders", "FACT_orders_v2", "STG_FACT_x"),
			step([]string{`name_regex = "(?i)^fact_"`}, "FACT_orders", "FACT_orders_v2", "fact_returns"),
			step([]string{`name_regex = "_v[0-9]+$"`}, "FACT_orders_v2"),
			step([]string{`name_prefix = "FACT_"`, `name_regex = "_v[0-9]+$"`}, "FACT_orders_v2"),
			step([]string{`name_prefix = "nothing"`}),
		},
	})
}

// A configuration that cannot be right fails before any request.
func TestAccTablesDataSource_validatesBeforeAnyRequest(t *testing.T) {
	c := newTestCatalog(t)
	step := func(block string, parts ...string) resource.TestStep {
		return resource.TestStep{Config: c.providerBlock() + block, ExpectError: errorMatching(parts...)}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			step(strings.Replace(tablesBlock(testSchema), "datasource_id = 8", "datasource_id = 0", 1), "datasource_id", "at least 1"),
			step(strings.Replace(tablesBlock(testSchema), "datasource_id = 8", "datasource_id = 8.5", 1), "Invalid Whole Number", "must be a whole number"),
			step(tablesBlock(" "), "schema", "must not be empty or only whitespace"),
			step(tablesBlock(testSchema, `name_regex = "FACT_("`), "Invalid Regular Expression", `"FACT_("`, "RE2", "missing closing )"),
		},
	})
	if reqs := c.fake.Requests(); len(reqs) != 0 {
		t.Fatalf("%d requests reached Alation, want none: %+v", len(reqs), reqs)
	}
}

// A schema or data source the catalog does not have is an error that
// quotes the names, says what Alation answered and what to do; so is a
// refused or failed listing, in Alation's words.
func TestAccTablesDataSource_errors(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogue("orders")
	step := func(block string, parts ...string) resource.TestStep {
		return resource.TestStep{Config: c.providerBlock() + block, ExpectError: errorMatching(parts...)}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			step(tablesBlock("main.DBO"), "Schema Not Found", `schema "main.DBO" of data source 8`, "no such schema",
				"GET /integration/v2/table/ with no rows", `its schemas include "main.dbo"`, "Check datasource_id and schema", "case included"),
			step(strings.Replace(tablesBlock(testSchema), "datasource_id = 8", "datasource_id = 99", 1),
				"Schema Not Found", `schema "main.dbo" of data source 99`, "no catalogued schema at all", "check datasource_id"),
			{
				PreConfig: func() {
					c.fake.QueueFaults("/integration/v2/table/", alationfake.Fault{Status: 403,
						Body: `{"detail": "You do not have permission to perform this action.", "code": "403000"}`})
				},
				Config: c.providerBlock() + tablesBlock(testSchema),
				ExpectError: errorMatching("Unable to List Tables", `schema "main.dbo" of data source 8`, "HTTP 403",
					`"You do not have permission to perform this action." (code 403000)`, "api_access_token"),
			},
			{
				PreConfig: func() {
					c.fake.QueueFaults("/integration/v2/table/", alationfake.Fault{Status: 404,
						Body: `{"detail": "Data source with id 8 does not exist", "code": "404000"}`})
				},
				Config: c.providerBlock() + tablesBlock(testSchema),
				ExpectError: errorMatching("Unable to List Tables", `schema "main.dbo" of data source 8`, "HTTP 404",
					`"Data source with id 8 does not exist" (code 404000)`, "Check datasource_id and schema", "data.alation_datasource"),
			},
		},
	})
	if n := c.fake.RequestCount("", lookupSyncPath); n != 0 {
		t.Errorf("%d sync requests: alation_tables must never sync", n)
	}
}

// Terraform 1.7 added for_each to import blocks: with alation_tables, one
// import block and one resource block adopt every catalogued table and view
// of a schema, without a sync, and the next plan is empty. Entries that are
// neither (a SYNONYM) are left out by the configuration, as the docs show.
func TestAccTablesDataSource_importForEach(t *testing.T) {
	c := newTestCatalog(t)
	ids := map[string]int64{}
	for _, n := range []string{"foobar", "Orders"} {
		ids[n] = c.fake.AddCatalogTable(testDS, testSchema, n, "TABLE")
	}
	ids["foobar_v"] = c.fake.AddCatalogTable(testDS, testSchema, "foobar_v", "VIEW")
	c.fake.SetCatalogTableType(c.fake.AddCatalogTable(testDS, testSchema, "orders_syn", "TABLE"), "SYNONYM")
	config := c.providerBlock() + tablesBlock(testSchema) + fmt.Sprintf(`
locals {
  adopted = { for t in data.alation_tables.t.tables : t.name => t if contains(["TABLE", "VIEW"], t.table_type) }
}

import {
  for_each = local.adopted
  to       = alation_table_sync.adopted[each.key]
  id       = each.value.id
}

resource "alation_table_sync" "adopted" {
  for_each      = local.adopted
  datasource_id = %d
  schema        = %q
  table         = each.key
  table_type    = each.value.table_type
}
`, testDS, testSchema)
	w := newCLIWorkdir(t, "1.7.0", "added for_each in import blocks")
	w.write("main.tf", config)
	w.mustRun("init", "-input=false", "-no-color")
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	adopted := map[string]string{}
	for _, r := range w.stateResources() {
		if r.Type == "alation_table_sync" {
			adopted[r.Address] = fmt.Sprintf("%v %v %v", r.Values["id"], r.Values["table_type"], r.Values["is_view"])
		}
	}
	want := map[string]string{
		`alation_table_sync.adopted["Orders"]`:   fmt.Sprintf("%d TABLE false", ids["Orders"]),
		`alation_table_sync.adopted["foobar"]`:   fmt.Sprintf("%d TABLE false", ids["foobar"]),
		`alation_table_sync.adopted["foobar_v"]`: fmt.Sprintf("%d VIEW true", ids["foobar_v"]),
	}
	if fmt.Sprint(adopted) != fmt.Sprint(want) {
		t.Fatalf("adopted %v, want %v", adopted, want)
	}
	if n := c.fake.RequestCount("", lookupSyncPath); n != 0 {
		t.Fatalf("%d syncs, want none: adopting reads the catalog only", n)
	}
	w.mustRun("plan", "-detailed-exitcode", "-input=false", "-no-color") // exit code 2 would be a change
}

// A listing that Alation's whole-listing cap may have cut short is never a
// silently short list: the plan warns, naming the cap's admin setting. Below
// the cap there is no warning.
func TestAccTablesDataSource_capWarning(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogueNumbered(1200)
	c.fake.SetCatalogLimit(1000)
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
	w.write("main.tf", c.providerBlock()+fmt.Sprintf("data \"alation_tables\" \"t\" {\n  datasource_id = %d\n  schema = %q\n}\n", testDS, testSchema))
	w.mustRun("init", "-input=false", "-no-color")
	diags, _ := actionEvents(t, w.mustRun("plan", "-input=false", "-no-color", "-json"))
	if len(diags) != 1 || diags[0].Severity != "warning" || diags[0].Summary != "Table Listing May Be Incomplete" ||
		!strings.Contains(diags[0].Detail, "listed 1000 tables") || !strings.Contains(diags[0].Detail, "alation.api.catalog.limit") {
		t.Fatalf("diagnostics %+v, want the cap's warning", diags)
	}
	c.fake.SetCatalogLimit(0)
	if diags, _ := actionEvents(t, w.mustRun("plan", "-input=false", "-no-color", "-json")); len(diags) != 0 {
		t.Fatalf("without the cap: diagnostics %+v", diags)
	}
}
