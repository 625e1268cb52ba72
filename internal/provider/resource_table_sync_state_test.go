package provider

import (
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// A triggers change re-syncs in place, and the plan shows as unknown only
// what the sync changes: last_synced_at. A timeouts change shows nothing
// unknown at all.
func TestAccTableSync_triggersPlanOnlyWhatChanges(t *testing.T) {
	c := newTestCatalog(t)
	config := func(ddl string, extra ...string) string {
		return c.providerBlock() + tableSync("t", testDS, testSchema, "foobar", append([]string{`triggers = { ddl = "` + ddl + `" }`}, extra...)...)
	}
	kept := func(lastSynced plancheck.PlanCheck) []plancheck.PlanCheck {
		checks := []plancheck.PlanCheck{plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionUpdate), lastSynced}
		for _, name := range []string{"id", "url", "schema_id", "is_view", "table_type"} {
			checks = append(checks, plancheck.ExpectKnownValue(tsAddr, at(name), knownvalue.NotNull()))
		}
		return checks
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{Config: config("v1")},
			{
				Config:           config("v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: kept(plancheck.ExpectUnknownValue(tsAddr, at("last_synced_at")))},
				Check:            c.expectSyncs("foobar", 2),
			},
			{
				Config:           config("v2", `timeouts = { create = "3m" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: kept(plancheck.ExpectKnownValue(tsAddr, at("last_synced_at"), knownvalue.NotNull()))},
				Check:            c.expectSyncs("foobar", 2),
			},
		},
	})
}

// A state written by provider 0.1.0, with the catalog-content attributes
// this version no longer keeps (title, description, custom_fields, ...),
// loads without an error, a diff or a sync, and the next apply rewrites it
// without them. testdata/state-0.1.0.tfstate came from 0.1.0 applying the
// configuration below against the emulator's demo seed.
func TestAccTableSync_stateFrom010LoadsWithEmptyPlan(t *testing.T) {
	fake, url := alationfake.NewTestServer(t)
	token := fake.SeedDemo()
	// The tables 0.1.0 synced, with the ids it recorded.
	fake.AddCatalogTable(8, "ANALYTICS.PUBLIC", "ORDERS", "TABLE")
	fake.AddCatalogTable(8, "ANALYTICS.PUBLIC", "CUSTOMERS", "VIEW")
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")

	state, err := os.ReadFile("testdata/state-0.1.0.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	fixture := strings.NewReplacer("BASE_URL", url, "registry.terraform.io/alation-community/alation", providerAddressForCLI()).Replace(string(state))
	w.write("terraform.tfstate", fixture)
	w.write("main.tf", `
provider "alation" {
  base_url         = "`+url+`"
  api_access_token = "`+token+`"
}

resource "alation_table_sync" "orders" {
  datasource_id          = 8
  schema                 = "ANALYTICS.PUBLIC"
  table                  = "ORDERS"
  triggers               = { ddl = "create table ORDERS (ID number)" }
  wait_for_table_timeout = "30s"
  timeouts               = { create = "5m" }
}

resource "alation_table_sync" "customers" {
  datasource_id = 8
  schema        = "ANALYTICS.PUBLIC"
  table         = "CUSTOMERS"
  table_type    = "VIEW"
  depends_on    = [alation_table_sync.orders]
}

resource "alation_table_sync" "order_items" {
  datasource_id = 8
  schema        = "ANALYTICS.PUBLIC"
  table         = "ORDER_ITEMS"
}
`)
	w.mustRun("init", "-input=false", "-no-color")
	w.mustRun("plan", "-input=false", "-no-color", "-detailed-exitcode") // exit 2 would mean a diff
	out := w.mustRun("apply", "-input=false", "-no-color", "-auto-approve")
	expectOutput(t, out, "0 added, 0 changed, 0 destroyed")
	for _, table := range []string{"ORDERS", "CUSTOMERS", "ORDER_ITEMS"} {
		if n := fake.SyncCount(8, "ANALYTICS.PUBLIC", table); n != 0 {
			t.Errorf("%s synced %d times, want 0", table, n)
		}
	}
	written, err := os.ReadFile(w.dir + "/terraform.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{`"title"`, `"custom_fields"`, `"db_comment"`, `"schema_name"`} {
		if strings.Contains(string(written), gone) {
			t.Errorf("the state still has %s after an apply:\n%s", gone, written)
		}
	}
}
