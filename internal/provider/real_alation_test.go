package provider

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The TestRealAlation tests run the resource's flows against a real Alation
// instance. They run only with TF_ACC=1 (make testacc) and need:
//
//	ALATION_BASE_URL and one auth mode's ALATION_* variables
//	ALATION_TEST_DATASOURCE_ID, ALATION_TEST_SCHEMA, ALATION_TEST_TABLE:
//	    an existing table the credentials' admin user may sync
//	ALATION_TEST_TABLE_TYPE (optional): TABLE or VIEW
//
// Syncing is idempotent and destroy makes no API call, so they leave the
// catalog as they found it, apart from a fresh sync of that table.

func realAlationFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"alation": withNoError(protocolServer(&AlationProvider{version: "acctest"})),
	}
}

type realTable struct {
	ds                 int
	schema, table, typ string
}

// realAlation skips without TF_ACC and fails loudly when TF_ACC is set but
// the instance is not described.
func realAlation(t *testing.T) realTable {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("set TF_ACC=1 and the ALATION_* variables (see real_alation_test.go) to test against a real Alation")
	}
	for _, k := range []string{"ALATION_BASE_URL", "ALATION_TEST_DATASOURCE_ID", "ALATION_TEST_SCHEMA", "ALATION_TEST_TABLE"} {
		if os.Getenv(k) == "" {
			t.Fatalf("%s must be set for tests against a real Alation (see real_alation_test.go)", k)
		}
	}
	ds, err := strconv.Atoi(os.Getenv("ALATION_TEST_DATASOURCE_ID"))
	if err != nil {
		t.Fatalf("ALATION_TEST_DATASOURCE_ID must be a number: %v", err)
	}
	typ := os.Getenv("ALATION_TEST_TABLE_TYPE")
	if typ == "" {
		typ = "TABLE"
	}
	return realTable{ds, os.Getenv("ALATION_TEST_SCHEMA"), os.Getenv("ALATION_TEST_TABLE"), typ}
}

func TestRealAlation_tableSync(t *testing.T) {
	tbl := realAlation(t)
	config := func(trigger string) string {
		return tableSync("t", tbl.ds, tbl.schema, tbl.table, fmt.Sprintf("table_type = %q", tbl.typ), fmt.Sprintf("triggers = { run = %q }", trigger))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: realAlationFactories(),
		Steps: []resource.TestStep{
			{
				Config: config("1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tsAddr, at("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(tsAddr, at("name"), knownvalue.StringExact(tbl.table)),
				},
			},
			{Config: config("1"), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{Config: config("2"), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionUpdate)}}},
			{ResourceName: tsAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"triggers", "last_synced_at", "db_comment", "synonyms", "custom_fields"}},
		},
	})
}

func TestRealAlation_tableNotFound(t *testing.T) {
	tbl := realAlation(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: realAlationFactories(),
		Steps: []resource.TestStep{{
			Config:      tableSync("t", tbl.ds, tbl.schema, "terraform_provider_alation_no_such_table"),
			ExpectError: errorMatching("Unable to Sync Table", "HTTP 404"),
		}},
	})
}
