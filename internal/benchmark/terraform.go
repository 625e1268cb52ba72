package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// The table every case syncs lives in this data source and schema of the
// emulator (a catalogued case has its own schema: benchCase.schema);
// resource i syncs table tableName(i).
const (
	benchDS     = 8
	benchSchema = "BENCH.PUBLIC"
)

func tableName(i int) string { return fmt.Sprintf("T%04d", i) }

// floorConfig is N terraform_data resources: Terraform's own cost of
// planning, applying and storing N resources, with no provider process.
func floorConfig(n int) string {
	return fmt.Sprintf(`resource "terraform_data" "r" {
  count = %d
  input = format("T%%04d", count.index)
}
`, n)
}

// providerConfig is N alation_table_sync resources of tables in schema. The
// provider reads its settings from ALATION_* variables.
func providerConfig(n int, schema string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    alation = {
      source = "alation-community/alation"
    }
  }
}

resource "alation_table_sync" "r" {
  count         = %d
  datasource_id = %d
  schema        = %q
  table         = format("T%%04d", count.index)
}
`, n, benchDS, schema)
}

// frameworkConfig is N resources of the minimal framework provider
// (frameworkfloor) of the given type: floor_sync, with four attributes, or
// floor_table_sync, with alation_table_sync's schema. Each makes the same
// sync, with the least code a terraform-plugin-framework provider can have
// around it.
func frameworkConfig(n int, resourceType, schema string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    floor = {
      source = "bench/floor"
    }
  }
}

resource %q "r" {
  count         = %d
  datasource_id = %d
  schema        = %q
  table         = format("T%%04d", count.index)
}
`, resourceType, n, benchDS, schema)
}

// peerConfig is the do-it-yourself alternative: N terraform_data resources
// that each run curl against the sync endpoint. --fail makes a refused sync
// fail the apply, as the provider's would; the answer is discarded.
func peerConfig(n int, baseURL, token, schema string) string {
	return fmt.Sprintf(`resource "terraform_data" "r" {
  count = %d
  input = format("T%%04d", count.index)

  provisioner "local-exec" {
    command = "curl -sS --fail -o /dev/null -X POST '%s/api/v1/table/sync/' -H 'TOKEN: %s' -H 'Content-Type: application/json' -d '${jsonencode({ datasource_id = %d, schema = %q, table = self.input })}'"
  }
}
`, n, baseURL, token, benchDS, schema)
}

// terraformrc points Terraform at the directory of the freshly built
// providers, so that no registry and no terraform init are involved.
func terraformrc(binDir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "alation-community/alation" = %q
    "bench/floor"               = %q
  }
  direct {}
}
`, binDir, binDir)
}

// writeConfig creates dir with main.tf holding config.
func writeConfig(dir, config string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644)
}

// terraform runs the Terraform CLI with a controlled environment.
type terraform struct {
	bin string
	env []string
}

// benchEnv is the environment of every Terraform command: the caller's,
// minus anything that would change Terraform's or the provider's behaviour
// (logging, CLI arguments, credentials), plus the benchmark's settings and
// extra (KEY=VALUE items, last wins).
func benchEnv(base []string, rcFile string, alation map[string]string, extra []string) []string {
	var env []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "TF_LOG"), strings.HasPrefix(k, "TF_CLI_ARGS"), strings.HasPrefix(k, "ALATION_"),
			k == "TF_CLI_CONFIG_FILE", k == "TF_DATA_DIR", k == "TF_WORKSPACE", k == "TF_PLUGIN_CACHE_DIR",
			k == "TF_INPUT", k == "TF_IN_AUTOMATION", k == "CHECKPOINT_DISABLE":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+rcFile, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")
	for _, k := range sortedKeys(alation) {
		env = append(env, k+"="+alation[k])
	}
	return append(env, extra...)
}

// run executes one Terraform command in dir and returns its wall time and
// the CPU time of all its processes (see cpuTime), also when it fails. A
// non-zero exit is an error carrying the end of the output. For plan with
// -detailed-exitcode, exit code 2 (changes present) is returned as
// errPlanHasChanges.
//
// When ctx ends first, stuck is called (to dump the provider's goroutines),
// then Terraform gets SIGQUIT so that it prints its own goroutines, and the
// whole output is kept in dir/terraform-output.txt.
func (t terraform) run(ctx context.Context, dir string, stuck func(), args ...string) (wall, cpu time.Duration, err error) {
	cmd := exec.CommandContext(ctx, t.bin, append([]string{"-chdir=" + dir}, args...)...)
	cmd.Env = t.env
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.Cancel = func() error {
		if stuck != nil {
			stuck()
		}
		return cmd.Process.Signal(syscall.SIGQUIT)
	}
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start)
	cpu = cpuTime(cmd.ProcessState)
	if err != nil {
		var ee *exec.ExitError
		if ctx.Err() == nil && errors.As(err, &ee) && ee.ExitCode() == 2 && contains(args, "-detailed-exitcode") {
			return wall, cpu, errPlanHasChanges
		}
		saved := filepath.Join(dir, "terraform-output.txt")
		if werr := os.WriteFile(saved, out.Bytes(), 0o644); werr != nil {
			saved = "not saved: " + werr.Error()
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("%w after %s", ctx.Err(), wall.Round(time.Millisecond))
		}
		return wall, cpu, fmt.Errorf("terraform %s in %s: %v (whole output: %s)\n%s", strings.Join(args, " "), dir, err, saved, tail(out.String(), 3000))
	}
	return wall, cpu, nil
}

// cpuTime is the user plus system CPU time of an ended process, zero when
// it never started. On Linux it comes from the rusage of wait4 (waitid),
// which also counts the descendants that the process itself waited for:
// for Terraform, the provider plugin processes and the local-exec shells
// and curls. So it is the CPU time of all the command's processes; only the
// emulator's share is missing, as it runs inside this benchmark.
func cpuTime(ps *os.ProcessState) time.Duration {
	if ps == nil {
		return 0
	}
	return ps.UserTime() + ps.SystemTime()
}

var errPlanHasChanges = errors.New("the plan has changes")

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// tail keeps the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// version returns the first line of terraform version.
func (t terraform) version(ctx context.Context) string {
	cmd := exec.CommandContext(ctx, t.bin, "version")
	cmd.Env = t.env
	out, err := cmd.Output()
	if err != nil {
		return "unknown"
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(first)
}
