package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// A catalog rebuilt under the same ids (the emulator restarted, base_url
// pointed from staging to production) gives the id a state recorded to
// another table. The refresh must not take that table for the resource's
// own: the resource's table is no longer catalogued under the id, as if
// removed, and the next apply syncs it again.

// rebuildSoIDNamesAView catalogues afresh a view of another data source
// first, so that it takes the id foobar had (17000), then foobar (17001).
func rebuildSoIDNamesAView(c *testCatalog) {
	c.fake.AddDataSource(alationfakeDataSource(14))
	c.fake.RebuildCatalog(
		alationfake.CatalogEntry{DSID: 14, Schema: "main.sales", Table: "v_orders", TableType: "VIEW"},
		alationfake.CatalogEntry{DSID: testDS, Schema: testSchema, Table: "foobar", TableType: "TABLE"},
	)
}

// ownEntry checks that state describes foobar's own catalog entry, 17001
// after rebuildSoIDNamesAView.
func ownEntry(c *testCatalog) []statecheck.StateCheck {
	entry, _ := c.fake.CatalogTable(17001)
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(tsAddr, at("id"), knownvalue.Int64Exact(17001)),
		statecheck.ExpectKnownValue(tsAddr, at("url"), knownvalue.StringExact(c.url+"/table/17001/")),
		statecheck.ExpectKnownValue(tsAddr, at("schema_id"), knownvalue.Int64Func(func(v int64) error {
			if entry, _ = c.fake.CatalogTable(17001); v != entry.SchemaID || entry.Name != "foobar" {
				return fmt.Errorf("schema_id %d; the catalog has %+v", v, entry)
			}
			return nil
		})),
		statecheck.ExpectKnownValue(tsAddr, at("is_view"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue(tsAddr, at("table_type"), knownvalue.StringExact("TABLE")),
	}
}

func TestAccTableSync_rebuiltCatalogSyncsAgain(t *testing.T) {
	for name, ddl := range map[string][2]string{
		"same configuration": {"create table foobar", "create table foobar"},
		"triggers change":    {"create table foobar", "alter table foobar add b int"},
	} {
		t.Run(name, func(t *testing.T) {
			c := newTestCatalog(t)
			config := func(ddl string) string {
				return c.providerBlock() + tableSync("t", testDS, testSchema, "foobar", fmt.Sprintf("triggers = { ddl = %q }", ddl))
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{
					{Config: config(ddl[0]), Check: c.expectSyncs("foobar", 1)},
					{
						PreConfig: func() { rebuildSoIDNamesAView(c) },
						Config:    config(ddl[1]),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionCreate),
						}},
						ConfigStateChecks: ownEntry(c),
						Check:             c.expectSyncs("foobar", 2),
					},
					{Config: config(ddl[1]), PlanOnly: true},
				},
			})
		})
	}
}

// Without a refresh (-refresh=false, or a plan saved before the rebuild),
// the re-sync of a triggers change meets another entry than the plan
// expected: a diagnostic that says what changed and what to run, and the
// state kept; the apply it suggests then succeeds.
func TestAccTableSync_rebuiltCatalogWithoutRefresh(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
	config := func(ddl string) {
		w.write("main.tf", c.providerBlock()+tableSync("t", testDS, testSchema, "foobar", fmt.Sprintf("triggers = { ddl = %q }", ddl)))
	}
	config("create table foobar")
	w.mustRun("init", "-input=false", "-no-color")
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	rebuildSoIDNamesAView(c)

	config("alter table foobar add b int")
	out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color", "-refresh=false")
	if err == nil {
		t.Fatalf("apply -refresh=false after the rebuild succeeded:\n%s", out)
	}
	expectOutput(t, out, "Catalog Entry Changed", "ds 8, \"main.dbo\".\"foobar\"", "id 17001 (recorded 17000)",
		"url", "/table/17001/", "(recorded", "/table/17000/", "without -refresh=false")
	if v := w.resourceValues(tsAddr); v == nil || v["id"] != float64(17000) || fmt.Sprint(v["triggers"]) != "map[ddl:create table foobar]" {
		t.Fatalf("state after the failed apply: %v; want the prior state", v)
	}

	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	v := w.resourceValues(tsAddr)
	entry, _ := c.fake.CatalogTable(17001)
	if v["id"] != float64(17001) || v["url"] != c.url+"/table/17001/" || v["schema_id"] != float64(entry.SchemaID) ||
		v["is_view"] != false || v["table_type"] != "TABLE" || entry.Name != "foobar" {
		t.Fatalf("state %v; the catalog has %+v", v, entry)
	}
	w.mustRun("plan", "-detailed-exitcode", "-input=false", "-no-color") // exit code 2 would be a change
}
