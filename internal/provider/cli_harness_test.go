package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// cliWorkdir drives the Terraform CLI directly, for what
// terraform-plugin-testing cannot do yet (`terraform apply -invoke`,
// `terraform query -generate-config-out`). The provider is served in-process
// and attached with TF_REATTACH_PROVIDERS, as the testing framework does, so
// tests see the emulator's counters right after each command.
type cliWorkdir struct {
	t   *testing.T
	tf  string
	dir string
	env []string
}

// newCLIWorkdir serves the provider (with no ALATION_* environment) for the
// test's lifetime and returns an empty working directory. It skips the test
// below minVersion, saying why.
func newCLIWorkdir(t *testing.T, minVersion, why string) *cliWorkdir {
	t.Helper()
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if v := cliVersion(t, tf); v.LessThan(version.Must(version.NewVersion(minVersion))) {
		t.Skipf("%s %s is older than %s, which %s", filepath.Base(tf), v, minVersion, why)
	}
	addr := providerAddressForCLI()
	ctx, stop := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	factory := factories(nil)["alation"]
	go func() {
		err := tf6server.Serve(addr, func() tfprotov6.ProviderServer { s, _ := factory(); return s },
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t),
			tf6server.WithoutLogStderrOverride())
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case <-time.After(30 * time.Second):
		t.Fatal("the provider did not start serving within 30s")
	}
	t.Cleanup(func() { stop(); <-closed })
	attach, err := json.Marshal(map[string]any{addr: map[string]any{
		"Protocol": cfg.Protocol, "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": true,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	w := &cliWorkdir{t: t, tf: tf, dir: t.TempDir()}
	w.env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(attach), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return w
}

// providerAddressForCLI is the address a configuration without
// required_providers resolves "alation" to: OpenTofu's registry under
// OpenTofu (the matrix sets TF_ACC_PROVIDER_HOST), Terraform's otherwise.
func providerAddressForCLI() string {
	host, ns := os.Getenv("TF_ACC_PROVIDER_HOST"), os.Getenv("TF_ACC_PROVIDER_NAMESPACE")
	if host == "" {
		host = "registry.terraform.io"
	}
	if ns == "" || ns == "-" {
		ns = "hashicorp"
	}
	return host + "/" + ns + "/alation"
}

// cliVersion is the version the CLI reports of itself.
func cliVersion(t *testing.T, tf string) *version.Version {
	t.Helper()
	out, err := exec.Command(tf, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", tf, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v in %s", tf, err, out)
	}
	return version.Must(version.NewVersion(v.Version))
}

// write puts a file into the working directory.
func (w *cliWorkdir) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// run runs the CLI with args and returns what it printed, stdout then
// stderr, and whether it succeeded.
func (w *cliWorkdir) run(args ...string) (string, error) {
	w.t.Helper()
	cmd := exec.Command(w.tf, args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// mustRun is run that fails the test when the CLI does.
func (w *cliWorkdir) mustRun(args ...string) string {
	w.t.Helper()
	out, err := w.run(args...)
	if err != nil {
		w.t.Fatalf("%s %s: %v\n%s", filepath.Base(w.tf), strings.Join(args, " "), err, out)
	}
	return out
}

// expectOutput fails the test unless out has every part, in order,
// whatever line wrapping the CLI applied.
func expectOutput(t *testing.T, out string, parts ...string) {
	t.Helper()
	if !errorMatching(parts...).MatchString(out) {
		t.Fatalf("output lacks %q in that order:\n%s", parts, out)
	}
}

// cliCommand is a CLI command running in the background.
type cliCommand struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan error
}

// start starts the CLI with args and returns at once.
func (w *cliWorkdir) start(args ...string) *cliCommand {
	w.t.Helper()
	cmd := exec.Command(w.tf, args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	c := &cliCommand{cmd: cmd, out: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = c.out, c.out
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	go func() { c.done <- cmd.Wait() }()
	w.t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})
	return c
}

// interrupt sends SIGINT, as Ctrl-C does, and waits for the command to end
// within bound, which the test picks far below any wait on Alation so that
// only a CLI that waited on it fails the test. It returns the output.
func (c *cliCommand) interrupt(t *testing.T, bound time.Duration) string {
	t.Helper()
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatalf("sending SIGINT: %v", err)
	}
	select {
	case err := <-c.done:
		_ = err // a CLI interrupted ends with an error; what it printed tells the rest
		return c.out.String()
	case <-time.After(bound):
		_ = c.cmd.Process.Kill()
		err := <-c.done
		t.Fatalf("the CLI had not ended %s after SIGINT (then killed: %v):\n%s", bound, err, c.out.String())
		return ""
	}
}

// stateList is the resources in the working directory's state, none when
// no state was ever written.
func (w *cliWorkdir) stateList() []string {
	w.t.Helper()
	if _, err := os.Stat(filepath.Join(w.dir, "terraform.tfstate")); os.IsNotExist(err) {
		return nil
	}
	return strings.Fields(w.mustRun("state", "list"))
}

// stateResource is a root module resource as `terraform show -json` has it.
type stateResource struct {
	Address string         `json:"address"`
	Type    string         `json:"type"`
	Values  map[string]any `json:"values"`
}

// stateResources are the root module's resources in state.
func (w *cliWorkdir) stateResources() []stateResource {
	w.t.Helper()
	var state struct {
		Values struct {
			RootModule struct {
				Resources []stateResource `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(w.mustRun("show", "-json", "-no-color")), &state); err != nil {
		w.t.Fatal(err)
	}
	return state.Values.RootModule.Resources
}

// resourceValues are the values in state of the resource at addr; nil
// when state has none.
func (w *cliWorkdir) resourceValues(addr string) map[string]any {
	w.t.Helper()
	for _, r := range w.stateResources() {
		if r.Address == addr {
			return r.Values
		}
	}
	return nil
}
