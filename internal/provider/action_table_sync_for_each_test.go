package provider

import (
	"fmt"
	"testing"
)

// The docs' for_each action (examples/actions/alation_table_sync/for-each.tf),
// terraform_data in the place of the DDL resource: each table triggers its
// own instance of the action, configured with each.key, which Terraform
// 1.16 added to actions.
func TestAccTableSyncAction_forEachExample(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, "1.16.0", "added each.key and count.index in action configuration")
	config := c.providerBlock() + fmt.Sprintf(`
variable "marts" {
  type    = map(map(string))
  default = { foobar = { ID = "int" }, bazqux = { ID = "int", NAME = "text" } }
}

action "alation_table_sync" "marts" {
  for_each = var.marts
  config {
    datasource_id = %d
    schema        = %q
    table         = each.key
  }
}

resource "terraform_data" "marts" {
  for_each = var.marts
  input    = each.value

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.alation_table_sync.marts[each.key]]
    }
  }
}
`, testDS, testSchema)
	w.write("main.tf", config)
	w.mustRun("init", "-input=false", "-no-color")
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	for table, want := range map[string]int{"foobar": 1, "bazqux": 1, "Orders": 0} {
		if got := c.fake.SyncCount(testDS, testSchema, table); got != want {
			t.Errorf("%s synced %d times, want %d", table, got, want)
		}
	}
}
