package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// An object Alation catalogues as a SYNONYM: the alation_table data source
// shows the catalog's own kind, never TABLE, and partition_columns null as
// null; alation_table_sync, whose sync knows tables and views only, treats
// it as a table, on sync, refresh and import alike, with no diff.
func TestAccTableSync_synonymIsATable(t *testing.T) {
	c := newTestCatalog(t)
	syn := c.fake.AddCatalogTable(testDS, testSchema, "ORDERS_SYN", "TABLE")
	c.fake.SetCatalogTableType(syn, "SYNONYM")
	c.fake.SetNullPartitionColumns(true)
	asTable := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(tsAddr, at("id"), knownvalue.Int64Exact(syn)),
		statecheck.ExpectKnownValue(tsAddr, at("table_type"), knownvalue.StringExact("TABLE")),
		statecheck.ExpectKnownValue(tsAddr, at("is_view"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue("data.alation_table.syn", at("table_type"), knownvalue.StringExact("SYNONYM")),
		statecheck.ExpectKnownValue("data.alation_table.syn", at("partition_columns"), knownvalue.Null()),
	}
	config := func(body ...string) string {
		return c.providerBlock() + tableSync("t", testDS, testSchema, "ORDERS_SYN", body...) +
			tableBlock("syn", "id = alation_table_sync.t.id")
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{Config: config(), ConfigStateChecks: asTable},
			{
				Config:            config(`table_type = "TABLE"`),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionNoop)}},
				ConfigStateChecks: asTable,
			},
			{
				ResourceName: tsAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"last_synced_at"},
			},
		},
	})
	if n := c.fake.SyncCount(testDS, testSchema, "ORDERS_SYN"); n != 1 {
		t.Errorf("%d syncs, want 1", n)
	}
	if got, _ := c.fake.CatalogTable(syn); got.TableType != "SYNONYM" {
		t.Errorf("the catalog now records %q", got.TableType)
	}
}

// A table past Alation's whole-listing cap stays in state through a
// refresh, however the client reads it (by id, or from a listing the cap
// cut short): refresh never takes a table missing from a listing for gone.
func TestAccTableSync_refreshPastTheCatalogLimit(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogueNumbered(1500)
	c.fake.SetCatalogLimit(1000)
	config := c.providerBlock() + tableSync("t", testDS, testSchema, "t1200") + tableSync("early", testDS, testSchema, "t0005")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tsAddr, at("table"), knownvalue.StringExact("t1200")),
					statecheck.ExpectKnownValue("alation_table_sync.early", at("table"), knownvalue.StringExact("t0005")),
				},
			},
		},
	})
	for _, table := range []string{"t1200", "t0005"} {
		if n := c.fake.SyncCount(testDS, testSchema, table); n != 1 {
			t.Errorf("%s: %d syncs, want 1: a refresh that lost it would sync it again", table, n)
		}
	}
}

// A case hint read from one capped page does not claim the schema holds no
// such table in any case: the table's case variant may be past the cap.
func TestAccTableDataSource_hintFromACappedPage(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogueNumbered(1500)
	c.fake.SetCatalogLimit(1000)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: c.providerBlock() + tableBlock("x", byNames(testDS, testSchema, "T1200")...),
			ExpectError: errorMatching("Table Not Found", `No table named "T1200"`, "the first 1000 of its tables",
				"alation.api.catalog.limit", "may exist past them"),
		}},
	})
}
