package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// One rule for views, on create, read and import alike: table_type says
// what the object is. Left out, it is what Alation reports; written, it
// must agree with the catalog. No configuration plans a replacement after
// an import.

const viewName = "foobar_v" // a view in the test catalog's source

// withImport adds an import block by ID for the resource at tsAddr.
func withImport(config, id string) string {
	return config + fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", tsAddr, id)
}

func TestAccTableSync_viewLeftOutTakesWhatAlationReports(t *testing.T) {
	c := newTestCatalog(t)
	config := c.providerBlock() + tableSync("t", testDS, testSchema, viewName)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tsAddr, at("is_view"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(tsAddr, at("table_type"), knownvalue.StringExact("VIEW")),
				},
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// The same configuration imports the view with an empty plan, whether it
// leaves table_type out or says "VIEW".
func TestAccTableSync_viewImportPlansNothing(t *testing.T) {
	for name, lines := range map[string][]string{"left out": nil, "VIEW": {`table_type = "VIEW"`}} {
		t.Run(name, func(t *testing.T) {
			c := newTestCatalog(t)
			id := c.fake.AddCatalogTable(testDS, testSchema, viewName, "VIEW")
			config := withImport(c.providerBlock()+tableSync("t", testDS, testSchema, viewName, lines...), fmt.Sprint(id))
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{
					{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionNoop),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(tsAddr, at("table_type"), knownvalue.StringExact("VIEW")),
						},
						Check: c.expectSyncs(viewName, 0),
					},
					{Config: config, PlanOnly: true},
				},
			})
		})
	}
}

// A table_type that contradicts the catalog is an error that says so: at
// create, after the sync; after an import, at plan.
func TestAccTableSync_viewWrongTypeIsAnError(t *testing.T) {
	want := errorMatching("Table Type Does Not Match the Catalog", `table_type is "TABLE"`, "ds 8, \"main.dbo\".\"foobar_v\"", "as a view", `table_type = "VIEW"`)
	c := newTestCatalog(t)
	wrong := c.providerBlock() + tableSync("t", testDS, testSchema, viewName, `table_type = "TABLE"`)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps:                    []resource.TestStep{{Config: wrong, ExpectError: want}},
	})

	c2 := newTestCatalog(t)
	id := c2.fake.AddCatalogTable(testDS, testSchema, viewName, "VIEW")
	imported := c2.providerBlock() + tableSync("t", testDS, testSchema, viewName)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{Config: withImport(imported, fmt.Sprint(id))},
			{Config: c2.providerBlock() + tableSync("t", testDS, testSchema, viewName, `table_type = "TABLE"`), ExpectError: want},
		},
	})
	if n := c2.fake.SyncCount(testDS, testSchema, viewName); n != 0 {
		t.Errorf("%d syncs, want 0", n)
	}
}

// Where Alation looks only among objects of the table_type it is sent (its
// behaviour is not documented; the emulator plays both), a view needs
// table_type = "VIEW", and the error for a view synced as a table says
// that Alation did not find it.
func TestAccTableSync_viewStrictAlation(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.SetStrictTableType(true)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config:      c.providerBlock() + tableSync("t", testDS, testSchema, viewName),
				ExpectError: errorMatching("Unable to Sync Table", "ds 8, \"main.dbo\".\"foobar_v\"", "HTTP 404", "Table not found"),
			},
			{
				Config: c.providerBlock() + tableSync("t", testDS, testSchema, viewName, `table_type = "VIEW"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tsAddr, at("is_view"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(tsAddr, at("table_type"), knownvalue.StringExact("VIEW")),
				},
			},
		},
	})
}

// A re-sync that finds the object changed kind (DDL that dropped a table
// and created a view of the same name) fails with a diagnostic that says
// to replace the resource, rather than a state that contradicts the plan.
func TestAccTableSync_changedKindOnResync(t *testing.T) {
	c := newTestCatalog(t)
	config := func(ddl string) string {
		return c.providerBlock() + tableSync("t", testDS, testSchema, "foobar", `triggers = { ddl = "`+ddl+`" }`)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config:            config("create table foobar"),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(tsAddr, at("is_view"), knownvalue.Bool(false))},
			},
			{
				// The database has the view; the catalog still the table,
				// until the sync.
				PreConfig:   func() { c.fake.AddSourceTable(testDS, testSchema, "foobar", "VIEW") },
				Config:      config("drop table foobar; create view foobar"),
				ExpectError: errorMatching("Table Changed Kind", "ds 8, \"main.dbo\".\"foobar\"", "as a view", "recorded a table", "-replace"),
			},
		},
	})
}

// table_type must agree with the catalog entry that state describes, so
// only while the configuration names that table: replacing a table with a
// view of another schema, table_type = "VIEW", plans and applies normally.
func TestAccTableSync_replaceTableWithView(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddSchema(testDS, "other.dbo", false)
	c.fake.AddSourceTable(testDS, "other.dbo", viewName, "VIEW")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{Config: c.providerBlock() + tableSync("t", testDS, testSchema, "foobar", `table_type = "TABLE"`)},
			{
				Config: c.providerBlock() + tableSync("t", testDS, "other.dbo", viewName, `table_type = "VIEW"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tsAddr, at("is_view"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(tsAddr, at("table_type"), knownvalue.StringExact("VIEW")),
					statecheck.ExpectKnownValue(tsAddr, at("schema"), knownvalue.StringExact("other.dbo")),
				},
			},
			{
				// Back to a table, written as such: the same.
				Config: c.providerBlock() + tableSync("t", testDS, testSchema, "bazqux", `table_type = "TABLE"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tsAddr, at("is_view"), knownvalue.Bool(false)),
				},
			},
		},
	})
}
