package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// Actions and action_trigger arrived in Terraform 1.14: older CLIs (and
// OpenTofu, which reports its own 1.12) reject the configuration, so these
// tests skip there.
var actionCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// ddlWithAction is a stand-in for a DDL resource (terraform_data, whose
// input plays the table's columns) whose lifecycle triggers the
// alation_table_sync action after it is created or updated.
func (c *testCatalog) ddlWithAction(ds int, schema, table, columns string, actionLines ...string) string {
	return c.providerBlock() + fmt.Sprintf(`
action "alation_table_sync" "x" {
  config {
    datasource_id = %d
    schema        = %q
    table         = %q
    %s
  }
}

resource "terraform_data" "table" {
  input = %q
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.alation_table_sync.x]
    }
  }
}
`, ds, schema, table, strings.Join(actionLines, "\n    "), columns)
}

// The action syncs once per create or update of the DDL resource, and never
// on a plan, a no-change apply or a destroy.
func TestAccTableSyncAction_syncsAfterCreateAndUpdateOnly(t *testing.T) {
	c := newTestCatalog(t)
	v1 := c.ddlWithAction(testDS, testSchema, "foobar", "id int")
	v2 := c.ddlWithAction(testDS, testSchema, "foobar", "id int, name text")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		TerraformVersionChecks:   actionCLIs,
		Steps: []resource.TestStep{
			{Config: v1, Check: c.expectSyncs("foobar", 1)},
			{Config: v1, Check: c.expectSyncs("foobar", 1)}, // no change: no sync
			{Config: v2, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				PreConfig: func() {
					if got := c.fake.SyncCount(testDS, testSchema, "foobar"); got != 1 {
						t.Errorf("a plan synced: %d syncs, want 1", got)
					}
				},
				Config: v2,
				Check:  c.expectSyncs("foobar", 2),
			},
		},
		CheckDestroy: func(*terraform.State) error { return c.expectSyncs("foobar", 2)(nil) },
	})
}

// Options reach Alation as the resource sends them: table_type, and
// wait_for_table_timeout syncing again while the table is not in the source.
func TestAccTableSyncAction_viewAndWaitForTable(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.QueueFaults("/api/v1/table/sync/", alationfake.Fault{Status: 404, Body: `{"detail":"Table not found in data source.","code":"404000"}`})
	config := c.ddlWithAction(testDS, testSchema, "foobar_v", "v", `table_type = "VIEW"`, `wait_for_table_timeout = "30s"`, `timeout = "1m"`)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		TerraformVersionChecks:   actionCLIs,
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				if n := c.fake.RequestCount("POST", "/api/v1/table/sync/"); n != 2 {
					return fmt.Errorf("%d sync requests, want 2 (a 404, then the sync)", n)
				}
				for _, r := range c.fake.Requests() {
					if r.Path == "/api/v1/table/sync/" && !strings.Contains(r.Body, `"table_type":"VIEW"`) {
						return fmt.Errorf("sync body %s has no VIEW table_type", r.Body)
					}
				}
				return nil
			},
		}},
	})
}

// Every error of the reference table gives the resource's diagnostic, and
// fails the apply that triggered the action.
func TestAccTableSyncAction_errors(t *testing.T) {
	for _, tc := range referenceSyncErrors() {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestCatalog(t)
			ds, schema, table := tc.setup(c)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				TerraformVersionChecks:   actionCLIs,
				Steps: []resource.TestStep{{
					Config:      c.ddlWithAction(ds, schema, table, "id int"),
					ExpectError: tc.wantDiagnostic(ds, schema, table),
				}},
			})
		})
	}
}

// Bad configuration is refused before any request, with the resource's
// validation.
func TestAccTableSyncAction_validatesBeforeAnyRequest(t *testing.T) {
	cases := map[string]struct {
		ds    int
		lines []string
		want  string
	}{
		"datasource_id below 1":  {ds: 0, want: "at least 1"},
		"table_type":             {ds: testDS, lines: []string{`table_type = "TABEL"`}, want: "TABLE"},
		"wait_for_table_timeout": {ds: testDS, lines: []string{`wait_for_table_timeout = "forever"`}, want: "must be a duration"},
		"timeout":                {ds: testDS, lines: []string{`timeout = "0s"`}, want: "must be a duration"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := newTestCatalog(t)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				TerraformVersionChecks:   actionCLIs,
				Steps: []resource.TestStep{{
					Config:      c.ddlWithAction(tc.ds, testSchema, "foobar", "id int", tc.lines...),
					ExpectError: regexp.MustCompile(regexp.QuoteMeta(tc.want)),
				}},
			})
			if n := len(c.fake.Requests()); n != 0 {
				t.Fatalf("%d requests reached Alation, want none", n)
			}
		})
	}
}

// `terraform apply -invoke` syncs once, outside any resource's lifecycle,
// and shows a person what it does: the table, each retry with its reason
// and wait, and the result. terraform-plugin-testing cannot invoke actions
// yet, so this drives the CLI directly.
func TestAccTableSyncAction_invoke(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, "1.14.0", "added actions and -invoke")
	w.write("main.tf", c.ddlWithAction(testDS, testSchema, "foobar", "id int"))
	w.mustRun("init", "-input=false", "-no-color")
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if got := c.fake.SyncCount(testDS, testSchema, "foobar"); got != 1 {
		t.Fatalf("after create: %d syncs, want 1", got)
	}

	c.fake.QueueFaults("/api/v1/table/sync/", alationfake.Fault{Status: 503})
	out := w.mustRun("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.alation_table_sync.x")
	if got := c.fake.SyncCount(testDS, testSchema, "foobar"); got != 2 {
		t.Fatalf("after -invoke: %d syncs, want 2\n%s", got, out)
	}
	expectOutput(t, out,
		"Syncing table ds 8, \"main.dbo\".\"foobar\" into the Alation catalog",
		"Attempt 1 for table ds 8, \"main.dbo\".\"foobar\" failed with HTTP 503; trying again in",
		"Synced table ds 8, \"main.dbo\".\"foobar\": catalog id 17000, page "+c.url+"/table/17000/")

	// A failing invoke is the resource's diagnostic, and the command fails.
	w.write("main.tf", c.ddlWithAction(testDS, testSchema, "missing", "id int"))
	out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.alation_table_sync.x")
	if err == nil {
		t.Fatalf("-invoke of a missing table succeeded:\n%s", out)
	}
	expectOutput(t, out, "Unable to Sync Table", "ds 8, \"main.dbo\".\"missing\"", "HTTP 404", "Table not found in data source")
}
