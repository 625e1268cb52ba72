package provider

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

type jsonDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
}

// actionEvents reads the diagnostics and the action progress messages of
// a CLI's -json output, its machine-readable interface.
func actionEvents(t *testing.T, out string) (diags []jsonDiagnostic, progress []string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var msg struct {
			Type       string          `json:"type"`
			Diagnostic *jsonDiagnostic `json:"diagnostic"`
			Message    string          `json:"@message"`
		}
		if json.Unmarshal(sc.Bytes(), &msg) != nil {
			continue
		}
		switch {
		case msg.Type == "diagnostic" && msg.Diagnostic != nil:
			diags = append(diags, *msg.Diagnostic)
		case msg.Type == "action_progress":
			progress = append(progress, msg.Message)
		}
	}
	return diags, progress
}

// What Terraform 1.16 added to actions, as a pipeline uses it with this
// action: on_failure on action_trigger, actions with for_each and count, and
// -invoke together with -target. The CLI is driven directly, as
// terraform-plugin-testing cannot invoke actions.

const actionsOnFailureVersion = "1.16.0"
const actionsOnFailureWhy = "added on_failure to action_trigger, for_each and count to actions, and -invoke with -target"

// actionPerTable is an action and a DDL stand-in per table, keyed by the
// table's name (for_each) or by position (count).
func actionPerTable(c *testCatalog, repeat string, tables []string, trigger string) string {
	quoted := make([]string, len(tables))
	for i, t := range tables {
		quoted[i] = fmt.Sprintf("%q", t)
	}
	list := "[" + strings.Join(quoted, ", ") + "]"
	name, ref := "each.key", "[each.key]"
	meta := "for_each = toset(" + list + ")"
	if repeat == "count" {
		name, ref = "local.tables[count.index]", "[count.index]"
		meta = "count = length(local.tables)"
	}
	return c.providerBlock() + fmt.Sprintf(`
locals {
  tables = %s
}

action "alation_table_sync" "x" {
  %s
  config {
    datasource_id = %d
    schema        = %q
    table         = %s
  }
}

resource "terraform_data" "table" {
  %s
  input = %s
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.alation_table_sync.x%s]
      %s
    }
  }
}
`, list, meta, testDS, testSchema, name, meta, name, ref, trigger)
}

// on_failure = continue: the apply succeeds, the DDL resource stays in
// state, and the sync's failure is shown once, as a warning; the next plain
// apply does not retry it (nothing changed), -invoke does.
func TestAccTableSyncAction_onFailureContinue(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, actionsOnFailureVersion, actionsOnFailureWhy)
	w.write("main.tf", actionPerTable(c, "for_each", []string{"late"}, "on_failure = continue"))
	w.mustRun("init", "-input=false", "-no-color")
	out := w.mustRun("apply", "-auto-approve", "-input=false", "-no-color", "-json")
	diags, progress := actionEvents(t, out)
	if len(diags) != 1 || diags[0].Severity != "warning" || diags[0].Summary != "Unable to Sync Table" {
		t.Fatalf("diagnostics %+v, want one warning, Unable to Sync Table", diags)
	}
	expectOutput(t, diags[0].Detail, `ds 8, "main.dbo"."late"`, "HTTP 404", "Table not found in data source",
		"trigger the action with after_create and after_update", "-invoke=")
	if strings.Contains(diags[0].Detail, "make this resource depend on") {
		t.Errorf("the action's advice is the resource's:\n%s", diags[0].Detail)
	}
	if len(progress) == 0 {
		t.Fatalf("no action progress in the output:\n%s", out)
	}
	for _, p := range progress {
		if strings.Contains(p, "Table not found") || strings.Contains(p, "HTTP 404") {
			t.Errorf("a progress message repeats the failure, which the diagnostic tells: %q", p)
		}
	}
	if got := w.stateList(); len(got) != 1 || got[0] != `terraform_data.table["late"]` {
		t.Fatalf("state after a continued failure: %q", got)
	}

	c.fake.AddSourceTable(testDS, testSchema, "late", "TABLE")
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if n := c.fake.SyncCount(testDS, testSchema, "late"); n != 0 {
		t.Fatalf("a plain apply with nothing changed synced %d times", n)
	}
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color", `-invoke=action.alation_table_sync.x["late"]`)
	if n := c.fake.SyncCount(testDS, testSchema, "late"); n != 1 {
		t.Fatalf("-invoke after the fix synced %d times, want 1", n)
	}
}

// Without on_failure (halt), the failure fails the apply.
func TestAccTableSyncAction_onFailureHaltFailsTheApply(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, actionsOnFailureVersion, actionsOnFailureWhy)
	w.write("main.tf", actionPerTable(c, "for_each", []string{"late"}, "on_failure = halt"))
	w.mustRun("init", "-input=false", "-no-color")
	out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("the apply succeeded although the sync failed under halt:\n%s", out)
	}
	expectOutput(t, out, "Unable to Sync Table", `ds 8, "main.dbo"."late"`, "HTTP 404")
	if got := w.stateList(); len(got) != 1 {
		t.Fatalf("state after a halted sync: %q, want the DDL resource kept", got)
	}
}

// for_each and count actions, one per table, each synced once by its own
// DDL resource; -invoke with -target syncs one table through its calling
// resource and nothing else.
func TestAccTableSyncAction_repeated(t *testing.T) {
	tables := []string{"foobar", "bazqux"}
	for _, repeat := range []string{"for_each", "count"} {
		t.Run(repeat, func(t *testing.T) {
			c := newTestCatalog(t)
			w := newCLIWorkdir(t, actionsOnFailureVersion, actionsOnFailureWhy)
			w.write("main.tf", actionPerTable(c, repeat, tables, ""))
			w.mustRun("init", "-input=false", "-no-color")
			w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
			for _, table := range tables {
				if n := c.fake.SyncCount(testDS, testSchema, table); n != 1 {
					t.Fatalf("%s synced %d times, want 1", table, n)
				}
			}
			key, target := `["foobar"]`, `terraform_data.table["foobar"]`
			if repeat == "count" {
				key, target = "[0]", "terraform_data.table[0]"
			}
			w.mustRun("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.alation_table_sync.x"+key, "-target="+target)
			if n := c.fake.SyncCount(testDS, testSchema, "foobar"); n != 2 {
				t.Errorf("-invoke with -target synced foobar %d times in all, want 2", n)
			}
			if n := c.fake.SyncCount(testDS, testSchema, "bazqux"); n != 1 {
				t.Errorf("-invoke with -target synced bazqux too: %d times in all, want 1", n)
			}
		})
	}
}
