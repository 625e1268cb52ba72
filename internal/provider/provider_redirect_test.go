package provider

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// otherHost is a second emulator, as willing as the first to mint and sync,
// standing for the host a redirect points to. It must receive nothing.
func otherHost(t *testing.T) (*alationfake.Fake, string) {
	t.Helper()
	other, u := alationfake.NewTestServer(t)
	other.AddUser(1, true)
	other.AddOAuthClient("pipeline", "s3cr3t-client", 1)
	return other, u
}

func expectNothingSent(t *testing.T, other *alationfake.Fake) {
	t.Helper()
	if n := len(other.Requests()); n != 0 || other.Connections() != 0 {
		t.Fatalf("the other host got %d requests over %d connections, want none", n, other.Connections())
	}
}

// A redirect to another host fails the apply with the provider's own
// error, naming both hosts, and the credentials (in a mint's body or the
// TOKEN header) never reach the other host.
func TestAccProvider_redirectToAnotherHostFailsTheApply(t *testing.T) {
	cases := []struct {
		name, path string
		status     int
		creds      func(c *testCatalog) string
	}{
		{"refresh-token mint 307", "/integration/v1/createAPIAccessToken/", http.StatusTemporaryRedirect, func(c *testCatalog) string {
			return fmt.Sprintf("refresh_token = %q\n  user_id = 1", c.fake.IssueRefreshToken(1, 24*time.Hour))
		}},
		{"OAuth mint 308", "/oauth/v2/token/", http.StatusPermanentRedirect, func(c *testCatalog) string {
			c.fake.AddOAuthClient("pipeline", "s3cr3t-client", 1)
			return "client_id = \"pipeline\"\n  client_secret = \"s3cr3t-client\""
		}},
		{"sync 307", "/api/v1/table/sync/", http.StatusTemporaryRedirect, func(c *testCatalog) string {
			return fmt.Sprintf("api_access_token = %q", c.token)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestCatalog(t)
			other, otherURL := otherHost(t)
			c.fake.SetRedirect(tc.path, tc.status, otherURL+tc.path)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: credentialsBlock(c.url, tc.creds(c)) + tableSync("t", testDS, testSchema, "foobar"),
					ExpectError: errorMatching("Unable to Sync Table", "sync table ds 8, \"main.dbo\".\"foobar\"", tc.path,
						fmt.Sprintf("HTTP %d", tc.status), "redirect to "+otherURL, "another host than base_url's "+c.url,
						"sent nothing to "+otherURL, "proxy", "base_url"),
				}},
			})
			expectNothingSent(t, other)
		})
	}
}

// A refresh whose table read is redirected elsewhere fails naming the
// table; the read's token stays home.
func TestAccProvider_redirectedTableReadFailsTheRefresh(t *testing.T) {
	c := newTestCatalog(t)
	other, otherURL := otherHost(t)
	config := c.providerBlock() + tableSync("t", testDS, testSchema, "foobar")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					c.fake.SetRedirect("/integration/v2/table/", http.StatusFound, otherURL+"/integration/v2/table/")
				},
				Config: config,
				ExpectError: errorMatching("Unable to Read Table", `"main.dbo"."foobar"`, "HTTP 302", "redirect to "+otherURL,
					"another host than base_url's "+c.url),
			},
			{
				PreConfig: func() { c.fake.SetRedirect("/integration/v2/table/", 0, "") },
				Config:    config,
			},
		},
	})
	expectNothingSent(t, other)
}

// Redirects within base_url's host are followed, mint and sync alike.
func TestAccProvider_redirectOnTheSameHostIsFollowed(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.SetRedirect("/old/", http.StatusPermanentRedirect, "/")
	creds := fmt.Sprintf("refresh_token = %q\n  user_id = 1", c.fake.IssueRefreshToken(1, 24*time.Hour))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: credentialsBlock(c.url+"/old", creds) + tableSync("t", testDS, testSchema, "foobar"),
			Check:  c.expectCatalogued(1),
		}},
	})
}
