package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// lookupSyncPath is the sync endpoint, which look-ups must never call.
const lookupSyncPath = "/api/v1/table/sync/"

// dataSourceBlock renders one data "alation_datasource" block.
func dataSourceBlock(name string, body ...string) string {
	return fmt.Sprintf("data \"alation_datasource\" %q {\n  %s\n}\n", name, strings.Join(body, "\n  "))
}

// expectNoSync fails when anything asked Alation to sync.
func (c *testCatalog) expectNoSync() resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := c.fake.RequestCount("", lookupSyncPath); n != 0 {
			return fmt.Errorf("%d sync requests, want none: look-ups never sync", n)
		}
		return nil
	}
}

// Each look-up form, against an OCF (v2) and a native (v1) source.
func TestAccDataSourceDatasource_lookups(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddDataSource(alationfake.DataSource{ID: 14, Title: "Databricks Lakehouse", Description: "<p>Unity Catalog</p>",
		DBType: "databricks", Host: "dbc-1234.cloud.databricks.com", Port: 443, URI: "databricks://dbc-1234.cloud.databricks.com:443/main",
		DBName: "main", ConnectorID: 31, Private: true})
	c.fake.AddDataSource(alationfake.DataSource{ID: 3, Title: "Postgres Ops", Description: "Operational database.", DBType: "postgresql",
		Host: "pg-ops.internal", Port: 5432, URI: "postgresql://pg-ops.internal:5432/ops", DBName: "ops", Legacy: true, Hidden: true})
	c.fake.AddDataSource(alationfake.DataSource{ID: 12, Title: "Uploads", IsVirtual: true, Legacy: true})

	v2 := map[string]knownvalue.Check{
		"id":                        knownvalue.Int64Exact(14),
		"title":                     knownvalue.StringExact("Databricks Lakehouse"),
		"description":               knownvalue.StringExact("<p>Unity Catalog</p>"),
		"dbtype":                    knownvalue.StringExact("databricks"),
		"host":                      knownvalue.StringExact("dbc-1234.cloud.databricks.com"),
		"port":                      knownvalue.Int64Exact(443),
		"uri":                       knownvalue.StringExact("databricks://dbc-1234.cloud.databricks.com:443/main"),
		"dbname":                    knownvalue.StringExact("main"),
		"is_virtual":                knownvalue.Bool(false),
		"url":                       knownvalue.StringExact(c.url + "/data/14/"),
		"api_version":               knownvalue.StringExact("v2"),
		"connector_id":              knownvalue.Int64Exact(31),
		"private":                   knownvalue.Bool(true),
		"is_hidden":                 knownvalue.Bool(false),
		"deleted":                   knownvalue.Null(),
		"deployment_setup_complete": knownvalue.Bool(true),
	}
	v1 := map[string]knownvalue.Check{
		"id":           knownvalue.Int64Exact(3),
		"title":        knownvalue.StringExact("Postgres Ops"),
		"dbtype":       knownvalue.StringExact("postgresql"),
		"port":         knownvalue.Int64Exact(5432),
		"dbname":       knownvalue.StringExact("ops"),
		"url":          knownvalue.StringExact(c.url + "/data/3/"),
		"api_version":  knownvalue.StringExact("v1"),
		"connector_id": knownvalue.Null(),
		"is_hidden":    knownvalue.Bool(true),
		"private":      knownvalue.Bool(false),
	}
	var checks []statecheck.StateCheck
	for addr, want := range map[string]map[string]knownvalue.Check{
		"data.alation_datasource.v2_by_id": v2, "data.alation_datasource.v2_by_title": v2,
		"data.alation_datasource.v1_by_id": v1, "data.alation_datasource.v1_by_title": v1,
	} {
		for attr, check := range want {
			checks = append(checks, statecheck.ExpectKnownValue(addr, at(attr), check))
		}
	}
	checks = append(checks,
		statecheck.ExpectKnownValue("data.alation_datasource.virtual", at("is_virtual"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.alation_datasource.virtual", at("api_version"), knownvalue.StringExact("v1")),
		statecheck.ExpectKnownValue("data.alation_datasource.default", at("title"), knownvalue.StringExact("SQL Server Prod")),
		statecheck.ExpectKnownValue("data.alation_datasource.default", at("host"), knownvalue.StringExact("")),
	)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: c.providerBlock() +
				dataSourceBlock("v2_by_id", "id = 14") +
				dataSourceBlock("v2_by_title", `title = "Databricks Lakehouse"`) +
				dataSourceBlock("v1_by_id", "id = 3") +
				dataSourceBlock("v1_by_title", `title = "Postgres Ops"`) +
				dataSourceBlock("virtual", `title = "Uploads"`) +
				dataSourceBlock("default", fmt.Sprintf("id = %d", testDS)),
			ConfigStateChecks: checks,
			Check:             c.expectNoSync(),
		}},
	})
}

// A title that matches nothing, or matches in another case only, is an
// error listing the sources, close matches first; so is an unknown id.
func TestAccDataSourceDatasource_notFound(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddDataSource(alationfake.DataSource{ID: 3, Title: "Postgres Ops", DBType: "postgresql", Legacy: true})
	for i := range 12 {
		c.fake.AddDataSource(alationfakeDataSource(int64(100 + i)))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config: c.providerBlock() + dataSourceBlock("x", `title = "sql server prod"`),
				ExpectError: errorMatching("Data Source Not Found", `No data source in Alation is titled "sql server prod"`,
					"case and spaces included", `Closest: "SQL Server Prod" (id 8, v2, sqlserver).`,
					`Alation also lists 13 data sources: "Source 100" (id 100, v2, postgresql)`,
					"and 4 more", "Set title to one of these exactly, or look the source up by id"),
			},
			{
				Config: c.providerBlock() + dataSourceBlock("x", `title = "Ops"`),
				ExpectError: errorMatching("Data Source Not Found", `titled "Ops"`,
					`Closest: "Postgres Ops" (id 3, v1, postgresql). Alation also lists 13 data sources: "SQL Server Prod" (id 8, v2, sqlserver)`),
			},
			{
				Config: c.providerBlock() + dataSourceBlock("x", "id = 77"),
				ExpectError: errorMatching("Data Source Not Found", "no data source with id 77", "/integration/v2/datasource/77/",
					"/integration/v1/datasource/77/", `Alation lists 14 data sources: "SQL Server Prod" (id 8, v2, sqlserver)`,
					"Check the id", "/data/<id>/"),
			},
		},
	})
}

// Two sources with the same title, one per API, are an error naming both.
func TestAccDataSourceDatasource_ambiguousTitle(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddDataSource(alationfake.DataSource{ID: 20, Title: "Warehouse", DBType: "snowflake"})
	c.fake.AddDataSource(alationfake.DataSource{ID: 21, Title: "Warehouse", DBType: "oracle", Legacy: true})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config: c.providerBlock() + dataSourceBlock("x", `title = "Warehouse"`),
				ExpectError: errorMatching("Ambiguous Data Source Title", `2 data sources in Alation are titled "Warehouse"`,
					`"Warehouse" (id 20, v2, snowflake), "Warehouse" (id 21, v1, oracle)`, "by id instead (id = 20"),
			},
			{
				// The way out the message gives works.
				Config: c.providerBlock() + dataSourceBlock("x", "id = 21"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.alation_datasource.x", at("title"), knownvalue.StringExact("Warehouse")),
					statecheck.ExpectKnownValue("data.alation_datasource.x", at("api_version"), knownvalue.StringExact("v1")),
				},
			},
		},
	})
}

// More than one page of v2 sources: the one on the last page is found.
func TestAccDataSourceDatasource_paging(t *testing.T) {
	c := newTestCatalog(t)
	for i := range 230 {
		c.fake.AddDataSource(alationfake.DataSource{ID: int64(1000 + i), Title: fmt.Sprintf("Team %03d", i), DBType: "snowflake"})
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: c.providerBlock() + dataSourceBlock("x", `title = "Team 229"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.alation_datasource.x", at("id"), knownvalue.Int64Exact(1229)),
			},
			Check: func(*terraform.State) error {
				pages := map[string]bool{}
				for _, r := range c.fake.Requests() {
					if r.Path == "/integration/v2/datasource/" {
						pages[r.RawQuery] = true
					}
				}
				for _, q := range []string{"include_hidden=true", "include_hidden=true&limit=100&skip=100", "include_hidden=true&limit=100&skip=200"} {
					if !pages[q] {
						return fmt.Errorf("no request for page %q; requested %v", q, pages)
					}
				}
				return nil
			},
		}},
	})
}

// Exactly one of id and title, checked before any request.
func TestAccDataSourceDatasource_validation(t *testing.T) {
	c := newTestCatalog(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config:      c.providerBlock() + dataSourceBlock("x", "id = 8", `title = "SQL Server Prod"`),
				ExpectError: errorMatching("Invalid Attribute Combination", "Exactly one of", "id", "title"),
			},
			{
				Config:      c.providerBlock() + dataSourceBlock("x"),
				ExpectError: errorMatching("Missing Attribute Configuration", "Exactly one of", "id", "title"),
			},
			{
				Config:      c.providerBlock() + dataSourceBlock("x", `title = "  "`),
				ExpectError: errorMatching("must not be empty or only whitespace"),
			},
			{
				Config:      c.providerBlock() + dataSourceBlock("x", "id = 0"),
				ExpectError: errorMatching("id", "must be at least 1"),
			},
		},
	})
	if n := len(c.fake.Requests()); n != 0 {
		t.Errorf("%d requests reached Alation; validation must stop these configurations first", n)
	}
}

// API failures speak like the resource's: the status, Alation's words, and
// what to do.
func TestAccDataSourceDatasource_apiErrors(t *testing.T) {
	c := newTestCatalog(t)
	badToken := &testCatalog{url: c.url, token: "not-a-real-token"}
	five502 := []alationfake.Fault{{Status: 502}, {Status: 502}, {Status: 502}, {Status: 502}, {Status: 502}}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config: badToken.providerBlock() + dataSourceBlock("x", `title = "SQL Server Prod"`),
				ExpectError: errorMatching("Unable to Read Data Source", `Alation refused to look up the data source titled "SQL Server Prod"`,
					"HTTP 403", `"Invalid token."`, "did not accept the credentials"),
			},
			{
				PreConfig: func() { c.fake.QueueFaults("/integration/v2/datasource/8/", five502...) },
				Config:    c.providerBlock() + dataSourceBlock("x", "id = 8"),
				ExpectError: errorMatching("Unable to Read Data Source", "look up the data source id 8", "HTTP 502 Bad Gateway",
					"after 5 attempts", "Try again later"),
			},
		},
	})
}

// The pipeline the issue is about: the sync resource takes its data
// source id from the look-up by title, and the sync succeeds.
func TestAccDataSourceDatasource_feedsTableSync(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddDataSource(alationfake.DataSource{ID: 3, Title: "Postgres Ops", Legacy: true})
	c.fake.AddSourceTable(3, "public", "events", "TABLE")
	config := c.providerBlock() + dataSourceBlock("ops", `title = "Postgres Ops"`) +
		dataSourceBlock("prod", `title = "SQL Server Prod"`) + `
resource "alation_table_sync" "events" {
  datasource_id = data.alation_datasource.ops.id
  schema        = "public"
  table         = "events"
}
resource "alation_table_sync" "foobar" {
  datasource_id = data.alation_datasource.prod.id
  schema        = "main.dbo"
  table         = "foobar"
}
`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("alation_table_sync.events", at("datasource_id"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue("alation_table_sync.foobar", at("datasource_id"), knownvalue.Int64Exact(testDS)),
				},
				Check: func(*terraform.State) error {
					if a, b := c.fake.SyncCount(3, "public", "events"), c.fake.SyncCount(testDS, testSchema, "foobar"); a != 1 || b != 1 {
						return fmt.Errorf("syncs: events %d, foobar %d; want 1 each", a, b)
					}
					return nil
				},
			},
			{
				// The look-up is read again on every plan; it changes nothing.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}
