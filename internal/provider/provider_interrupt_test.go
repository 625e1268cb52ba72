package provider

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// Alation holds these requests far longer than any test waits: a CLI that
// ends in time did not wait for them.
const heldForever = 10 * time.Minute

// interruptBound is how long a test waits for the CLI to end after SIGINT.
// The provider's own bound is a few seconds (credentialsCheckTimeout); this
// leaves room for a busy machine and is far below heldForever.
const interruptBound = 30 * time.Second

// waitForRequests waits until the emulator has seen n requests matching
// match (in progress or done), or fails the test.
func waitForRequests(t *testing.T, fake *alationfake.Fake, n int, match func(alationfake.Request) bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		seen := 0
		for _, r := range fake.Requests() {
			if match(r) {
				seen++
			}
		}
		if seen >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the emulator did not see %d matching requests within a minute: %v", n, fake.Requests())
}

func expectNoPanic(t *testing.T, out string) {
	t.Helper()
	for _, s := range []string{"panic:", "goroutine ", "Plugin did not respond"} {
		if strings.Contains(out, s) {
			t.Fatalf("the output says %q:\n%s", s, out)
		}
	}
}

// Ctrl-C while the provider is being configured, with an Alation that never
// answers the credentials check: every CLI returns promptly (Terraform
// before 1.14 and OpenTofu do not stop a provider while it is configured, so
// the check's own bound is what makes that true), and nothing is synced.
func TestAccProvider_interruptWhileConfiguring(t *testing.T) {
	c := newTestCatalog(t)
	for _, tc := range []struct{ mode, block, path string }{
		{"api_access_token", `api_access_token = "` + c.token + `"`, "/integration/v2/schema/"},
		{"refresh_token", "refresh_token = \"" + c.fake.IssueRefreshToken(1, time.Hour) + "\"\n  user_id = 1", "/integration/v1/createAPIAccessToken/"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			c.fake.ResetLog()
			c.fake.QueueFaults(tc.path, alationfake.Fault{Delay: heldForever})
			w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
			w.write("main.tf", credentialsBlock(c.url, tc.block)+tableSync("a", testDS, testSchema, "foobar"))
			w.mustRun("init", "-input=false", "-no-color")
			apply := w.start("apply", "-auto-approve", "-input=false", "-no-color")
			waitForRequests(t, c.fake, 1, func(r alationfake.Request) bool { return r.Path == tc.path })
			out := apply.interrupt(t, interruptBound)
			expectNoPanic(t, out)
			if n := c.fake.RequestCount("POST", "/api/v1/table/sync/"); n != 0 {
				t.Fatalf("%d syncs after an interrupt during configuration:\n%s", n, out)
			}
			if got := w.stateList(); len(got) != 0 {
				t.Fatalf("state after the interrupt: %q", got)
			}
		})
	}
}

// Ctrl-C while Alation is slow to sync: the CLI returns promptly, and state
// holds exactly the tables whose sync finished.
func TestAccProvider_interruptDuringSyncs(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
	tables := map[string]string{"foobar": "a", "bazqux": "b", "Orders": "c"}
	var config strings.Builder
	config.WriteString(c.providerBlock())
	for table, name := range tables {
		config.WriteString(tableSync(name, testDS, testSchema, table))
	}
	w.write("main.tf", config.String())
	w.mustRun("init", "-input=false", "-no-color")
	// The first sync to arrive is answered at once, the others never.
	c.fake.QueueFaults("/api/v1/table/sync/", alationfake.Fault{}, alationfake.Fault{Delay: heldForever}, alationfake.Fault{Delay: heldForever})
	apply := w.start("apply", "-auto-approve", "-input=false", "-no-color")
	isSync := func(r alationfake.Request) bool { return r.Path == "/api/v1/table/sync/" }
	waitForRequests(t, c.fake, 3, isSync)
	waitForRequests(t, c.fake, 1, func(r alationfake.Request) bool { return isSync(r) && r.Status == 201 })
	out := apply.interrupt(t, interruptBound)
	expectNoPanic(t, out)

	var finished []string
	for _, r := range c.fake.Requests() {
		if isSync(r) && r.Status == 201 {
			var body struct{ Table string }
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
				t.Fatal(err)
			}
			finished = append(finished, "alation_table_sync."+tables[body.Table])
		}
	}
	if got := w.stateList(); strings.Join(got, " ") != strings.Join(finished, " ") {
		t.Fatalf("state holds %q; the syncs that finished are %q:\n%s", got, finished, out)
	}
}

// A teardown with revoked credentials: a destroy that needs no Alation call
// (-refresh=false) works, and so does validate; an operation that needs
// Alation (a plan that refreshes) reports the refusal once, in full.
func TestAccProvider_destroyWithRefusedCredentials(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
	w.write("main.tf", c.providerBlock()+tableSync("a", testDS, testSchema, "foobar")+tableSync("b", testDS, testSchema, "bazqux"))
	w.mustRun("init", "-input=false", "-no-color")
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	c.fake.ExpireAccessTokens()

	w.mustRun("validate", "-no-color")
	out, err := w.run("plan", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("plan succeeded with refused credentials:\n%s", out)
	}
	if n := strings.Count(out, refusedSummary); n != 1 {
		t.Fatalf("%d refusal diagnostics, want exactly one:\n%s", n, out)
	}
	expectOutput(t, out, refusedSummary, "Alation at "+c.url, "api_access_token", "HTTP 403")

	c.fake.ResetLog()
	out = w.mustRun("destroy", "-refresh=false", "-auto-approve", "-input=false", "-no-color")
	if got := w.stateList(); len(got) != 0 {
		t.Fatalf("state after the destroy: %q\n%s", got, out)
	}
	for _, r := range c.fake.Requests() {
		if r.Path != "/integration/v2/schema/" {
			t.Errorf("the destroy sent %s %s; only the credentials check was expected", r.Method, r.Path)
		}
	}
}
