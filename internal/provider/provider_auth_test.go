package provider

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// manyTables renders n alation_table_sync resources over fresh source tables.
func (c *testCatalog) manyTables(n int) string {
	var b strings.Builder
	for i := range n {
		name := fmt.Sprintf("t%03d", i)
		c.fake.AddSourceTable(testDS, testSchema, name, "TABLE")
		b.WriteString(tableSync(name, testDS, testSchema, name))
	}
	return b.String()
}

// expectAllSynced checks that every sync request succeeded in the end and
// that n tables are in the catalog.
func (c *testCatalog) expectCatalogued(n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := c.fake.CatalogTableCount(); got != n {
			return fmt.Errorf("catalog has %d tables, want %d", got, n)
		}
		return nil
	}
}

// expectSyncTokens checks that the syncs carried n distinct access tokens:
// one when a minted token is shared by every resource, two after a renewal.
// (Counting mints would count the credentials check of every Terraform
// command too.)
func (c *testCatalog) expectSyncTokens(n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		tokens := map[string]bool{}
		for _, r := range c.fake.Requests() {
			if r.Path == "/api/v1/table/sync/" {
				tokens[r.Token] = true
			}
		}
		if len(tokens) != n {
			return fmt.Errorf("the syncs carried %d distinct access tokens, want %d", len(tokens), n)
		}
		return nil
	}
}

// Auth modes 2 and 3 mint one access token per Terraform run, shared by
// every resource even when ten sync at once.
func TestAccProvider_mintedTokensAreShared(t *testing.T) {
	for _, mode := range []string{"refresh_token", "client_credentials"} {
		t.Run(mode, func(t *testing.T) {
			c := newTestCatalog(t)
			var creds string
			if mode == "refresh_token" {
				creds = fmt.Sprintf("refresh_token = %q\n  user_id = 1", c.fake.IssueRefreshToken(1, 24*time.Hour))
			} else {
				c.fake.AddOAuthClient("pipeline", "s3cr3t-client", 1)
				creds = `client_id = "pipeline"` + "\n  client_secret = \"s3cr3t-client\""
			}
			config := fmt.Sprintf("provider \"alation\" {\n  base_url = %q\n  %s\n}\n", c.url, creds) + c.manyTables(12)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: config,
					Check:  resource.ComposeTestCheckFunc(c.expectCatalogued(12), c.expectSyncTokens(1)),
				}},
			})
		})
	}
}

// An expired minted token is renewed once and the refused request retried,
// whether Alation answers the expired token with 401 or with 403 (which one
// it uses is unconfirmed). A static token cannot be renewed: a clear error,
// from the credentials check, or from the sync when the check is off.
func TestAccProvider_tokenRenewal(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		t.Run(fmt.Sprintf("expired token answered %d", status), func(t *testing.T) {
			c := newTestCatalog(t)
			c.fake.SetExpiredTokenStatus(status)
			// Expire every token once, while the fourth sync arrives and
			// others are in flight.
			var syncs atomic.Int32
			var once sync.Once
			c.fake.SetBeforeHandle(func(r *http.Request) {
				if r.URL.Path == "/api/v1/table/sync/" && syncs.Add(1) == 4 {
					once.Do(c.fake.ExpireAccessTokens)
				}
			})
			config := fmt.Sprintf("provider \"alation\" {\n  base_url = %q\n  refresh_token = %q\n  user_id = 1\n}\n",
				c.url, c.fake.IssueRefreshToken(1, 24*time.Hour)) + c.manyTables(12)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: config,
					Check:  resource.ComposeTestCheckFunc(c.expectCatalogued(12), c.expectSyncTokens(2)),
				}},
			})
		})
	}
	t.Run("static token expired", func(t *testing.T) {
		c := newTestCatalog(t)
		c.fake.ExpireAccessTokens()
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			Steps: []resource.TestStep{
				{
					Config: c.providerBlock() + tableSync("t", testDS, testSchema, "foobar"),
					ExpectError: errorMatching("Alation Refused the Credentials", c.url, "api_access_token", "HTTP 403", "has expired",
						"expires (24 hours by default)", "refresh_token with user_id"),
				},
				{
					Config:      c.providerBlock("skip_credentials_validation = true") + tableSync("t", testDS, testSchema, "foobar"),
					ExpectError: errorMatching("Unable to Sync Table", "HTTP 403", "has expired", "expires (24 hours by default)", "refresh_token with user_id"),
				},
			},
		})
	})
	t.Run("refresh token refused", func(t *testing.T) {
		c := newTestCatalog(t)
		config := func(extra string) string {
			return fmt.Sprintf("provider \"alation\" {\n  base_url = %q\n  refresh_token = \"revoked-refresh-token\"\n  user_id = 1\n  %s\n}\n", c.url, extra) +
				tableSync("t", testDS, testSchema, "foobar")
		}
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			Steps: []resource.TestStep{
				{
					Config: config(""),
					ExpectError: errorMatching("Alation Refused the Credentials", c.url, "refresh_token", "HTTP 401", "createAPIAccessToken",
						"Refresh token provided is invalid", "60 days", "refresh_token and user_id (or ALATION_REFRESH_TOKEN"),
				},
				{
					Config:      config("skip_credentials_validation = true"),
					ExpectError: errorMatching("Unable to Sync Table", "ds 8, \"main.dbo\".\"foobar\"", "HTTP 401", "Refresh token provided is invalid", "while minting an access token", "60 days"),
				},
			},
		})
	})
}

// Exactly one complete auth mode, from the block or the environment, or a
// clear error before any request.
func TestAccProvider_credentialErrors(t *testing.T) {
	c := newTestCatalog(t)
	cases := map[string]struct {
		block string
		env   testEnv
		want  []string
	}{
		"none":                    {"", nil, []string{"Invalid Alation Credentials", "no credentials"}},
		"refresh token, no user":  {`refresh_token = "r"`, nil, []string{"Invalid Alation Credentials", "refresh_token is set but user_id is not"}},
		"user id, no token":       {"user_id = 3", nil, []string{"user_id is set but refresh_token is not"}},
		"client id, no secret":    {`client_id = "x"`, nil, []string{"client_id is set but client_secret is not"}},
		"two modes":               {`api_access_token = "a"` + "\n" + `client_id = "x"` + "\n" + `client_secret = "y"`, nil, []string{"more than one authentication mode", "api_access_token, client_credentials"}},
		"two modes from env":      {"", testEnv{"ALATION_API_ACCESS_TOKEN": "a", "ALATION_CLIENT_ID": "x", "ALATION_CLIENT_SECRET": "y"}, []string{"more than one authentication mode"}},
		"half mode from env":      {"", testEnv{"ALATION_REFRESH_TOKEN": "r"}, []string{"refresh_token is set but user_id is not"}},
		"bad ALATION_USER_ID":     {"", testEnv{"ALATION_REFRESH_TOKEN": "r", "ALATION_USER_ID": "alice"}, []string{"Invalid ALATION_USER_ID Environment Variable", `"alice"`}},
		"bad ALATION_MAX_RETRIES": {`api_access_token = "a"`, testEnv{"ALATION_MAX_RETRIES": "-1"}, []string{"Invalid ALATION_MAX_RETRIES Environment Variable", "0 to 20"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			config := fmt.Sprintf("provider \"alation\" {\n  base_url = %q\n  %s\n}\n", c.url, tc.block) + tableSync("t", testDS, testSchema, "foobar")
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(tc.env),
				Steps:                    []resource.TestStep{{Config: config, ExpectError: errorMatching(tc.want...)}},
			})
		})
	}
	if n := len(c.fake.Requests()); n != 0 {
		t.Errorf("the emulator saw %d requests; configuration errors must stop before any", n)
	}
}

func TestAccProvider_baseURL(t *testing.T) {
	c := newTestCatalog(t)
	sync := tableSync("t", testDS, testSchema, "foobar")
	cases := map[string]struct {
		block string
		env   testEnv
		want  []string
	}{
		"missing":          {`api_access_token = "a"`, nil, []string{"Missing Alation Base URL", "ALATION_BASE_URL"}},
		"not absolute":     {`base_url = "alation.example.com"` + "\n" + `api_access_token = "a"`, nil, []string{"Invalid Alation Base URL", "absolute http or https URL", `"https://alation.example.com"`}},
		"no scheme":        {`base_url = "127.0.0.1:18080"` + "\n" + `api_access_token = "a"`, nil, []string{"Invalid Alation Base URL", "has no scheme", `"https://127.0.0.1:18080"`, `"http://127.0.0.1:18080"`}},
		"no scheme (env)":  {`api_access_token = "a"`, testEnv{"ALATION_BASE_URL": "alation.example.com:443"}, []string{"Invalid ALATION_BASE_URL Environment Variable", "has no scheme", `"https://alation.example.com:443"`}},
		"wrong scheme":     {`base_url = "ftp://alation.example.com"` + "\n" + `api_access_token = "a"`, nil, []string{"Invalid Alation Base URL"}},
		"bad env":          {`api_access_token = "a"`, testEnv{"ALATION_BASE_URL": "alation"}, []string{"Invalid ALATION_BASE_URL Environment Variable"}},
		"plain http":       {`base_url = "http://alation.example.com"` + "\n" + `api_access_token = "a"`, nil, []string{"Invalid Alation Provider Configuration", "refusing to send Alation credentials over plain http", "allow_insecure_http"}},
		"plain http (env)": {`api_access_token = "a"`, testEnv{"ALATION_BASE_URL": "http://alation.example.com"}, []string{"refusing to send Alation credentials over plain http"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(tc.env),
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf("provider \"alation\" {\n  %s\n}\n", tc.block) + sync, ExpectError: errorMatching(tc.want...),
				}},
			})
		})
	}
	if n := len(c.fake.Requests()); n != 0 {
		t.Errorf("the emulator saw %d requests; configuration errors must stop before any", n)
	}
}

// Every setting can come from the environment; the provider block wins.
func TestAccProvider_environment(t *testing.T) {
	c := newTestCatalog(t)
	var agents []string
	var mu sync.Mutex
	c.fake.SetBeforeHandle(func(r *http.Request) {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
	})
	env := testEnv{"ALATION_BASE_URL": c.url, "ALATION_API_ACCESS_TOKEN": c.token, "ALATION_MAX_RETRIES": "0"}
	wrongEnv := testEnv{"ALATION_BASE_URL": "http://127.0.0.1:9", "ALATION_API_ACCESS_TOKEN": "stale", "ALATION_REFRESH_TOKEN": "r", "ALATION_USER_ID": "1"}
	resource.UnitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: factories(env),
				Config:                   tableSync("t", testDS, testSchema, "foobar"),
				Check:                    c.expectSyncs("foobar", 1),
			},
			{
				// The block's base_url and token win over the environment's;
				// the environment's refresh token is another mode, ignored
				// because the block chose one.
				ProtoV6ProviderFactories: factories(wrongEnv),
				Config:                   c.providerBlock() + tableSync("t", testDS, testSchema, "foobar", `triggers = { v = "2" }`),
				Check:                    c.expectSyncs("foobar", 2),
			},
		},
	})
	if len(agents) == 0 {
		t.Fatal("no requests seen")
	}
	for _, ua := range agents {
		if !strings.HasPrefix(ua, "terraform-provider-alation/test ") || !strings.Contains(ua, " terraform/1.") {
			t.Fatalf("user agent %q does not name the provider's and Terraform's versions", ua)
		}
	}
}
