package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const tsAddr = "alation_table_sync.t"

// expectSyncs checks how often the emulator synced a table of testSchema.
func (c *testCatalog) expectSyncs(table string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := c.fake.SyncCount(testDS, testSchema, table); got != want {
			return fmt.Errorf("Alation synced %s.%s %d times, want %d", testSchema, table, got, want)
		}
		return nil
	}
}

func at(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

func TestAccTableSync_basic(t *testing.T) {
	c := newTestCatalog(t)
	config := c.providerBlock() + tableSync("t", testDS, testSchema, "foobar")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tsAddr, at("id"), knownvalue.Int64Exact(17000)),
					statecheck.ExpectKnownValue(tsAddr, at("url"), knownvalue.StringExact(c.url+"/table/17000/")),
					statecheck.ExpectKnownValue(tsAddr, at("schema_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(tsAddr, at("is_view"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(tsAddr, at("table_type"), knownvalue.StringExact("TABLE")),
					statecheck.ExpectKnownValue(tsAddr, at("last_synced_at"), knownvalue.StringRegexp(rfc3339)),
				},
				Check: c.expectSyncs("foobar", 1),
			},
			{
				// Nothing changed: the plan is empty and refreshing never syncs.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: c.expectSyncs("foobar", 1),
			},
		},
	})
}

// Each of the three identity inputs replaces the resource, which syncs the
// new table.
func TestAccTableSync_replace(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddDataSource(alationfakeDataSource(9))
	c.fake.AddSchema(9, testSchema, false)
	c.fake.AddSourceTable(9, testSchema, "foobar", "TABLE")
	c.fake.AddSchema(testDS, "other.dbo", false)
	c.fake.AddSourceTable(testDS, "other.dbo", "foobar", "TABLE")

	step := func(ds int, schema, table string) resource.TestStep {
		return resource.TestStep{
			Config: c.providerBlock() + tableSync("t", ds, schema, table),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(tsAddr, at("datasource_id"), knownvalue.Int64Exact(int64(ds))),
				statecheck.ExpectKnownValue(tsAddr, at("schema"), knownvalue.StringExact(schema)),
				statecheck.ExpectKnownValue(tsAddr, at("table"), knownvalue.StringExact(table)),
			},
			Check: func(*terraform.State) error { return expectSynced(c, ds, schema, table) },
		}
	}
	first := step(testDS, testSchema, "foobar")
	first.ConfigPlanChecks = resource.ConfigPlanChecks{}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			first,
			step(testDS, testSchema, "bazqux"),  // table
			step(testDS, "other.dbo", "foobar"), // schema
			step(9, testSchema, "foobar"),       // datasource_id
		},
		CheckDestroy: func(*terraform.State) error {
			if n := c.fake.CatalogTableCount(); n == 0 {
				return fmt.Errorf("destroy should leave the catalog alone, but it is empty")
			}
			return nil
		},
	})
}

// expectSynced checks that Alation synced the table exactly once.
func expectSynced(c *testCatalog, ds int, schema, table string) error {
	if n := c.fake.SyncCount(int64(ds), schema, table); n != 1 {
		return fmt.Errorf("ds %d, %s.%s synced %d times, want 1", ds, schema, table, n)
	}
	return nil
}

// A triggers change re-syncs in place and keeps the table's id.
func TestAccTableSync_triggers(t *testing.T) {
	c := newTestCatalog(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	step := func(ddl string, action plancheck.ResourceActionType, syncs int) resource.TestStep {
		return resource.TestStep{
			Config: c.providerBlock() + tableSync("t", testDS, testSchema, "foobar", fmt.Sprintf("triggers = { ddl = %q }", ddl)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(tsAddr, action),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(tsAddr, at("id")),
				statecheck.ExpectKnownValue(tsAddr, at("triggers"), knownvalue.MapExact(map[string]knownvalue.Check{"ddl": knownvalue.StringExact(ddl)})),
			},
			Check: c.expectSyncs("foobar", syncs),
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			step("create table foobar (a int)", plancheck.ResourceActionCreate, 1),
			step("alter table foobar add b int", plancheck.ResourceActionUpdate, 2),
			step("alter table foobar add c int", plancheck.ResourceActionUpdate, 3),
			{
				// Changing only the timeouts updates state without a sync.
				Config: c.providerBlock() + tableSync("t", testDS, testSchema, "foobar",
					`triggers = { ddl = "alter table foobar add c int" }`, `timeouts = { create = "3m" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionUpdate),
				}},
				Check: c.expectSyncs("foobar", 3),
			},
		},
	})
}

// Drift: a steward's edit changes nothing the resource keeps, so neither
// state nor plan; a table deleted from the catalog leaves state so that the
// next apply syncs again.
func TestAccTableSync_drift(t *testing.T) {
	c := newTestCatalog(t)
	config := c.providerBlock() + tableSync("t", testDS, testSchema, "foobar")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { c.fake.SetTableTitle(17000, "Foo Bar", "<p>Edited in Alation</p>") },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tsAddr, at("id"), knownvalue.Int64Exact(17000)),
				},
				Check: c.expectSyncs("foobar", 1),
			},
			{
				PreConfig: func() { c.fake.RemoveCatalogTable(17000) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionCreate),
				}},
				Check: c.expectSyncs("foobar", 2),
			},
		},
	})
}

func TestAccTableSync_import(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.SetTableCustomFields(c.fake.AddCatalogTable(testDS, testSchema, "Orders", "TABLE"), []any{
		map[string]any{"field_id": 3, "field_name": "Steward", "value": []any{map[string]any{"otype": "user", "oid": 7}}},
	})
	config := c.providerBlock() + tableSync("t", testDS, testSchema, "Orders")
	// What only a sync returns cannot be imported.
	syncOnly := []string{"last_synced_at"}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{Config: config},
			{
				ResourceName: tsAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: syncOnly,
			},
			{
				ResourceName: tsAddr, ImportState: true, ImportStateVerify: true,
				ImportStateId:           fmt.Sprintf("%d/%s/Orders", testDS, testSchema),
				ImportStateVerifyIgnore: syncOnly,
			},
			{
				ResourceName: tsAddr, ImportState: true, ImportStateId: "8/main.dbo/orders",
				ExpectError: errorMatching("Cannot Import Table", `"8/main.dbo/orders"`, "case-sensitive"),
			},
			{
				ResourceName: tsAddr, ImportState: true, ImportStateId: "99999",
				ExpectError: errorMatching("Cannot Import Table", "id 99999"),
			},
			{
				ResourceName: tsAddr, ImportState: true, ImportStateId: "8/main.dbo",
				ExpectError: errorMatching("Invalid Import ID", "DATASOURCE_ID/SCHEMA/TABLE"),
			},
			{
				ResourceName: tsAddr, ImportState: true, ImportStateId: "orders",
				ExpectError: errorMatching("Invalid Import ID", "neither a table id"),
			},
		},
	})
	if got := c.fake.SyncCount(testDS, testSchema, "Orders"); got != 1 {
		t.Errorf("syncs = %d, want 1: import must never sync", got)
	}
}

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
