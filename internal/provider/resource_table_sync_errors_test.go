package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// syncErrorCase is one error of Alation's reference table for the sync
// endpoint: how to provoke it, and what its diagnostic must say.
type syncErrorCase struct {
	name  string
	setup func(c *testCatalog) (ds int, schema, table string)
	want  []string
	fix   func(c *testCatalog)
}

// wantDiagnostic is every part the diagnostic must have, in order: the
// summary, the table, then the case's own.
func (tc syncErrorCase) wantDiagnostic(ds int, schema, table string) *regexp.Regexp {
	return errorMatching(append([]string{"Unable to Sync Table", fmt.Sprintf("ds %d, %q.%q", ds, schema, table)}, tc.want...)...)
}

func referenceSyncErrors() []syncErrorCase {
	return []syncErrorCase{
		{
			name: "schema excluded (400)",
			setup: func(c *testCatalog) (int, string, string) {
				c.fake.AddSchema(testDS, "hidden.dbo", true)
				return testDS, "hidden.dbo", "t1"
			},
			want: []string{"HTTP 400", "excluded from the catalog", "per-object settings"},
		},
		{
			name: "not authenticated (403)",
			setup: func(c *testCatalog) (int, string, string) {
				c.token = "not-a-real-token"
				return testDS, testSchema, "foobar"
			},
			want: []string{"HTTP 403", `"Invalid token."`, "did not accept the credentials"},
		},
		{
			name: "not an admin (403)",
			setup: func(c *testCatalog) (int, string, string) {
				c.fake.AddUser(2, false)
				c.token = c.fake.IssueAccessToken(2, time.Hour)
				return testDS, testSchema, "foobar"
			},
			want: []string{"HTTP 403", "not an admin", "must be a Server Admin or Catalog Admin"},
		},
		{
			name: "service account cannot see the table (403)",
			setup: func(c *testCatalog) (int, string, string) {
				c.fake.DenySourceTable(testDS, testSchema, "foobar")
				return testDS, testSchema, "foobar"
			},
			want: []string{"HTTP 403", "does not have permission", "service account cannot see"},
		},
		{
			name:  "schema invalid (404)",
			setup: func(c *testCatalog) (int, string, string) { return testDS, "nope.dbo", "foobar" },
			want: []string{"HTTP 404", "data source or schema is invalid", `Alation does not know schema "nope.dbo" of data source 8 yet`,
				"Run Extraction Now", `If "nope.dbo" is not the schema meant`, `include "main.dbo"`},
		},
		{
			name:  "data source invalid (404)",
			setup: func(c *testCatalog) (int, string, string) { return 99, testSchema, "foobar" },
			want:  []string{"HTTP 404", "data source or schema is invalid", "Alation has no data source 99", "Check datasource_id"},
		},
		{
			name:  "table not found (404)",
			setup: func(c *testCatalog) (int, string, string) { return testDS, testSchema, "FooBar" },
			want:  []string{"HTTP 404", "Table not found in data source", "DDL ran first", "case-sensitive"},
			fix:   func(c *testCatalog) { c.fake.AddSourceTable(testDS, testSchema, "FooBar", "TABLE") },
		},
		{
			name: "data source unreachable (500)",
			setup: func(c *testCatalog) (int, string, string) {
				c.fake.AddDataSource(alationfake.DataSource{ID: 11, Title: "Down", Unreachable: true})
				c.fake.AddSchema(11, "public", false)
				return 11, "public", "events"
			},
			want: []string{"HTTP 500", "after 2 attempts", "retried once at most", "Could not connect to the data source", "Test the data source's connection"},
		},
		{
			// Validation stops these before any request; Alation's own
			// answer must still read well if a request ever carries them.
			name: "missing value (400)",
			setup: func(c *testCatalog) (int, string, string) {
				c.fake.QueueFaults("/api/v1/table/sync/", alationfake.Fault{Status: 400, Body: `{"detail":"Missing required field: table","code":"400000"}`})
				return testDS, testSchema, "foobar"
			},
			want: []string{"HTTP 400", `"Missing required field: table" (code 400000)`, "missing or invalid", "Check datasource_id, schema and table"},
		},
		{
			name: "bad table_type (400)",
			setup: func(c *testCatalog) (int, string, string) {
				c.fake.QueueFaults("/api/v1/table/sync/", alationfake.Fault{Status: 400, Body: `{"detail":"Bad value for table_type: TABEL.","code":"400000"}`})
				return testDS, testSchema, "foobar"
			},
			want: []string{"HTTP 400", "Bad value for table_type", `must be "TABLE" or "VIEW"`},
		},
	}
}

// Every error of Alation's reference table for the sync endpoint becomes a
// diagnostic that names the table, the status, Alation's words and what to
// do; a failed create leaves nothing in state, so fixing the cause and
// applying again creates the resource.
func TestAccTableSync_errors(t *testing.T) {
	for _, tc := range referenceSyncErrors() {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestCatalog(t)
			ds, schema, table := tc.setup(c)
			config := c.providerBlock() + tableSync("t", ds, schema, table)
			steps := []resource.TestStep{{Config: config, ExpectError: tc.wantDiagnostic(ds, schema, table)}}
			if tc.fix != nil {
				steps = append(steps, resource.TestStep{
					PreConfig: func() { tc.fix(c) },
					Config:    config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionCreate),
					}},
				})
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(nil), Steps: steps})
		})
	}
}

// 400, 403 and 404 are answers, not faults: they are never retried.
func TestAccTableSync_clientErrorsNotRetried(t *testing.T) {
	c := newTestCatalog(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      c.providerBlock() + tableSync("t", testDS, testSchema, "missing"),
			ExpectError: regexp.MustCompile(`HTTP 404`),
		}},
	})
	if got := c.fake.RequestCount("POST", "/api/v1/table/sync/"); got != 1 {
		t.Errorf("sync requests = %d, want 1", got)
	}
}

// Bad input is refused at validate time, before any request reaches Alation.
func TestAccTableSync_validation(t *testing.T) {
	c := newTestCatalog(t)
	cases := map[string]struct {
		config string
		want   *regexp.Regexp
	}{
		"datasource_id < 1":   {tableSync("t", 0, testSchema, "foobar"), errorMatching("datasource_id", "at least 1")},
		"empty schema":        {tableSync("t", testDS, "", "foobar"), errorMatching("schema", "must not be empty")},
		"blank table":         {tableSync("t", testDS, testSchema, "  "), errorMatching("table", "must not be empty")},
		"bad table_type":      {tableSync("t", testDS, testSchema, "foobar", `table_type = "TABEL"`), errorMatching("table_type", `"TABLE"`, `"VIEW"`)},
		"lower-case view":     {tableSync("t", testDS, testSchema, "foobar", `table_type = "view"`), errorMatching("table_type", "value must be one of")},
		"missing table":       {`resource "alation_table_sync" "t" {` + "\n datasource_id = 8\n schema = \"s\"\n}", errorMatching(`"table" is required`)},
		"triggers not a map":  {tableSync("t", testDS, testSchema, "foobar", `triggers = "x"`), errorMatching("Incorrect attribute value type")},
		"bad timeouts.create": {tableSync("t", testDS, testSchema, "foobar", `timeouts = { create = "soon" }`), errorMatching("Invalid Attribute Value Time Duration", `"soon"`)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps:                    []resource.TestStep{{Config: c.providerBlock() + tc.config, ExpectError: tc.want}},
			})
		})
	}
	if n := len(c.fake.Requests()); n != 0 {
		t.Errorf("the emulator saw %d requests; validation must stop bad input before any", n)
	}
}

// Retries: 429/502/503 are retried until the sync succeeds; when retries run
// out the diagnostic says so, with the last answer (here an HTML page from a
// proxy, quoted in a sanitized excerpt).
func TestAccTableSync_retries(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.QueueFaults("/api/v1/table/sync/",
		alationfake.Fault{Status: 429, RetryAfter: "0"},
		alationfake.Fault{Status: 503},
		alationfake.Fault{CloseConnection: true},
	)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config: c.providerBlock() + tableSync("t", testDS, testSchema, "foobar"),
				Check:  c.expectSyncs("foobar", 1),
			},
			{
				PreConfig: func() {
					c.fake.QueueFaults("/api/v1/table/sync/", alationfake.Fault{Status: 502}, alationfake.Fault{Status: 502})
				},
				Config: c.providerBlock("max_retries = 1") + tableSync("t", testDS, testSchema, "foobar", `triggers = { v = "2" }`),
				ExpectError: errorMatching("Unable to Sync Table", "ds 8, \"main.dbo\".\"foobar\"", "HTTP 502", "after 2 attempts (max_retries ran out)",
					`text/html`, "502 Bad Gateway", "a proxy in front of it, is unavailable"),
			},
		},
	})
	if got := c.fake.RequestCount("POST", "/api/v1/table/sync/"); got != 6 {
		t.Errorf("sync requests = %d, want 6 (4 for the first apply, 2 for the second)", got)
	}
}

// The create timeout bounds the whole sync, retries included, and the
// diagnostic says that the timeout, not max_retries, ended it.
func TestAccTableSync_timeout(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.QueueFaults("/api/v1/table/sync/", alationfake.Fault{Status: 503}, alationfake.Fault{Delay: time.Minute})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      c.providerBlock() + tableSync("t", testDS, testSchema, "foobar", `timeouts = { create = "2s" }`),
			ExpectError: errorMatching("Unable to Sync Table", "ds 8, \"main.dbo\".\"foobar\"", "create timeout expired", "after 2 attempts", "HTTP 503", "timeouts.create"),
		}},
	})
}
