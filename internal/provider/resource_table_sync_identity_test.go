package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Terraform 1.12 added resource identities (stored in state, and import
// blocks that name one). Older CLIs send none, yet the provider must still
// return one after every operation: the other tests cover that on them.
var identityCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

func expectTableIdentity(addr string, ds int, schema, table string) statecheck.StateCheck {
	return statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
		"datasource_id": knownvalue.Int64Exact(int64(ds)),
		"schema":        knownvalue.StringExact(schema),
		"table":         knownvalue.StringExact(table),
	})
}

// A synced table's identity is its data source, schema and name, and an
// import block with that identity adopts it with an empty plan.
func TestAccTableSync_identity(t *testing.T) {
	c := newTestCatalog(t)
	config := c.providerBlock() + tableSync("t", testDS, testSchema, "Orders")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		TerraformVersionChecks:   identityCLIs,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{expectTableIdentity(tsAddr, testDS, testSchema, "Orders")}},
			{
				Config: config, ResourceName: tsAddr, ImportState: true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config: config, ResourceName: tsAddr, ImportState: true,
				ImportStateKind: resource.ImportBlockWithID, ImportStateId: fmt.Sprintf("%d/%s/Orders", testDS, testSchema),
			},
		},
	})
	if got := c.fake.SyncCount(testDS, testSchema, "Orders"); got != 1 {
		t.Errorf("syncs = %d, want 1: import must never sync", got)
	}
}

// adoptByIdentity is a configuration that adopts a catalogued table with an
// import block naming its identity.
func (c *testCatalog) adoptByIdentity(table string) string {
	return c.providerBlock() + tableSync("t", testDS, testSchema, table) + fmt.Sprintf(`
import {
  to       = alation_table_sync.t
  identity = {
    datasource_id = %d
    schema        = %q
    table         = %q
  }
}
`, testDS, testSchema, table)
}

// A table Alation already catalogues is adopted by identity without a sync,
// and the plan after it is empty; one it does not catalogue is refused.
func TestAccTableSync_importByIdentityNeverSyncs(t *testing.T) {
	c := newTestCatalog(t)
	id := c.fake.AddCatalogTable(testDS, testSchema, "Orders", "TABLE")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		TerraformVersionChecks:   identityCLIs,
		Steps: []resource.TestStep{
			{
				Config: c.adoptByIdentity("Orders"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tsAddr, at("id"), knownvalue.Int64Exact(id)),
					expectTableIdentity(tsAddr, testDS, testSchema, "Orders"),
				},
				Check: c.expectSyncs("Orders", 0),
			},
			{Config: c.adoptByIdentity("Orders"), PlanOnly: true},
		},
	})
	c2 := newTestCatalog(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		TerraformVersionChecks:   identityCLIs,
		Steps: []resource.TestStep{{
			Config:      c2.adoptByIdentity("orders"),
			ExpectError: errorMatching("Cannot Import Table", fmt.Sprintf("%d/%s/orders", testDS, testSchema), "never syncs"),
		}},
	})
	if got := c2.fake.SyncCount(testDS, testSchema, "orders"); got != 0 {
		t.Errorf("syncs = %d, want 0", got)
	}
}

// plan -generate-config-out writes the configuration of an imported table.
// Terraform 1.5.7 crashed doing it while the resource had a computed-only
// nested attribute (custom_fields, removed with the lean state); none is
// left, and this keeps it so on every CLI of the matrix.
func TestAccTableSync_generateConfigOut(t *testing.T) {
	c := newTestCatalog(t)
	id := c.fake.AddCatalogTable(testDS, testSchema, "Orders", "TABLE")
	w := newCLIWorkdir(t, "1.5.0", "added import blocks and -generate-config-out")
	w.write("main.tf", c.providerBlock()+fmt.Sprintf("import {\n  to = %s\n  id = \"%d\"\n}\n", tsAddr, id))
	w.mustRun("init", "-input=false", "-no-color")
	w.mustRun("plan", "-input=false", "-no-color", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(w.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	expectOutput(t, string(generated), `resource "alation_table_sync" "t"`, "datasource_id", "8", "schema", testSchema, "table", "Orders")
	w.mustRun("apply", "-input=false", "-no-color", "-auto-approve")
	w.mustRun("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if n := c.fake.SyncCount(testDS, testSchema, "Orders"); n != 0 {
		t.Errorf("%d syncs, want 0", n)
	}
}
