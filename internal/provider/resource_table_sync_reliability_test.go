package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

const syncPath = "/api/v1/table/sync/"

// wait_for_table_timeout keeps syncing through a 404 for a table the data
// source lacks (and only that 404) until the table appears or the wait ends.
func TestAccTableSync_waitForTable(t *testing.T) {
	for _, wd := range syncWordings {
		// Whatever Alation's words: the catalog knows the data source and
		// the schema, so the table is what is missing.
		t.Run("table appears/"+wd.String(), func(t *testing.T) {
			c := newTestCatalog(t)
			c.fake.SetErrorWording(wd)
			syncs := lagging(c)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: c.providerBlock() + tableSync("t", testDS, testSchema, "lagging", `wait_for_table_timeout = "1m"`),
					Check:  c.expectSyncs("lagging", 1),
				}},
			})
			if got := syncs.Load(); got != 3 {
				t.Errorf("sync requests = %d, want 3 (two 404s, then success)", got)
			}
		})
	}
	t.Run("wait runs out", func(t *testing.T) {
		c := newTestCatalog(t)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			Steps: []resource.TestStep{{
				Config:      c.providerBlock() + tableSync("t", testDS, testSchema, "never", `wait_for_table_timeout = "1s"`),
				ExpectError: errorMatching("Unable to Sync Table", "over 1s (wait_for_table_timeout)", "never appeared", "ds 8, \"main.dbo\".\"never\"", "HTTP 404", "Table not found in data source"),
			}},
		})
		if got := c.fake.RequestCount("POST", syncPath); got < 2 {
			t.Errorf("sync requests = %d, want several while waiting", got)
		}
	})
	t.Run("other 404s are not waited on", func(t *testing.T) {
		c := newTestCatalog(t)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			Steps: []resource.TestStep{{
				Config:      c.providerBlock() + tableSync("t", testDS, "no.such", "foobar", `wait_for_table_timeout = "1m"`),
				ExpectError: errorMatching("HTTP 404", "data source or schema is invalid"),
			}},
		})
		if got := c.fake.RequestCount("POST", syncPath); got != 1 {
			t.Errorf("sync requests = %d, want 1", got)
		}
	})
	t.Run("validated", func(t *testing.T) {
		c := newTestCatalog(t)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			Steps: []resource.TestStep{{
				Config:      c.providerBlock() + tableSync("t", testDS, testSchema, "foobar", `wait_for_table_timeout = "forever"`),
				ExpectError: errorMatching("Invalid Duration", `"forever"`, "from 1s to 1h0m0s"),
			}},
		})
	})
}

// A failed update keeps the prior state, so the next plan tries again.
func TestAccTableSync_failedUpdateKeepsState(t *testing.T) {
	c := newTestCatalog(t)
	config := func(v string) string {
		return c.providerBlock("max_retries = 0") + tableSync("t", testDS, testSchema, "foobar", fmt.Sprintf("triggers = { v = %q }", v))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{Config: config("1")},
			{
				PreConfig:   func() { c.fake.QueueFaults(syncPath, alationfake.Fault{Status: 503}) },
				Config:      config("2"),
				ExpectError: errorMatching("Unable to Sync Table", "HTTP 503"),
			},
			{
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tsAddr, plancheck.ResourceActionUpdate),
				}},
				Check: c.expectSyncs("foobar", 2),
			},
		},
	})
}

// loadResources is how many resources the load test applies: 300 (about
// 12 s here), or ALATION_LOAD_RESOURCES.
func loadResources(t *testing.T) int {
	if v := os.Getenv("ALATION_LOAD_RESOURCES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("ALATION_LOAD_RESOURCES=%q is not a positive number", v)
		}
		return n
	}
	return 300
}

// Hundreds of resources at -parallelism=30 while the emulator throttles or
// fails a third of all requests: the apply succeeds, every table is synced
// and in state once, and Alation never sees more requests at once than
// max_concurrent_requests.
func TestAccProvider_loadWithFaults(t *testing.T) {
	n := loadResources(t)
	const limit = 8
	t.Setenv("TF_CLI_ARGS_apply", "-parallelism=30")
	t.Setenv("TF_CLI_ARGS_plan", "-parallelism=30")
	c := newTestCatalog(t)
	c.fake.SetRandomFaults(1.0/3, []int{429, 503}, 42)
	c.fake.SetLatency(10 * time.Millisecond) // so that requests overlap and the cap matters
	config := c.providerBlock("max_retries = 12", fmt.Sprintf("max_concurrent_requests = %d", limit)) + c.manyTables(n)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(s *terraform.State) error {
				ids := map[string]string{}
				for addr, rs := range s.RootModule().Resources {
					if prior, dup := ids[rs.Primary.ID]; dup {
						return fmt.Errorf("%s and %s share id %s", prior, addr, rs.Primary.ID)
					}
					ids[rs.Primary.ID] = addr
				}
				if len(ids) != n {
					return fmt.Errorf("state holds %d resources, want %d", len(ids), n)
				}
				for i := range n {
					name := fmt.Sprintf("t%03d", i)
					if got := c.fake.SyncCount(testDS, testSchema, name); got != 1 {
						return fmt.Errorf("%s synced %d times, want 1", name, got)
					}
				}
				return nil
			},
		}},
	})
	var faults int
	for _, r := range c.fake.Requests() {
		if r.Status == 429 || r.Status == 503 {
			faults++
		}
	}
	if faults == 0 {
		t.Fatal("the emulator injected no faults; the test proves nothing")
	}
	if got := c.fake.MaxInFlight(); got > limit {
		t.Errorf("Alation saw %d requests at once; max_concurrent_requests is %d", got, limit)
	}
	t.Logf("%d resources, %d requests, %d faults injected, peak %d in flight, %d connections",
		n, len(c.fake.Requests()), faults, c.fake.MaxInFlight(), c.fake.Connections())
}

// No secret reaches a TRACE log, the state or a diagnostic, in any auth
// mode, even when an error body from a misbehaving proxy echoes the token.
func TestAccProvider_secretsStaySecret(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	c := newTestCatalog(t)
	refresh := c.fake.IssueRefreshToken(1, time.Hour)
	c.fake.AddOAuthClient("pipeline", "client+secret/with=chars", 1)
	secrets := []string{c.token, refresh, "client+secret/with=chars"}
	var minted []string
	c.fake.SetBeforeHandle(func(r *http.Request) {
		if tok := r.Header.Get("Token"); tok != "" && tok != c.token {
			minted = append(minted, tok)
		}
	})
	noSecretsIn := func(what, text string) error {
		for _, s := range append(append([]string{}, secrets...), minted...) {
			if strings.Contains(text, s) {
				return fmt.Errorf("%s contains the secret %q", what, s)
			}
		}
		return nil
	}
	stateHasNoSecrets := func(s *terraform.State) error {
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		return noSecretsIn("the state", string(b))
	}
	// Secrets come from the environment, as in a pipeline, so that only the
	// provider could leak them (the test harness logs the configuration).
	envs := []testEnv{
		{"ALATION_API_ACCESS_TOKEN": c.token},
		{"ALATION_REFRESH_TOKEN": refresh, "ALATION_USER_ID": "1"},
		{"ALATION_CLIENT_ID": "pipeline", "ALATION_CLIENT_SECRET": "client+secret/with=chars"},
	}
	block := fmt.Sprintf("provider \"alation\" {\n  base_url = %q\n}\n", c.url)
	var steps []resource.TestStep
	for i, env := range envs {
		steps = append(steps, resource.TestStep{
			ProtoV6ProviderFactories: factories(env),
			Config:                   block + tableSync("t", testDS, testSchema, "foobar", fmt.Sprintf("triggers = { v = \"%d\" }", i)),
			Check:                    stateHasNoSecrets,
		})
	}
	// A proxy that echoes the request's token in its error page.
	steps = append(steps, resource.TestStep{
		PreConfig: func() {
			c.fake.QueueFaults(syncPath, alationfake.Fault{Status: 400, Body: `{"detail":"bad token ` + c.token + `"}`})
		},
		ProtoV6ProviderFactories: factories(envs[0]),
		Config:                   block + tableSync("t", testDS, testSchema, "foobar", `triggers = { v = "echo" }`),
		ExpectError:              errorMatching("Unable to Sync Table", `"bad token ***"`),
	})
	resource.UnitTest(t, resource.TestCase{Steps: steps})

	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Alation request", "Alation response body", "alation-client"} {
		if !strings.Contains(string(logs), want) {
			t.Fatalf("the TRACE log lacks %q: the test would prove nothing", want)
		}
	}
	if len(minted) == 0 {
		t.Fatal("no minted token was seen: the test would prove nothing")
	}
	// The emulator hands out Alation's real shapes: 43 and 86 URL-safe
	// characters, and JWTs for OAuth, whose signature alone must not show
	// either.
	jwts := 0
	for _, tok := range minted {
		if parts := strings.Split(tok, "."); len(parts) == 3 {
			jwts++
			secrets = append(secrets, parts[2])
		}
	}
	if len(c.token) != 43 || len(refresh) != 86 || jwts == 0 {
		t.Fatalf("token shapes %d, %d, %d JWTs: not Alation's, the test would not prove redaction of real tokens", len(c.token), len(refresh), jwts)
	}
	if err := noSecretsIn("the TRACE log", string(logs)); err != nil {
		t.Error(err)
	}
}

// A refresh of many tables of one schema lists the schema once instead of
// reading each table, and drift is still seen through the listing.
func TestAccTableSync_refreshBatchesBySchema(t *testing.T) {
	c := newTestCatalog(t)
	config := c.providerBlock() + c.manyTables(30)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					c.fake.ResetLog()
					for id := int64(17000); id < 17030; id++ {
						if tbl, ok := c.fake.CatalogTable(id); ok && tbl.Name == "t007" {
							c.fake.RemoveCatalogTable(id) // deleted in Alation: must leave state
						}
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("alation_table_sync.t007", plancheck.ResourceActionCreate),
				}},
				Check: func(*terraform.State) error {
					if n := c.fake.SyncCount(testDS, testSchema, "t007"); n != 1 {
						return fmt.Errorf("t007 synced %d times since the log reset, want 1", n)
					}
					return nil
				},
			},
		},
	})
	// The second step refreshes twice (plan, then apply's own refresh) and
	// once more for the post-apply plan check; each refresh of 30 tables
	// may read at most a couple directly (the first read of the schema, and
	// the deleted table's fallback) besides the one listing.
	reads := c.fake.RequestCount("GET", "/integration/v2/table/")
	if reads > 3*4 {
		t.Errorf("%d table reads for three refreshes of 30 tables; want them batched by schema", reads)
	}
	t.Logf("%d table reads for three refreshes of 30 tables", reads)
}
