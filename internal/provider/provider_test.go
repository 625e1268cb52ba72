package provider

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// TestMain points terraform-plugin-testing at the Terraform CLI on PATH so
// that no test ever downloads one.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		tf, err := exec.LookPath("terraform")
		if err != nil {
			fmt.Fprintln(os.Stderr, "The provider's tests drive the real Terraform CLI: put terraform (1.5 or later) on PATH or set TF_ACC_TERRAFORM_PATH.")
			os.Exit(1)
		}
		os.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	os.Setenv("CHECKPOINT_DISABLE", "1")
	// An empty CLI configuration keeps the developer's own (and the warning
	// that there is none, which OpenTofu prints on stdout) out of every test.
	var emptyConfig string
	if cfg := os.Getenv("TF_CLI_CONFIG_FILE"); cfg == "" || !fileExists(cfg) {
		if f, err := os.CreateTemp("", "terraformrc"); err == nil {
			f.Close()
			emptyConfig = f.Name()
			os.Setenv("TF_CLI_CONFIG_FILE", emptyConfig)
		}
	}
	code := m.Run()
	if emptyConfig != "" {
		os.Remove(emptyConfig)
	}
	os.Exit(code)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// testEnv is the environment the provider under test sees. Tests never read
// the developer's own ALATION_* variables.
type testEnv map[string]string

// factories serves the provider in-process with short retry waits and env
// as its environment.
func factories(env testEnv) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"alation": withNoError(protocolServer(&AlationProvider{
			version:      "test",
			retryWaitMin: time.Millisecond,
			getenv:       func(k string) string { return env[k] },
		})),
	}
}

// withNoError adapts a server factory to the form the test framework takes.
func withNoError(f func() tfprotov6.ProviderServer) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return f(), nil }
}

// testCatalog is an emulator seeded with one admin, one data source and a
// few source tables, the backdrop of most tests.
type testCatalog struct {
	fake  *alationfake.Fake
	url   string
	token string
}

const (
	testDS     = 8
	testSchema = "main.dbo"
)

func newTestCatalog(t testing.TB) *testCatalog {
	t.Helper()
	fake, url := alationfake.NewTestServer(t)
	fake.AddUser(1, true)
	fake.AddDataSource(alationfake.DataSource{ID: testDS, Title: "SQL Server Prod", DBType: "sqlserver"})
	fake.AddSchema(testDS, testSchema, false)
	for _, name := range []string{"foobar", "bazqux", "Orders"} {
		fake.AddSourceTable(testDS, testSchema, name, "TABLE")
	}
	fake.AddSourceTable(testDS, testSchema, "foobar_v", "VIEW")
	return &testCatalog{fake: fake, url: url, token: fake.IssueAccessToken(1, 24*time.Hour)}
}

// providerBlock configures the provider with the static token.
//
// A token the emulator never issued is how a test makes Alation refuse a
// resource's own request, as when a token is revoked during a run; the
// provider's credentials check would stop such a configuration before any
// resource, so for that token the block turns the check off. The check has
// its own tests (provider_credentials_test.go).
func (c *testCatalog) providerBlock(extra ...string) string {
	if c.fake == nil || !c.fake.KnowsAccessToken(c.token) {
		extra = append(extra, "skip_credentials_validation = true")
	}
	return fmt.Sprintf("provider \"alation\" {\n  base_url = %q\n  api_access_token = %q\n  %s\n}\n", c.url, c.token, strings.Join(extra, "\n  "))
}

// tableSync renders one alation_table_sync block; body lines follow the
// required attributes.
func tableSync(name string, ds int, schema, table string, body ...string) string {
	return fmt.Sprintf("resource \"alation_table_sync\" %q {\n  datasource_id = %d\n  schema = %q\n  table = %q\n  %s\n}\n",
		name, ds, schema, table, strings.Join(body, "\n  "))
}

// errorMatching builds a regexp that finds each part in order, tolerant of
// the line wrapping Terraform applies to diagnostics.
func errorMatching(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

func alationfakeDataSource(id int64) alationfake.DataSource {
	return alationfake.DataSource{ID: id, Title: fmt.Sprintf("Source %d", id), DBType: "postgresql"}
}
