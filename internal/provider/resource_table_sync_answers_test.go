package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// Sync answers that say less than Alation documents: what is missing is
// read back by id, once, or left null; never invented.

const tableReads = "/integration/v2/table/"

// A thin answer ({"id": N}) costs one read by id, which fills in state; a
// full answer costs none.
func TestAccTableSync_thinAnswerIsReadBack(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
	w.write("main.tf", c.providerBlock()+tableSync("full", testDS, testSchema, "foobar"))
	w.mustRun("init", "-input=false", "-no-color")
	c.fake.ResetLog()
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if n := c.fake.RequestCount("GET", tableReads); n != 0 {
		t.Errorf("a full answer cost %d reads, want 0", n)
	}

	c.fake.SetSyncAnswer(alationfake.SyncAnswerIDOnly)
	w.write("main.tf", c.providerBlock()+tableSync("full", testDS, testSchema, "foobar")+tableSync("thin", testDS, testSchema, viewName))
	c.fake.ResetLog()
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color", "-refresh=false")
	if n := c.fake.RequestCount("GET", tableReads); n != 1 {
		t.Errorf("a thin answer cost %d reads, want 1", n)
	}
	v := w.resourceValues("alation_table_sync.thin")
	entry, _ := c.fake.CatalogTable(17001)
	if entry.Name != viewName || v["id"] != float64(17001) || v["url"] != c.url+"/table/17001/" ||
		v["schema_id"] != float64(entry.SchemaID) || v["is_view"] != true || v["table_type"] != "VIEW" {
		t.Fatalf("state %v; the catalog has %+v", v, entry)
	}
	w.mustRun("plan", "-detailed-exitcode", "-input=false", "-no-color") // exit code 2 would be a change
}

// When the read back cannot tell either, state holds null for what
// Alation did not say, not "" or 0; the next refresh fills it in.
func TestAccTableSync_thinAnswerUnreadIsNull(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.SetSyncAnswer(alationfake.SyncAnswerIDOnly)
	config := c.providerBlock() + tableSync("t", testDS, testSchema, "foobar")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { c.fake.QueueFaults(tableReads, alationfake.Fault{Status: 200, Body: "[]"}) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tsAddr, at("id"), knownvalue.Int64Exact(17000)),
					statecheck.ExpectKnownValue(tsAddr, at("url"), knownvalue.Null()),
					statecheck.ExpectKnownValue(tsAddr, at("schema_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(tsAddr, at("is_view"), knownvalue.Null()),
					statecheck.ExpectKnownValue(tsAddr, at("table_type"), knownvalue.Null()),
				},
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tsAddr, at("url"), knownvalue.StringExact(c.url+"/table/17000/")),
					statecheck.ExpectKnownValue(tsAddr, at("is_view"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(tsAddr, at("table_type"), knownvalue.StringExact("TABLE")),
				},
			},
		},
	})
}

// An answer without a usable id is an error that quotes Alation's answer:
// its status, its content type and the start of its body.
func TestAccTableSync_answerWithoutID(t *testing.T) {
	for name, shape := range map[string]alationfake.SyncAnswer{"no id": alationfake.SyncAnswerNoID, "id 0": alationfake.SyncAnswerZeroID} {
		t.Run(name, func(t *testing.T) {
			c := newTestCatalog(t)
			c.fake.SetSyncAnswer(shape)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: c.providerBlock() + tableSync("t", testDS, testSchema, "foobar"),
					ExpectError: errorMatching("Unable to Sync Table", "ds 8, \"main.dbo\".\"foobar\"", "HTTP 201",
						`"application/json"`, `\"name\":\"foobar\"`, "no usable table id"),
				}},
			})
		})
	}
}

// An answer that names the table otherwise than the configuration (an
// Alation that matched the name loosely) is an error at once: a refresh,
// comparing names exactly, would drop the resource every time.
func TestAccTableSync_answerNamesAnotherSpelling(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.QueueFaults("/api/v1/table/sync/", alationfake.Fault{Status: 201, Body: `{"id": 17000, "url": "/table/17000/", ` +
		`"name": "FOOBAR", "schema_name": "main.dbo", "ds_id": 8, "is_view": false, "schema_id": 700}`})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      c.providerBlock() + tableSync("t", testDS, testSchema, "foobar"),
			ExpectError: errorMatching("Table Catalogued Under Another Name", "ds 8, \"main.dbo\".\"foobar\"", "as ds 8, \"main.dbo\".\"FOOBAR\"", "exactly"),
		}},
	})
}
