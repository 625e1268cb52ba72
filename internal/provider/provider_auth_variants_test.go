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

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// expectBothTokenHeaders checks that every authenticated request carried
// the OAuth token in TOKEN and as Authorization: Bearer.
func (c *testCatalog) expectBothTokenHeaders() resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range c.fake.Requests() {
			if strings.HasPrefix(r.Path, "/oauth/") {
				continue
			}
			if r.Token == "" || r.Authorization != "Bearer "+r.Token {
				return fmt.Errorf("%s %s carried TOKEN %q and Authorization %q", r.Method, r.Path, r.Token, r.Authorization)
			}
		}
		return nil
	}
}

// OAuth client credentials work whichever header the instance reads the
// token from, and whichever spelling of the token path it serves.
func TestAccProvider_oauthVariants(t *testing.T) {
	for _, tc := range []struct {
		header alationfake.OAuthTokenHeader
		paths  alationfake.OAuthTokenPaths
	}{
		{alationfake.OAuthHeaderBearer, alationfake.OAuthPathSlash},
		{alationfake.OAuthHeaderToken, alationfake.OAuthPathNoSlash},
		{alationfake.OAuthHeaderEither, alationfake.OAuthPathBoth},
	} {
		t.Run(string(tc.header)+" "+string(tc.paths), func(t *testing.T) {
			c := newTestCatalog(t)
			if err := c.fake.SetOAuthTokenHeader(tc.header); err != nil {
				t.Fatal(err)
			}
			if err := c.fake.SetOAuthTokenPaths(tc.paths); err != nil {
				t.Fatal(err)
			}
			c.fake.AddOAuthClient("pipeline", "s3cr3t-client", 1)
			config := credentialsBlock(c.url, `client_id = "pipeline"`, `client_secret = "s3cr3t-client"`) + c.manyTables(3)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: config,
					Check:  resource.ComposeTestCheckFunc(c.expectCatalogued(3), c.expectSyncTokens(1), c.expectBothTokenHeaders()),
				}},
			})
		})
	}
}

// A refresh token refused with 400, or with a 2xx "status": "failed", or
// with a gateway's HTML 401, is one provider-level error however many
// resources need it, and Alation sees one mint per Terraform command.
func TestAccProvider_refreshTokenRefusalVariants(t *testing.T) {
	for _, tc := range []struct {
		refusal alationfake.RefreshTokenRefusal
		html    bool
		want    []string
	}{
		{alationfake.RefusalStatus400, false, []string{"HTTP 400 Bad Request on POST /integration/v1/createAPIAccessToken/", `"Refresh token provided is invalid."`}},
		{alationfake.RefusalStatusFailed, false, []string{`HTTP 200 OK with "status": "failed" on POST /integration/v1/createAPIAccessToken/`, `"Refresh token provided is invalid."`}},
		{alationfake.RefusalStatus401, true, []string{"HTTP 401 Unauthorized on POST", "text/html", "401 Unauthorized"}},
	} {
		t.Run(fmt.Sprintf("%s html=%v", tc.refusal, tc.html), func(t *testing.T) {
			c := newTestCatalog(t)
			if err := c.fake.SetRefreshTokenRefusal(tc.refusal); err != nil {
				t.Fatal(err)
			}
			c.fake.SetHTMLTokenFailures(tc.html)
			w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
			w.write("main.tf", credentialsBlock(c.url, `refresh_token = "revoked-refresh-token"`, "user_id = 1")+c.manyTables(5))
			w.mustRun("init", "-input=false", "-no-color")
			out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
			if err == nil {
				t.Fatalf("apply succeeded with a refused refresh token:\n%s", out)
			}
			if n := strings.Count(out, "Alation Refused the Credentials"); n != 1 {
				t.Fatalf("%d refusal diagnostics, want exactly one:\n%s", n, out)
			}
			expectOutput(t, out, append([]string{"Alation Refused the Credentials", "Alation at " + c.url, "refresh_token"}, tc.want...)...)
			expectOutput(t, out, "did not accept the refresh token", "60 days")
			if strings.Contains(out, "Unable to Sync Table") {
				t.Errorf("a resource reported the refusal again:\n%s", out)
			}
			if n := len(c.fake.Requests()); n != 1 || c.fake.RequestCount("POST", "/integration/v1/createAPIAccessToken/") != 1 {
				t.Errorf("Alation saw %d requests, want only one mint", n)
			}
		})
	}
}

// An expired minted token refused with the emulator's default 403, as a
// gateway's HTML page, is renewed once; a static token refused that way is
// reported as refused credentials, quoting what came back.
func TestAccProvider_htmlTokenRefusals(t *testing.T) {
	t.Run("minted token renewed", func(t *testing.T) {
		c := newTestCatalog(t)
		c.fake.SetHTMLTokenFailures(true)
		var syncs atomic.Int32
		var once sync.Once
		c.fake.SetBeforeHandle(func(r *http.Request) {
			if r.URL.Path == "/api/v1/table/sync/" && syncs.Add(1) == 3 {
				once.Do(c.fake.ExpireAccessTokens)
			}
		})
		config := credentialsBlock(c.url, fmt.Sprintf("refresh_token = %q", c.fake.IssueRefreshToken(1, 24*time.Hour)), "user_id = 1") + c.manyTables(6)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			Steps: []resource.TestStep{{
				Config: config,
				Check:  resource.ComposeTestCheckFunc(c.expectCatalogued(6), c.expectSyncTokens(2)),
			}},
		})
		refused := 0
		for _, r := range c.fake.Requests() {
			if r.Status == http.StatusForbidden {
				refused++
			}
		}
		if refused == 0 {
			t.Fatal("the emulator refused nothing: the test did not exercise renewal")
		}
	})
	t.Run("static token refused", func(t *testing.T) {
		c := newTestCatalog(t)
		c.fake.SetHTMLTokenFailures(true)
		c.fake.ExpireAccessTokens()
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			Steps: []resource.TestStep{{
				Config: credentialsBlock(c.url, fmt.Sprintf("api_access_token = %q", c.token)) + tableSync("t", testDS, testSchema, "foobar"),
				ExpectError: errorMatching("Alation Refused the Credentials", c.url, "api_access_token", "HTTP 403 Forbidden", "text/html",
					"403 Forbidden", "api_access_token expires (24 hours by default)"),
			}},
		})
	})
}
