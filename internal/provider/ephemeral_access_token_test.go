package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Ephemeral resources arrived in Terraform 1.10 (OpenTofu 1.11, which the
// matrix runs as a later version): older CLIs do not know the block.
var ephemeralCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)}

// withEcho adds terraform-plugin-testing's echo provider, which copies its
// configuration's data into the state of its echo resource: the one way
// to look at an ephemeral value in a test, since Terraform keeps it out of
// plan and state otherwise.
func withEcho(f map[string]func() (tfprotov6.ProviderServer, error)) map[string]func() (tfprotov6.ProviderServer, error) {
	f["echo"] = echoprovider.NewProviderServer()
	return f
}

// echoToken opens the access token and echoes it into echo.t.
const echoToken = `
ephemeral "alation_access_token" "t" {}

provider "echo" {
  data = ephemeral.alation_access_token.t
}

resource "echo" "t" {}
`

// alationProvider renders a provider block with the credential lines.
func (c *testCatalog) alationProvider(creds ...string) string {
	return fmt.Sprintf("provider \"alation\" {\n  base_url = %q\n  %s\n}\n", c.url, strings.Join(creds, "\n  "))
}

var echoed = tfjsonpath.New("data")

// A static api_access_token is handed through, without a request, and its
// expiry is not invented.
func TestAccAccessToken_static(t *testing.T) {
	c := newTestCatalog(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: withEcho(factories(nil)),
		TerraformVersionChecks:   ephemeralCLIs,
		Steps: []resource.TestStep{{
			PreConfig: c.fake.ResetLog,
			Config:    c.providerBlock() + echoToken,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.t", echoed.AtMapKey("token"), knownvalue.StringExact(c.token)),
				statecheck.ExpectKnownValue("echo.t", echoed.AtMapKey("expires_at"), knownvalue.Null()),
			},
		}},
	})
	for _, r := range c.fake.Requests() {
		if r.Path != "/integration/v2/schema/" {
			t.Errorf("request %s %s: a static token needs none but the credentials check", r.Method, r.Path)
		}
	}
}

// A refresh token or an OAuth client mints a fresh token, one Alation
// accepts and not the one the provider itself uses, expiring when
// Alation said.
func TestAccAccessToken_minted(t *testing.T) {
	for _, mode := range []string{"refresh_token", "client_credentials"} {
		t.Run(mode, func(t *testing.T) {
			c := newTestCatalog(t)
			c.fake.SetMintedTokenTTL(2 * time.Hour)
			creds := []string{fmt.Sprintf("refresh_token = %q", c.fake.IssueRefreshToken(1, 24*time.Hour)), "user_id = 1"}
			if mode == "client_credentials" {
				c.fake.AddOAuthClient("pipeline", "s3cr3t-client", 1)
				creds = []string{`client_id = "pipeline"`, `client_secret = "s3cr3t-client"`}
			}
			start := time.Now()
			var minted string
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: withEcho(factories(nil)),
				TerraformVersionChecks:   ephemeralCLIs,
				Steps: []resource.TestStep{{
					Config: c.alationProvider(creds...) + tableSync("t", testDS, testSchema, "foobar") + echoToken,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("echo.t", echoed.AtMapKey("token"), knownvalue.StringFunc(func(v string) error {
							if !c.fake.KnowsAccessToken(v) {
								return fmt.Errorf("%q is not an access token Alation issued", v)
							}
							minted = v
							return nil
						})),
						statecheck.ExpectKnownValue("echo.t", echoed.AtMapKey("expires_at"), knownvalue.StringFunc(func(v string) error {
							at, err := time.Parse(time.RFC3339, v)
							switch {
							case err != nil:
								return fmt.Errorf("expires_at %q is not RFC 3339: %v", v, err)
							case at.Before(start.Add(2*time.Hour-time.Second)) || at.After(time.Now().Add(2*time.Hour+time.Second)):
								return fmt.Errorf("expires_at %s, want the minted token's two hours from the run", v)
							}
							return nil
						})),
					},
				}},
			})
			if minted == "" {
				return // skipped on this CLI
			}
			for _, r := range c.fake.Requests() {
				if r.Path == lookupSyncPath && r.Token == minted {
					t.Fatal("the provider synced with the token it made for other tools, want its own")
				}
			}
		})
	}
}

// Refused credentials are one clear error, in Alation's words, whether the
// provider's credentials check found the refusal or the token's own mint.
func TestAccAccessToken_refused(t *testing.T) {
	c := newTestCatalog(t)
	creds := []string{`refresh_token = "revoked-refresh-token"`, "user_id = 1"}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: withEcho(factories(nil)),
		TerraformVersionChecks:   ephemeralCLIs,
		Steps: []resource.TestStep{
			{
				Config: c.alationProvider(creds...) + echoToken,
				ExpectError: errorMatching("Alation Refused the Credentials", "Did not make an access token from the provider's refresh_token credentials",
					"HTTP 401", `"Refresh token provided is invalid."`, "refresh token expires", "refresh_token and user_id"),
			},
			{
				Config: c.alationProvider(append(creds, "skip_credentials_validation = true")...) + echoToken,
				ExpectError: errorMatching("Unable to Make an Access Token", "Alation refused to make an access token from the provider's refresh_token credentials",
					"HTTP 401", `"Refresh token provided is invalid."`, "while minting an access token", "make a new one for the user"),
			},
		},
	})
}

// The token reaches another tool of the run (here a local-exec, as a
// pipeline's curl would take it) and never a plan or the state: neither the
// saved plan nor the state holds any token Alation issued.
func TestAccAccessToken_neverInPlanOrState(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, "1.10.0", "added ephemeral resources")
	w.write("main.tf", c.alationProvider(fmt.Sprintf("refresh_token = %q", c.fake.IssueRefreshToken(1, 24*time.Hour)), "user_id = 1")+`
ephemeral "alation_access_token" "t" {}

resource "terraform_data" "tool" {
  provisioner "local-exec" {
    command = "printf '%s' \"$ALATION_TOKEN\" > token.txt"
    environment = {
      ALATION_TOKEN = ephemeral.alation_access_token.t.token
    }
  }
}
`)
	w.mustRun("init", "-input=false", "-no-color")
	w.mustRun("plan", "-input=false", "-no-color", "-out=tfplan")
	planJSON := w.mustRun("show", "-json", "-no-color", "tfplan")
	out := w.mustRun("apply", "-input=false", "-no-color", "tfplan")
	given, err := os.ReadFile(filepath.Join(w.dir, "token.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.fake.KnowsAccessToken(string(given)) {
		t.Fatalf("the local-exec got %q, want an access token Alation issued", given)
	}
	state, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	for what, text := range map[string]string{"the state": string(state), "the saved plan": planJSON, "the apply's output": out} {
		if strings.Contains(text, string(given)) {
			t.Errorf("%s holds the token", what)
		}
		if what == "the apply's output" {
			continue
		}
		if s := c.issuedTokenIn(t, text); s != "" {
			t.Errorf("%s holds %q, an access token Alation issued", what, s)
		}
	}
}

// issuedTokenIn returns a string of the JSON document text that is an
// access token the emulator issued, or "".
func (c *testCatalog) issuedTokenIn(t *testing.T, text string) string {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	var walk func(v any) string
	walk = func(v any) string {
		switch v := v.(type) {
		case string:
			if c.fake.KnowsAccessToken(v) {
				return v
			}
		case []any:
			for _, e := range v {
				if s := walk(e); s != "" {
					return s
				}
			}
		case map[string]any:
			for _, e := range v {
				if s := walk(e); s != "" {
					return s
				}
			}
		}
		return ""
	}
	return walk(doc)
}
