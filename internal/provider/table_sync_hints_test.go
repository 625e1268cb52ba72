package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// syncClient is the API client as the provider configures it, against the
// emulator, with short retry waits.
func syncClient(t *testing.T, c *testCatalog, creds alation.Credentials) *alation.Client {
	t.Helper()
	client, err := alation.New(alation.Config{BaseURL: c.url, Credentials: creds, RetryWaitMin: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// syncDetail runs the shared sync and returns its error diagnostic's
// detail, failing the test if the sync succeeded.
func syncDetail(t *testing.T, client *alation.Client, s syncRequest) string {
	t.Helper()
	if _, diags, _ := syncTable(t.Context(), client, s); len(diags) == 1 {
		return diags[0].Detail()
	}
	t.Fatalf("the sync of %s did not fail with one diagnostic", s.input)
	return ""
}

func expectAbsent(t *testing.T, detail string, absent ...string) {
	t.Helper()
	for _, s := range absent {
		if strings.Contains(detail, s) {
			t.Errorf("the diagnostic says %q, which does not fit the failure:\n%s", s, detail)
		}
	}
}

// After Alation's "table not found", the sync looks once for the name in
// another case and names what it finds; a sync that succeeds looks for
// nothing.
func TestSyncTable_namesCaseVariant(t *testing.T) {
	c := newTestCatalog(t)
	id := c.fake.AddCatalogTable(testDS, testSchema, "Orders", "TABLE")
	client := syncClient(t, c, alation.Credentials{AccessToken: c.token})
	in := alation.SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "orders"}
	detail := syncDetail(t, client, syncRequest{input: in, op: "create"})
	if !errorMatching("HTTP 404", "Table not found", fmt.Sprintf(`The catalog has "Orders" (id %d) in schema "main.dbo" of data source 8`, id),
		`differs from "orders" only in case`).MatchString(detail) {
		t.Fatalf("detail:\n%s", detail)
	}
	if n := c.fake.RequestCount("GET", "/integration/v2/table/"); n != 1 {
		t.Errorf("%d look-ups after the 404, want one", n)
	}
	c.fake.ResetLog()
	if _, diags, _ := syncTable(t.Context(), client, syncRequest{input: alation.SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "Orders"}, op: "create"}); diags.HasError() {
		t.Fatal(diags)
	}
	if n := len(c.fake.Requests()); n != 1 {
		t.Errorf("a successful sync made %d requests, want the sync alone", n)
	}
}

// A wait_for_table_timeout that ran out is not answered with "set
// wait_for_table_timeout": the name comes first.
func TestSyncTable_waitRanOutAdvice(t *testing.T) {
	c := newTestCatalog(t)
	client := syncClient(t, c, alation.Credentials{AccessToken: c.token})
	in := alation.SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "never_created"}
	detail := syncDetail(t, client, syncRequest{input: in, waitForTable: 20 * time.Millisecond, op: "create"})
	if !errorMatching("never appeared in the data source", "HTTP 404", "Check the table name", "Raise wait_for_table_timeout only if", "more than 20ms").MatchString(detail) {
		t.Fatalf("detail:\n%s", detail)
	}
	expectAbsent(t, detail, "set wait_for_table_timeout")
}

// A refused OAuth client secret gets advice about the OAuth client, not
// about an api_access_token, when the sync itself meets it (the provider's
// check off, or the secret revoked mid-run).
func TestSyncTable_oauthRefusalAdvice(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddOAuthClient("pipeline", "the-right-secret", 1)
	client := syncClient(t, c, alation.Credentials{ClientID: "pipeline", ClientSecret: "a-rotated-secret"})
	detail := syncDetail(t, client, syncRequest{input: alation.SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "foobar"}, op: "create"})
	if !errorMatching("HTTP 401", "Client authentication failed", "while minting an access token", "did not accept the OAuth client", "client_secret").MatchString(detail) {
		t.Fatalf("detail:\n%s", detail)
	}
	expectAbsent(t, detail, "api_access_token", "24 hours")
}

// caseVariantCatalog has "Orders" catalogued, and the diagnostic a sync of
// "orders" must give.
func caseVariantCatalog(t *testing.T) (*testCatalog, *regexp.Regexp) {
	c := newTestCatalog(t)
	id := c.fake.AddCatalogTable(testDS, testSchema, "Orders", "TABLE")
	return c, errorMatching("Unable to Sync Table", "ds 8, \"main.dbo\".\"orders\"", "HTTP 404",
		fmt.Sprintf(`The catalog has "Orders" (id %d)`, id), `differs from "orders" only in case`, "set table to exactly that name")
}

// The resource and the action share the sync, and so the case hint.
func TestAccTableSync_caseVariantHint(t *testing.T) {
	c, want := caseVariantCatalog(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps:                    []resource.TestStep{{Config: c.providerBlock() + tableSync("t", testDS, testSchema, "orders"), ExpectError: want}},
	})
}

func TestAccTableSyncAction_caseVariantHint(t *testing.T) {
	c, want := caseVariantCatalog(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		TerraformVersionChecks:   actionCLIs,
		Steps:                    []resource.TestStep{{Config: c.ddlWithAction(testDS, testSchema, "orders", "id int"), ExpectError: want}},
	})
}

// Through the CLI: a wait that ran out says so, and suggests a longer one
// only for a longer lag.
func TestAccTableSync_waitRanOut(t *testing.T) {
	c := newTestCatalog(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: c.providerBlock() + tableSync("t", testDS, testSchema, "never_created", `wait_for_table_timeout = "1s"`),
			ExpectError: errorMatching("Unable to Sync Table", "over 1s (wait_for_table_timeout)", "never appeared", "ds 8, \"main.dbo\".\"never_created\"",
				"Raise wait_for_table_timeout only if", "more than 1s"),
		}},
	})
}

// Import by name, and by identity, gets the catalog's spelling when the
// table's or the schema's name differs only in case.
func TestAccTableSync_importCaseHints(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddCatalogTable(testDS, testSchema, "Orders", "TABLE")
	for name, tc := range map[string]struct {
		id   string
		want []string
	}{
		"table":  {"8/main.dbo/ORDERS", []string{"Cannot Import Table", `"8/main.dbo/ORDERS"`, `"Orders" (id`, "differs only in case"}},
		"schema": {"8/MAIN.DBO/Orders", []string{"Cannot Import Table", `schema "main.dbo"`, `from "MAIN.DBO" only in case`}},
	} {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: c.providerBlock() + tableSync("t", testDS, testSchema, "Orders"), ResourceName: tsAddr,
					ImportState: true, ImportStateId: tc.id, ExpectError: errorMatching(tc.want...),
				}},
			})
		})
	}
	t.Run("identity", func(t *testing.T) {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			TerraformVersionChecks:   identityCLIs,
			Steps: []resource.TestStep{{
				Config:      c.adoptByIdentity("ORDERS"),
				ExpectError: errorMatching("Cannot Import Table", `"Orders" (id`, "differs only in case"),
			}},
		})
	})
}

// A name with leading or trailing whitespace is a warning at validate, and
// messages quote it so that the space shows.
func TestAccTableSync_edgeWhitespace(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
	w.write("main.tf", c.providerBlock("max_retries = 0")+tableSync("t", testDS, testSchema, "foobar "))
	w.mustRun("init", "-input=false", "-no-color")
	var validate struct {
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(w.mustRun("validate", "-json", "-no-color")), &validate); err != nil {
		t.Fatal(err)
	}
	if len(validate.Diagnostics) != 1 || validate.Diagnostics[0].Severity != "warning" ||
		validate.Diagnostics[0].Summary != "Name Has Leading or Trailing Whitespace" || !strings.Contains(validate.Diagnostics[0].Detail, `"foobar "`) {
		t.Fatalf("validate diagnostics %+v, want one warning quoting \"foobar \"", validate.Diagnostics)
	}
	out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("a sync of \"foobar \" succeeded:\n%s", out)
	}
	expectOutput(t, out, "Unable to Sync Table", `ds 8, "main.dbo"."foobar "`, "HTTP 404")
}
