package provider

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// credentialCase is one auth mode with credentials Alation refuses: what the
// refusal must say, and what it must not (advice for another mode).
type credentialCase struct {
	mode    string
	block   string // the provider block's credential lines
	request string // the one request the check makes
	want    []string
	notWant []string
}

func refusedCredentials(c *testCatalog) []credentialCase {
	c.fake.AddOAuthClient("pipeline", "the-right-secret", 1)
	return []credentialCase{
		{
			mode: "api_access_token", block: `api_access_token = "not-a-real-token"`, request: "GET /integration/v2/schema/",
			want: []string{"HTTP 403", `"Invalid token."`, "did not accept the credentials", "api_access_token (or ALATION_API_ACCESS_TOKEN)"},
		},
		{
			mode: "refresh_token", block: "refresh_token = \"revoked-refresh-token\"\n  user_id = 1", request: "POST /integration/v1/createAPIAccessToken/",
			want:    []string{"HTTP 401", `"Refresh token provided is invalid."`, "did not accept the refresh token", "60 days", "ALATION_REFRESH_TOKEN"},
			notWant: []string{"api_access_token"},
		},
		{
			mode: "client_credentials", block: "client_id = \"pipeline\"\n  client_secret = \"a-rotated-secret\"", request: "POST /oauth/v2/token/",
			want:    []string{"HTTP 401", "Client authentication failed", "did not accept the OAuth client", "client_secret", "ALATION_CLIENT_SECRET"},
			notWant: []string{"api_access_token", "24 hours"},
		},
	}
}

func credentialsBlock(url string, lines ...string) string {
	return fmt.Sprintf("provider \"alation\" {\n  base_url = %q\n  %s\n}\n", url, strings.Join(lines, "\n  "))
}

// Refused credentials are one provider-level error, whatever the number of
// resources: it names the mode, the base URL and what to fix, quotes
// Alation, gives advice for that mode only, and no resource sends anything.
func TestAccProvider_refusedCredentialsReportedOnce(t *testing.T) {
	c := newTestCatalog(t)
	for _, tc := range refusedCredentials(c) {
		t.Run(tc.mode, func(t *testing.T) {
			c.fake.ResetLog()
			w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
			w.write("main.tf", credentialsBlock(c.url, tc.block)+
				tableSync("a", testDS, testSchema, "foobar")+tableSync("b", testDS, testSchema, "bazqux")+tableSync("c", testDS, testSchema, "Orders"))
			w.mustRun("init", "-input=false", "-no-color")
			out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
			if err == nil {
				t.Fatalf("apply succeeded with refused credentials:\n%s", out)
			}
			if n := strings.Count(out, "Alation Refused the Credentials"); n != 1 {
				t.Fatalf("%d refusal diagnostics, want exactly one:\n%s", n, out)
			}
			expectOutput(t, out, append([]string{"Alation Refused the Credentials", "Alation at " + c.url, tc.mode}, tc.want...)...)
			for _, s := range append(tc.notWant, "Unable to Sync Table") {
				if strings.Contains(out, s) {
					t.Errorf("the output says %q:\n%s", s, out)
				}
			}
			var sent []string
			for _, r := range c.fake.Requests() {
				sent = append(sent, r.Method+" "+r.Path)
			}
			if len(sent) != 1 || sent[0] != tc.request {
				t.Errorf("Alation saw %v, want only the check, %s", sent, tc.request)
			}
		})
	}
}

// `terraform validate` does not configure the provider, so it never asks
// Alation anything, whatever the credentials.
func TestAccProvider_validateMakesNoRequest(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
	w.write("main.tf", credentialsBlock(c.url, `api_access_token = "not-a-real-token"`)+tableSync("a", testDS, testSchema, "foobar"))
	w.mustRun("init", "-input=false", "-no-color")
	w.mustRun("validate", "-no-color")
	if n := len(c.fake.Requests()); n != 0 {
		t.Fatalf("terraform validate made %d requests to Alation, want none", n)
	}
}

// skip_credentials_validation (or its variable) turns the check off: the
// refusal then comes from the resource, and no check request is made.
func TestAccProvider_skipCredentialsValidation(t *testing.T) {
	c := newTestCatalog(t)
	bad := `api_access_token = "not-a-real-token"`
	sync := tableSync("a", testDS, testSchema, "foobar")
	resource.UnitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: factories(nil),
				Config:                   credentialsBlock(c.url, bad, "skip_credentials_validation = true") + sync,
				ExpectError:              errorMatching("Unable to Sync Table", "ds 8, \"main.dbo\".\"foobar\"", "HTTP 403", `"Invalid token."`),
			},
			{
				ProtoV6ProviderFactories: factories(testEnv{"ALATION_SKIP_CREDENTIALS_VALIDATION": "true"}),
				Config:                   credentialsBlock(c.url, bad) + sync,
				ExpectError:              errorMatching("Unable to Sync Table", "HTTP 403"),
			},
			{
				ProtoV6ProviderFactories: factories(testEnv{"ALATION_SKIP_CREDENTIALS_VALIDATION": "maybe"}),
				Config:                   credentialsBlock(c.url, bad) + sync,
				ExpectError:              errorMatching("Invalid ALATION_SKIP_CREDENTIALS_VALIDATION Environment Variable", `"maybe"`, "true or false"),
			},
		},
	})
	if n := c.fake.RequestCount("", "/integration/v2/schema/"); n != 0 {
		t.Errorf("%d check requests with the check off, want none", n)
	}
}

// When the check cannot tell (an outage, no answer), that is a warning that
// says what happened, never a refusal: the run goes on.
func TestProvider_credentialsCheckInconclusive(t *testing.T) {
	c := newTestCatalog(t)
	for name, tc := range map[string]struct {
		url    string
		faults []alationfake.Fault // answers to the check's request
		want   []string
	}{
		"outage":    {c.url, []alationfake.Fault{{Status: http.StatusServiceUnavailable}}, []string{"HTTP 503", "unavailable"}},
		"no answer": {"http://127.0.0.1:1", nil, []string{"no answer from Alation", "Check base_url"}},
	} {
		t.Run(name, func(t *testing.T) {
			c.fake.QueueFaults("/integration/v2/schema/", tc.faults...)
			resp := configure(t, map[string]tftypes.Value{
				"base_url":         tftypes.NewValue(tftypes.String, tc.url),
				"api_access_token": tftypes.NewValue(tftypes.String, c.token),
				"max_retries":      tftypes.NewValue(tftypes.Number, 0),
			})
			if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 || resp.ResourceData == nil {
				t.Fatalf("want one warning and a configured client, got %v", resp.Diagnostics)
			}
			warning := resp.Diagnostics.Warnings()[0]
			detail := warning.Detail()
			if warning.Summary() != "Could Not Check the Alation Credentials" || !errorMatching(append([]string{"api_access_token", tc.url}, tc.want...)...).MatchString(detail) {
				t.Fatalf("warning %q: %s", warning.Summary(), detail)
			}
			if strings.Contains(detail, "refused the") || strings.Contains(detail, "did not accept") {
				t.Fatalf("an inconclusive check reads as a refusal: %s", detail)
			}
		})
	}
}

// A static token refused in the middle of a run (it expired): the first
// resource it fails gets the full story, the others a short error that
// points to it, and nothing more is sent with the token.
func TestAccProvider_tokenRefusedMidRun(t *testing.T) {
	c := newTestCatalog(t)
	var syncs atomic.Int32
	c.fake.SetBeforeHandle(func(r *http.Request) {
		if r.URL.Path == "/api/v1/table/sync/" && syncs.Add(1) == 2 {
			c.fake.ExpireAccessTokens()
		}
	})
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
	var config strings.Builder
	config.WriteString(c.providerBlock("max_concurrent_requests = 1"))
	const n = 5
	for i := range n {
		name := fmt.Sprintf("t%d", i)
		c.fake.AddSourceTable(testDS, testSchema, name, "TABLE")
		config.WriteString(tableSync(name, testDS, testSchema, name))
	}
	w.write("main.tf", config.String())
	w.mustRun("init", "-input=false", "-no-color")
	out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("apply succeeded with a token that expired:\n%s", out)
	}
	if full, short := strings.Count(out, "Alation said:"), strings.Count(out, "earlier in this run"); full != 1 || short != n-2 {
		t.Fatalf("%d full and %d short errors, want 1 and %d:\n%s", full, short, n-2, out)
	}
	expectOutput(t, out, "Unable to Sync Table", `Did not sync table ds 8, "main.dbo"."t`, "Alation refused the api_access_token credentials earlier in this run",
		"HTTP 403", `"The API access token has expired."`, "The first error about it says what to do")
	if n := c.fake.RequestCount("POST", "/api/v1/table/sync/"); n != 2 {
		t.Errorf("%d syncs sent, want 2: the one that succeeded and the one refused", n)
	}
}

// Configuring with a refused token succeeds without a diagnostic, so that a
// destroy needing no request can run; the refusal is on record, and the
// first operation that needs Alation gets it in full, the others a pointer.
func TestProvider_refusalIsReportedByFirstOperation(t *testing.T) {
	c := newTestCatalog(t)
	resp := configure(t, map[string]tftypes.Value{
		"base_url":         tftypes.NewValue(tftypes.String, c.url),
		"api_access_token": tftypes.NewValue(tftypes.String, c.fake.IssueAccessToken(1, -time.Hour)),
	})
	if len(resp.Diagnostics) != 0 {
		t.Fatalf("diagnostics %v", resp.Diagnostics)
	}
	client, ok := resp.DataSourceData.(*alation.Client)
	if !ok {
		t.Fatalf("data source data %T", resp.DataSourceData)
	}
	if data, ok := resp.ResourceData.(*resourceData); !ok || data.client != client {
		t.Fatalf("resource data %T does not hold the configured client", resp.ResourceData)
	}
	err := client.BlockingFailure()
	first := failureDiagnostic("Unable to Read Table", err, describeFailure("read table x", "read", err, lookupAdvice))
	if first.Summary() != refusedSummary {
		t.Fatalf("first report: %s", first.Summary())
	}
	if !errorMatching("Alation at "+c.url, "api_access_token", "HTTP 403", "has expired", "make a new one", "destroy with -refresh=false").MatchString(first.Detail()) {
		t.Fatalf("detail: %s", first.Detail())
	}
	later := client.BlockingFailure()
	if d := failureDiagnostic("Unable to Read Table", later, describeFailure("read table x", "read", later, lookupAdvice)); d.Summary() != "Unable to Read Table" ||
		!strings.Contains(d.Detail(), "The first error about it says what to do") {
		t.Fatalf("later report: %s: %s", d.Summary(), d.Detail())
	}
}

// An https:// base_url for a server that speaks plain HTTP cannot heal: the
// credentials check finds it, and a CI plan fails once, naming the host,
// instead of passing with a warning; no retry is made.
func TestAccProvider_unreachableForGoodFailsThePlan(t *testing.T) {
	c := newTestCatalog(t)
	wrong := strings.Replace(c.url, "http://", "https://", 1)
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
	w.write("main.tf", credentialsBlock(wrong, `api_access_token = "`+c.token+`"`)+
		tableSync("a", testDS, testSchema, "foobar")+tableSync("b", testDS, testSchema, "bazqux"))
	w.mustRun("init", "-input=false", "-no-color")
	out, err := w.run("plan", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("plan succeeded against an unreachable Alation:\n%s", out)
	}
	if n := strings.Count(out, unreachableSummary); n != 1 {
		t.Fatalf("%d diagnostics %q, want exactly one:\n%s", n, unreachableSummary, out)
	}
	expectOutput(t, out, unreachableSummary, "Alation at "+wrong, "plain HTTP", "Check base_url")
	if strings.Contains(out, "Could Not Check") {
		t.Errorf("the plan also warns that the check could not tell:\n%s", out)
	}
}
