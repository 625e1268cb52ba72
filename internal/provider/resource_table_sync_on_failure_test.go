package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// expectOwed checks that state records the resource as owing a sync, and
// that nothing it did not learn from Alation is in it.
func expectOwed(neverSynced bool) []statecheck.StateCheck {
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(tsAddr, at("synced"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue(tsAddr, at("table"), knownvalue.StringExact("foobar")),
	}
	if neverSynced {
		for _, name := range []string{"id", "url", "schema_id", "is_view", "last_synced_at", "table_type"} {
			checks = append(checks, statecheck.ExpectKnownValue(tsAddr, at(name), knownvalue.Null()))
		}
	}
	return checks
}

func expectCaughtUp() []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(tsAddr, at("synced"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(tsAddr, at("id"), knownvalue.NotNull()),
		statecheck.ExpectKnownValue(tsAddr, at("last_synced_at"), knownvalue.NotNull()),
	}
}

func expectUpdate() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionUpdate)}}
}

// on_failure = "continue": an outage during create and during update
// leaves the apply green and the resource owing a sync; every plan then
// shows the sync as an in-place update until one succeeds, and a plan with
// nothing owed is empty again.
func TestAccTableSync_onFailureContinue(t *testing.T) {
	c := newTestCatalog(t)
	config := func(triggers string) string {
		return c.providerBlock("max_retries = 0") + tableSync("t", testDS, testSchema, "foobar", `on_failure = "continue"`, `triggers = { v = "`+triggers+`" }`)
	}
	outage := func() { c.fake.QueueFaults(syncPath, alationfake.Fault{Status: 503}) }
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				PreConfig:          outage,
				Config:             config("1"),
				ConfigStateChecks:  expectOwed(true),
				ExpectNonEmptyPlan: true, // the owed sync
			},
			{
				Config:            config("1"),
				ConfigPlanChecks:  expectUpdate(),
				ConfigStateChecks: expectCaughtUp(),
				Check:             c.expectSyncs("foobar", 1),
			},
			{
				PreConfig:          outage,
				Config:             config("2"),
				ConfigStateChecks:  append(expectOwed(false), statecheck.ExpectKnownValue(tsAddr, at("id"), knownvalue.NotNull())),
				ExpectNonEmptyPlan: true,
			},
			{
				Config:            config("2"),
				ConfigPlanChecks:  expectUpdate(),
				ConfigStateChecks: expectCaughtUp(),
				Check:             c.expectSyncs("foobar", 2),
			},
		},
	})
	if n := c.fake.RequestCount("POST", syncPath); n != 4 {
		t.Errorf("sync requests = %d, want 4: two that failed, two that caught up", n)
	}
}

// A resource whose create sync was postponed has no catalog id: its
// refresh sends nothing.
func TestAccTableSync_onFailureOwedRefreshIsFree(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.QueueFaults(syncPath, alationfake.Fault{Status: 503})
	config := c.providerBlock("max_retries = 0", `default_on_failure = "continue"`) + tableSync("t", testDS, testSchema, "foobar")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: expectOwed(true), ExpectNonEmptyPlan: true},
			{
				PreConfig:    func() { c.fake.ResetLog() },
				RefreshState: true, ExpectNonEmptyPlan: true,
				Check: func(*terraform.State) error {
					for _, r := range c.fake.Requests() {
						if strings.Contains(r.Path, "/table") {
							return fmt.Errorf("the refresh of an owed sync sent %s %s", r.Method, r.Path)
						}
					}
					return nil
				},
			},
		},
	})
}

// What no retry heals stays an error under continue: here a table_type
// that contradicts the catalog.
func TestAccTableSync_onFailureContinueKeepsConfigurationErrors(t *testing.T) {
	c := newTestCatalog(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      c.providerBlock() + tableSync("t", testDS, testSchema, "foobar_v", `on_failure = "continue"`, `table_type = "TABLE"`),
			ExpectError: errorMatching("Table Type Does Not Match the Catalog", "foobar_v"),
		}},
	})
}

// halt, the default, and an explicit halt under a provider default of
// continue, both fail the apply and keep nothing.
func TestAccTableSync_onFailureHalt(t *testing.T) {
	c := newTestCatalog(t)
	for name, config := range map[string]string{
		"default":                 c.providerBlock("max_retries = 0") + tableSync("t", testDS, testSchema, "foobar"),
		"explicit over a default": c.providerBlock("max_retries = 0", `default_on_failure = "continue"`) + tableSync("t", testDS, testSchema, "foobar", `on_failure = "halt"`),
	} {
		t.Run(name, func(t *testing.T) {
			c.fake.QueueFaults(syncPath, alationfake.Fault{Status: 503})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps:                    []resource.TestStep{{Config: config, ExpectError: errorMatching("Unable to Sync Table", "ds 8, \"main.dbo\".\"foobar\"", "HTTP 503")}},
			})
		})
	}
}

// Bad values are refused before any request.
func TestAccTableSync_onFailureValidation(t *testing.T) {
	c := newTestCatalog(t)
	for name, config := range map[string]string{
		"resource": c.providerBlock() + tableSync("t", testDS, testSchema, "foobar", `on_failure = "ignore"`),
		"provider": c.providerBlock(`default_on_failure = "taint"`) + tableSync("t", testDS, testSchema, "foobar"),
	} {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps:                    []resource.TestStep{{Config: config, ExpectError: regexp.MustCompile(`(?s)on_failure.*value must be one of`)}},
			})
		})
	}
	if n := len(c.fake.Requests()); n != 0 {
		t.Errorf("the emulator saw %d requests; validation must come first", n)
	}
}

func TestDefaultOnFailure_environment(t *testing.T) {
	for env, want := range map[string]string{"": "", "continue": "continue", "halt": "halt", "later": "error"} {
		got, diags := providerModel{}.defaultOnFailure(func(string) string { return env })
		if diags.HasError() {
			got = "error"
		}
		if got != want {
			t.Errorf("ALATION_DEFAULT_ON_FAILURE=%q gives %q, want %q (%v)", env, got, want, diags)
		}
	}
}

// Through the CLI, as a pipeline sees it: the apply after a failed sync is
// green with one warning naming the table and the cause; with refused
// credentials the warning says so, and the plan that follows the fix shows
// the sync.
func TestAccTableSync_onFailureContinueThroughCLI(t *testing.T) {
	c := newTestCatalog(t)
	good := c.token
	c.token = "revoked-token"
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
	w.write("main.tf", c.providerBlock(`default_on_failure = "continue"`)+tableSync("t", testDS, testSchema, "foobar"))
	w.mustRun("init", "-input=false", "-no-color")
	out := w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	expectOutput(t, out, "Table Not Synced Yet", "ds 8, \"main.dbo\".\"foobar\"", "HTTP 403", `on_failure = "continue"`, "synced = false")
	if n := strings.Count(out, "Table Not Synced Yet"); n != 1 {
		t.Errorf("the warning appears %d times, want once:\n%s", n, out)
	}
	if strings.Contains(out, "revoked-token") {
		t.Fatalf("the token is in the output:\n%s", out)
	}
	c.token = good
	w.write("main.tf", c.providerBlock(`default_on_failure = "continue"`)+tableSync("t", testDS, testSchema, "foobar"))
	w.mustRun("plan", "-input=false", "-no-color", "-out=owed.tfplan")
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(w.mustRun("show", "-json", "owed.tfplan")), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.ResourceChanges) != 1 || strings.Join(plan.ResourceChanges[0].Change.Actions, ",") != "update" {
		t.Fatalf("the plan after the fix: %+v, want one update", plan.ResourceChanges)
	}
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color", "owed.tfplan")
	if v := w.resourceValues(tsAddr); v["synced"] != true || v["id"] == nil {
		t.Fatalf("state after catching up: %v", v)
	}
	if n := c.fake.SyncCount(testDS, testSchema, "foobar"); n != 1 {
		t.Errorf("Alation synced foobar %d times, want 1", n)
	}
}
