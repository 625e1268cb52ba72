package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// tableBlock renders one data "alation_table" block.
func tableBlock(name string, body ...string) string {
	return fmt.Sprintf("data \"alation_table\" %q {\n  %s\n}\n", name, strings.Join(body, "\n  "))
}

func byNames(ds int64, schema, name string) []string {
	return []string{fmt.Sprintf("datasource_id = %d", ds), fmt.Sprintf("schema = %q", schema), fmt.Sprintf("name = %q", name)}
}

// By id and by names, the data source exposes every field the Integration
// API v2 returns, and never syncs.
func TestAccTableDataSource_lookups(t *testing.T) {
	c := newTestCatalog(t)
	orders := c.fake.AddCatalogTable(testDS, testSchema, "Orders", "TABLE")
	c.fake.SetTableTitle(orders, "Orders", "<p>One row per order.</p>")
	c.fake.SetTableCustomFields(orders, []any{
		map[string]any{"field_id": 3, "field_name": "Steward", "value": []any{map[string]any{"otype": "user", "oid": 7}}},
		map[string]any{"field_id": 10, "field_name": "Tags", "value": []any{"pii", "finance"}},
		map[string]any{"field_id": 11, "field_name": "Tier", "value": "gold"},
	})
	view := c.fake.AddCatalogTable(testDS, testSchema, "v_orders", "VIEW")
	str := func(s string) *string { return &s }
	c.fake.SetTableDetails(view, alationfake.TableDetails{TableComment: str("Open orders"), BaseTableKey: str("8.main.dbo.Orders"),
		SQL: str("SELECT * FROM Orders WHERE open = 1"), PartitionColumns: []string{"order_day"}, PartitionDefinition: str("PARTITION BY order_day")})
	table, _ := c.fake.CatalogTable(orders)

	ordersChecks := map[string]knownvalue.Check{
		"id":                   knownvalue.Int64Exact(orders),
		"datasource_id":        knownvalue.Int64Exact(testDS),
		"schema":               knownvalue.StringExact(testSchema),
		"name":                 knownvalue.StringExact("Orders"),
		"title":                knownvalue.StringExact("Orders"),
		"description":          knownvalue.StringExact("<p>One row per order.</p>"),
		"key":                  knownvalue.StringExact("8.main.dbo.Orders"),
		"url":                  knownvalue.StringExact(fmt.Sprintf("%s/table/%d/", c.url, orders)),
		"table_type":           knownvalue.StringExact("TABLE"),
		"table_comment":        knownvalue.Null(),
		"ds_id":                knownvalue.Int64Exact(testDS),
		"schema_id":            knownvalue.Int64Exact(table.SchemaID),
		"schema_name":          knownvalue.StringExact(testSchema),
		"base_table_key":       knownvalue.Null(),
		"sql":                  knownvalue.Null(),
		"partition_columns":    knownvalue.ListExact([]knownvalue.Check{}),
		"partition_definition": knownvalue.Null(),
		"custom_fields": knownvalue.ListExact([]knownvalue.Check{
			knownvalue.ObjectExact(map[string]knownvalue.Check{
				"field_id": knownvalue.Int64Exact(3), "field_name": knownvalue.StringExact("Steward"),
				"value": knownvalue.Null(), "values": knownvalue.Null(),
				"objects": knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
					"otype": knownvalue.StringExact("user"), "oid": knownvalue.Int64Exact(7)})}),
			}),
			knownvalue.ObjectExact(map[string]knownvalue.Check{
				"field_id": knownvalue.Int64Exact(10), "field_name": knownvalue.StringExact("Tags"), "value": knownvalue.Null(),
				"values":  knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("pii"), knownvalue.StringExact("finance")}),
				"objects": knownvalue.Null(),
			}),
			knownvalue.ObjectExact(map[string]knownvalue.Check{
				"field_id": knownvalue.Int64Exact(11), "field_name": knownvalue.StringExact("Tier"),
				"value": knownvalue.StringExact("gold"), "values": knownvalue.Null(), "objects": knownvalue.Null(),
			}),
		}),
	}
	var checks []statecheck.StateCheck
	for _, addr := range []string{"data.alation_table.by_id", "data.alation_table.by_names"} {
		for attr, check := range ordersChecks {
			checks = append(checks, statecheck.ExpectKnownValue(addr, at(attr), check))
		}
	}
	for attr, check := range map[string]knownvalue.Check{
		"table_type":           knownvalue.StringExact("VIEW"),
		"table_comment":        knownvalue.StringExact("Open orders"),
		"base_table_key":       knownvalue.StringExact("8.main.dbo.Orders"),
		"sql":                  knownvalue.StringExact("SELECT * FROM Orders WHERE open = 1"),
		"partition_columns":    knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("order_day")}),
		"partition_definition": knownvalue.StringExact("PARTITION BY order_day"),
		"custom_fields":        knownvalue.ListExact([]knownvalue.Check{}),
		"title":                knownvalue.StringExact(""),
	} {
		checks = append(checks, statecheck.ExpectKnownValue("data.alation_table.view", at(attr), check))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: c.providerBlock() +
				tableBlock("by_id", fmt.Sprintf("id = %d", orders)) +
				tableBlock("by_names", byNames(testDS, testSchema, "Orders")...) +
				tableBlock("view", byNames(testDS, testSchema, "v_orders")...),
			ConfigStateChecks: checks,
			Check:             c.expectNoSync(),
		}},
	})
	if n := c.fake.RequestCount("", lookupSyncPath); n != 0 {
		t.Errorf("%d sync requests: alation_table must never sync", n)
	}
}

// Names are case-sensitive: two tables differing only in case are two
// tables, and a name in the wrong case is not found, with a hint.
func TestAccTableDataSource_caseSensitive(t *testing.T) {
	c := newTestCatalog(t)
	upper := c.fake.AddCatalogTable(testDS, testSchema, "ORDERS", "TABLE")
	mixed := c.fake.AddCatalogTable(testDS, testSchema, "Orders", "TABLE")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config: c.providerBlock() + tableBlock("upper", byNames(testDS, testSchema, "ORDERS")...) +
					tableBlock("mixed", byNames(testDS, testSchema, "Orders")...),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.alation_table.upper", at("id"), knownvalue.Int64Exact(upper)),
					statecheck.ExpectKnownValue("data.alation_table.mixed", at("id"), knownvalue.Int64Exact(mixed)),
				},
			},
			{
				Config: c.providerBlock() + tableBlock("t", byNames(testDS, testSchema, "orders")...),
				ExpectError: errorMatching("Table Not Found", `No table named "orders" is catalogued in schema "main.dbo" of data source 8`,
					"case included", fmt.Sprintf(`"ORDERS" (id %d), "Orders" (id %d), which differs only in case`, upper, mixed)),
			},
			{
				Config: c.providerBlock() + tableBlock("t", byNames(testDS, "MAIN.DBO", "Orders")...),
				ExpectError: errorMatching("Table Not Found", `Data source 8 has schema "main.dbo", which differs from "MAIN.DBO" only in case`,
					"set schema to exactly that"),
			},
		},
	})
}

// Not found by id, in an empty schema, in a schema without the table, and
// in an unknown data source: each a clear error, and none syncs.
func TestAccTableDataSource_notFound(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddCatalogTable(testDS, testSchema, "Orders", "TABLE")
	c.fake.AddSchema(testDS, "staging.dbo", false)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config: c.providerBlock() + tableBlock("t", "id = 99999"),
				ExpectError: errorMatching("Table Not Found", "No table with id 99999 is in the Alation catalog", "/table/<id>/",
					"never syncs", "alation_table_sync"),
			},
			{
				// In the database, not in the catalog: still not found.
				Config: c.providerBlock() + tableBlock("t", byNames(testDS, testSchema, "foobar")...),
				ExpectError: errorMatching("Table Not Found", `No table named "foobar"`,
					"The schema is catalogued, but holds no table of that name", "never syncs", "alation_table_sync"),
			},
			{
				Config:      c.providerBlock() + tableBlock("t", byNames(testDS, "staging.dbo", "Orders")...),
				ExpectError: errorMatching("Table Not Found", `schema "staging.dbo"`, "holds no table of that name"),
			},
			{
				Config: c.providerBlock() + tableBlock("t", byNames(404, testSchema, "Orders")...),
				ExpectError: errorMatching("Table Not Found", "Data source 404 has no catalogued schema at all",
					"check datasource_id", "data.alation_datasource"),
			},
		},
	})
	if n := c.fake.RequestCount("", lookupSyncPath); n != 0 {
		t.Errorf("%d sync requests: alation_table must never sync", n)
	}
}

// id alone, or the three names together, checked before any request.
func TestAccTableDataSource_validation(t *testing.T) {
	c := newTestCatalog(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config:      c.providerBlock() + tableBlock("t"),
				ExpectError: errorMatching("Missing Table Look-up", "set id", "or datasource_id, schema and name together"),
			},
			{
				Config:      c.providerBlock() + tableBlock("t", append([]string{"id = 17000"}, byNames(testDS, testSchema, "Orders")...)...),
				ExpectError: errorMatching("Conflicting Table Look-up", "Both id and datasource_id, schema, name are set"),
			},
			{
				Config:      c.providerBlock() + tableBlock("t", "id = 17000", `schema = "main.dbo"`),
				ExpectError: errorMatching("Conflicting Table Look-up", "Both id and schema are set"),
			},
			{
				Config:      c.providerBlock() + tableBlock("t", "datasource_id = 8", `name = "Orders"`),
				ExpectError: errorMatching("Incomplete Table Look-up", "datasource_id and name are set, but schema is not", "go together"),
			},
			{
				Config:      c.providerBlock() + tableBlock("t", `name = "Orders"`),
				ExpectError: errorMatching("Incomplete Table Look-up", "name is set, but datasource_id and schema are not"),
			},
			{
				Config:      c.providerBlock() + tableBlock("t", byNames(testDS, testSchema, " ")...),
				ExpectError: errorMatching("must not be empty or only whitespace"),
			},
			{
				Config:      c.providerBlock() + tableBlock("t", "id = -1"),
				ExpectError: errorMatching("must be at least 1"),
			},
		},
	})
	if n := len(c.fake.Requests()); n != 0 {
		t.Errorf("%d requests reached Alation; validation must stop these configurations first", n)
	}
}

// A failing API gets the provider's usual voice.
func TestAccTableDataSource_apiError(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.QueueFaults("/integration/v2/table/", alationfake.Fault{Status: 401, Body: `{"detail":"Token has expired.","code":"401000"}`})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: c.providerBlock() + tableBlock("t", byNames(testDS, testSchema, "Orders")...),
			ExpectError: errorMatching("Unable to Read Table", "Alation refused to read table ds 8, \"main.dbo\".\"Orders\" from the catalog",
				"HTTP 401", `"Token has expired." (code 401000)`, "api_access_token expires"),
		}},
	})
}

// The sync resource and the data source agree on a table that Terraform
// syncs, and the data source waits for it (its id comes from the resource,
// so it is read at apply, after the sync): this is how a configuration reads
// a synced table's title, description and custom fields.
func TestAccTableDataSource_afterSync(t *testing.T) {
	c := newTestCatalog(t)
	config := c.providerBlock() + tableSync("t", testDS, testSchema, "foobar") +
		tableBlock("t", "id = alation_table_sync.t.id")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs(tsAddr, at("id"), "data.alation_table.t", at("id"), compare.ValuesSame()),
				statecheck.CompareValuePairs(tsAddr, at("url"), "data.alation_table.t", at("url"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.alation_table.t", at("key"), knownvalue.StringExact("8.main.dbo.foobar")),
			},
			Check: c.expectSyncs("foobar", 1),
		}},
	})
}

// Every attribute of both data sources, nested ones included, is described
// (the registry docs are generated from these descriptions).
func TestDataSources_everyAttributeDescribed(t *testing.T) {
	ctx := t.Context()
	for _, newDS := range []func() datasource.DataSource{NewDataSourceDataSource, NewTableDataSource} {
		ds := newDS()
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "alation"}, &meta)
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s: %v", meta.TypeName, resp.Diagnostics)
		}
		if resp.Schema.MarkdownDescription == "" {
			t.Errorf("%s has no description", meta.TypeName)
		}
		var walk func(prefix string, attrs map[string]dsschema.Attribute)
		walk = func(prefix string, attrs map[string]dsschema.Attribute) {
			for name, a := range attrs {
				if a.GetMarkdownDescription() == "" {
					t.Errorf("%s: %s%s has no MarkdownDescription", meta.TypeName, prefix, name)
				}
				if n, ok := a.(dsschema.ListNestedAttribute); ok {
					walk(prefix+name+".", n.NestedObject.Attributes)
				}
			}
		}
		walk("", resp.Schema.Attributes)
	}
}
