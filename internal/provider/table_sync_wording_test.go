package provider

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// Alation's real words for the sync's refusals are unknown: the diagnostics
// are tested in the documented wording, a terse one and field-keyed bodies.
var syncWordings = []alationfake.ErrorWording{alationfake.WordingDocumented, alationfake.WordingTerse("Not found."), alationfake.WordingFieldKeyed}

func isTerse(wd alationfake.ErrorWording) bool { return wd.String() == "terse" }

// wordedRefusal is a refused sync and what its diagnostic must say.
type wordedRefusal struct {
	name  string
	setup func(c *testCatalog) syncRequest
	// said is Alation's message as quoted, per wording ("" when the
	// documented words are quoted, which want checks).
	said map[string]string
	// want is what the diagnostic must say, in order, after Alation's
	// message; terse, when set, replaces it for the terse wording, where
	// only the status and the catalog can tell.
	want, terse []string
	absent      []string
}

func wordedRefusals() []wordedRefusal {
	sync := func(ds int64, schema, table string) syncRequest {
		return syncRequest{input: alation.SyncTableInput{DatasourceID: ds, Schema: schema, Table: table}, op: "create"}
	}
	threeCauses := []string{"does not say which of three causes", "no read of the catalog can tell them apart",
		"api_access_token", "Server Admin or Catalog Admin", "service account can see this table"}
	return []wordedRefusal{
		{
			name:  "table missing at the source",
			setup: func(*testCatalog) syncRequest { return sync(testDS, testSchema, "never") },
			want: []string{`The catalog knows data source 8 and its schema "main.dbo", so the table is what the data source lacks`,
				"DDL ran first", "set wait_for_table_timeout"},
		},
		{
			name:  "data source unknown",
			setup: func(*testCatalog) syncRequest { return sync(99, testSchema, "foobar") },
			want:  []string{"Alation has no data source 99", "private data source", "/data/99/", `data "alation_datasource"`},
		},
		{
			name: "schema unknown",
			setup: func(c *testCatalog) syncRequest {
				c.fake.AddSourceSchema(testDS, "sales.new")
				c.fake.AddSourceTable(testDS, "sales.new", "orders", "TABLE")
				s := sync(testDS, "sales.new", "orders")
				s.waitForTable = time.Minute
				return s
			},
			want: []string{`Alation does not know schema "sales.new" of data source 8 yet`, "A table sync cannot add a schema",
				`metadata extraction with "sales.new" selected once`, "Settings > Metadata Extraction", "Run Extraction Now",
				`table syncs in "sales.new" work`, `If "sales.new" is not the schema meant`, `include "main.dbo"`, "wait_for_table_timeout did not wait"},
			absent: []string{"set wait_for_table_timeout"},
		},
		{
			name: "schema excluded",
			setup: func(c *testCatalog) syncRequest {
				c.fake.AddSchema(testDS, "hidden.dbo", true)
				return sync(testDS, "hidden.dbo", "t1")
			},
			said:  map[string]string{"field-keyed": `"schema: Schema \"hidden.dbo\" is excluded`},
			want:  []string{"excluded from the catalog in the data source's per-object settings", "Include it there"},
			terse: []string{"does not say what it refused", "the likeliest cause is that the schema is excluded", "Otherwise check datasource_id"},
		},
		{
			name: "not admin",
			setup: func(c *testCatalog) syncRequest {
				c.fake.AddUser(2, false)
				c.token = c.fake.IssueAccessToken(2, time.Hour)
				return sync(testDS, testSchema, "foobar")
			},
			want:  []string{"must be a Server Admin or Catalog Admin to trigger a sync"},
			terse: threeCauses,
		},
		{
			name: "service account cannot see the table",
			setup: func(c *testCatalog) syncRequest {
				c.fake.DenySourceTable(testDS, testSchema, "foobar")
				return sync(testDS, testSchema, "foobar")
			},
			want:  []string{"service account cannot see this table's metadata", "grant it access"},
			terse: threeCauses,
		},
		{
			// The provider's validation stops an empty table; Alation's
			// answer must still read well if a request ever carries one.
			name:  "missing field",
			setup: func(*testCatalog) syncRequest { return sync(testDS, testSchema, "") },
			said:  map[string]string{"documented": `"Missing required field: table" (code 400000)`, "field-keyed": `"table: This field is required."`},
			want:  []string{"missing or invalid", "Check datasource_id, schema and table"},
			terse: []string{"does not say what it refused"},
		},
	}
}

// Each refusal, in each wording, gets a diagnostic that names the table,
// quotes Alation and says what the refusal means as far as the status, the
// body's fields and the catalog can tell.
func TestSyncTable_refusalsInEveryWording(t *testing.T) {
	for _, wd := range syncWordings {
		for _, rc := range wordedRefusals() {
			t.Run(wd.String()+"/"+rc.name, func(t *testing.T) {
				c := newTestCatalog(t)
				c.fake.SetErrorWording(wd)
				s := rc.setup(c)
				client := syncClient(t, c, alation.Credentials{AccessToken: c.token})
				detail := syncDetail(t, client, s)
				said := rc.said[wd.String()]
				want := rc.want
				switch {
				case isTerse(wd):
					said = `"Not found."`
					if rc.terse != nil {
						want = rc.terse
					}
				case said == "":
					said = `"`
				}
				parts := append([]string{"Alation refused to sync table " + s.input.String(), "Alation said: " + said}, want...)
				if !errorMatching(parts...).MatchString(detail) {
					t.Fatalf("the diagnostic lacks %q in that order:\n%s", parts, detail)
				}
				expectAbsent(t, detail, rc.absent...)
				if s.waitForTable > 0 {
					if n := c.fake.RequestCount("POST", syncPath); n != 1 {
						t.Errorf("%d syncs, want 1: nothing to wait for", n)
					}
				}
			})
		}
	}
}

// A schema the catalog lacks in that case only is named, from the schemas
// read to find out that it lacks it: no further request.
func TestSyncTable_schemaCaseVariant(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.SetErrorWording(alationfake.WordingTerse("Not found."))
	client := syncClient(t, c, alation.Credentials{AccessToken: c.token})
	detail := syncDetail(t, client, syncRequest{input: alation.SyncTableInput{DatasourceID: testDS, Schema: "MAIN.DBO", Table: "foobar"}, op: "create"})
	if !errorMatching(`Alation does not know schema "MAIN.DBO" of data source 8 yet`,
		`The catalog has schema "main.dbo" in data source 8, which differs from "MAIN.DBO" only in case`, "set schema to exactly that name").MatchString(detail) {
		t.Fatalf("detail:\n%s", detail)
	}
	if n := c.fake.RequestCount("GET", "/integration/v2/schema/"); n != 2 {
		t.Errorf("%d schema reads, want 2 (the schema by name, then the data source's)", n)
	}
	if n := c.fake.RequestCount("GET", "/integration/v2/table/"); n != 0 {
		t.Errorf("%d table reads, want none", n)
	}
}

// lagging makes table "lagging" appear in the database at the third sync.
func lagging(c *testCatalog) *atomic.Int32 {
	var syncs atomic.Int32
	c.fake.SetBeforeHandle(func(r *http.Request) {
		if r.URL.Path == syncPath && syncs.Add(1) == 3 {
			c.fake.AddSourceTable(testDS, testSchema, "lagging", "TABLE")
		}
	})
	return &syncs
}

// Through the CLI: a terse 404 for a schema the catalog lacks says so.
func TestAccTableSync_terseUnknownSchema(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.SetErrorWording(alationfake.WordingTerse("Not found."))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: c.providerBlock() + tableSync("t", testDS, "no.such", "foobar"),
			ExpectError: errorMatching("Unable to Sync Table", "ds 8, \"no.such\".\"foobar\"", "HTTP 404", `"Not found."`,
				`Alation does not know schema "no.such" of data source 8 yet`, "Run Extraction Now"),
		}},
	})
}

// The pipeline "create a schema, then its tables": the sync fails, saying
// that the schema needs an extraction, without waiting; once an extraction
// has catalogued the schema, the same configuration applies.
func TestAccTableSync_schemaNotExtracted(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddSourceSchema(testDS, "sales.new") // CREATE SCHEMA, then CREATE TABLE
	c.fake.AddSourceTable(testDS, "sales.new", "orders", "TABLE")
	config := c.providerBlock() + tableSync("t", testDS, "sales.new", "orders", `wait_for_table_timeout = "1m"`)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config,
				ExpectError: errorMatching("Unable to Sync Table", "ds 8, \"sales.new\".\"orders\"", "HTTP 404",
					`Alation does not know schema "sales.new" of data source 8 yet`, "A table sync cannot add a schema",
					"Run Extraction Now", `table syncs in "sales.new" work`, "wait_for_table_timeout did not wait"),
			},
			{
				PreConfig: func() {
					if n := c.fake.RequestCount("POST", syncPath); n != 1 {
						t.Errorf("%d sync requests, want 1: waiting cannot add a schema", n)
					}
					if _, ok := c.fake.ExtractSchema(testDS, "sales.new"); !ok {
						t.Fatal("the extraction found no schema")
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionCreate),
				}},
				Check: func(_ *terraform.State) error {
					if n := c.fake.SyncCount(testDS, "sales.new", "orders"); n != 1 {
						return fmt.Errorf("Alation synced sales.new.orders %d times, want 1", n)
					}
					return nil
				},
			},
		},
	})
}
