package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestConfigsAreValidHCL has terraform fmt parse every generated
// configuration, when terraform is on PATH.
func TestConfigsAreValidHCL(t *testing.T) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH")
	}
	for name, config := range map[string]string{
		"floor":     floorConfig(3),
		"provider":  providerConfig(3, benchSchema),
		"peer":      peerConfig(3, "http://127.0.0.1:1234", "tok-en", benchSchema),
		"framework": frameworkConfig(3, "floor_table_sync", benchSchema),
	} { // (the CLI configuration is HCL 1, which terraform fmt does not read)
		cmd := exec.CommandContext(context.Background(), tf, "fmt", "-no-color", "-")
		cmd.Stdin = strings.NewReader(config)
		cmd.Env = []string{"CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=/dev/null"}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: terraform fmt: %v\n%s\n%s", name, err, out, config)
		}
	}
}

func TestConfigs(t *testing.T) {
	if c := floorConfig(200); !strings.Contains(c, "count = 200") || strings.Contains(c, "provisioner") {
		t.Errorf("floor:\n%s", c)
	}
	p := providerConfig(500, benchSchema)
	for _, want := range []string{`source = "alation-community/alation"`, "count         = 500", "datasource_id = 8", `schema        = "BENCH.PUBLIC"`, `format("T%04d", count.index)`} {
		if !strings.Contains(p, want) {
			t.Errorf("provider config lacks %q:\n%s", want, p)
		}
	}
	peer := peerConfig(2, "http://127.0.0.1:9", "secret-token", "BENCH.CATALOG_250")
	for _, want := range []string{"curl -sS --fail", "'http://127.0.0.1:9/api/v1/table/sync/'", "-H 'TOKEN: secret-token'", "Content-Type: application/json", "table = self.input", `schema = "BENCH.CATALOG_250"`} {
		if !strings.Contains(peer, want) {
			t.Errorf("peer config lacks %q:\n%s", want, peer)
		}
	}
	fw := frameworkConfig(500, "floor_sync", "BENCH.CATALOG_3000")
	for _, want := range []string{`source = "bench/floor"`, `resource "floor_sync" "r"`, "count         = 500", "datasource_id = 8", `schema        = "BENCH.CATALOG_3000"`} {
		if !strings.Contains(fw, want) {
			t.Errorf("framework floor config lacks %q:\n%s", want, fw)
		}
	}
	if got := tableName(7); got != "T0007" {
		t.Errorf("tableName = %q", got)
	}
}

func TestTerraformrc(t *testing.T) {
	rc := terraformrc("/tmp/some dir/bin")
	if !strings.Contains(rc, `"alation-community/alation" = "/tmp/some dir/bin"`) || !strings.Contains(rc, `"bench/floor"               = "/tmp/some dir/bin"`) || !strings.Contains(rc, "direct {}") {
		t.Errorf("terraformrc:\n%s", rc)
	}
}

func TestBenchEnv(t *testing.T) {
	base := []string{"PATH=/bin", "HOME=/root", "TF_LOG=trace", "TF_LOG_PATH=/x", "TF_CLI_ARGS_apply=-refresh=false",
		"ALATION_BASE_URL=https://prod", "ALATION_API_ACCESS_TOKEN=real", "TF_CLI_CONFIG_FILE=/home/me/.terraformrc", "CHECKPOINT_DISABLE="}
	env := benchEnv(base, "/w/terraformrc", map[string]string{"ALATION_BASE_URL": "http://127.0.0.1:1", "ALATION_API_ACCESS_TOKEN": "fake"}, []string{"TF_LOG_SDK=off"})
	want := []string{"PATH=/bin", "HOME=/root", "TF_CLI_CONFIG_FILE=/w/terraformrc", "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"ALATION_API_ACCESS_TOKEN=fake", "ALATION_BASE_URL=http://127.0.0.1:1", "TF_LOG_SDK=off"}
	if !slices.Equal(env, want) {
		t.Errorf("env:\n%q\nwant:\n%q", env, want)
	}
}

// TestRunCPU runs a stand-in for Terraform that leaves its work to a child
// process it waits for, as Terraform does with the provider, and fails: the
// child's CPU time is counted, and the error kept.
func TestRunCPU(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "fake-terraform")
	busyChild := "#!/bin/sh\nsh -c 'i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done'\nexit 3\n"
	if err := os.WriteFile(script, []byte(busyChild), 0o755); err != nil {
		t.Fatal(err)
	}
	tf := terraform{bin: script, env: os.Environ()}
	wall, cpu, err := tf.run(context.Background(), dir, nil, "apply")
	if err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("err = %v, want exit status 3", err)
	}
	// The loop takes some 100 ms of CPU; allow for much faster machines.
	if cpu < 10*time.Millisecond || wall <= 0 {
		t.Errorf("wall %v, cpu %v: want the child's CPU time counted", wall, cpu)
	}
}

func TestTail(t *testing.T) {
	if got := tail("abcdef", 3); got != "...def" {
		t.Errorf("tail = %q", got)
	}
	if got := tail("ab", 3); got != "ab" {
		t.Errorf("tail = %q", got)
	}
}

func TestQuoteArgs(t *testing.T) {
	got := quoteArgs([]string{"-cases", "200:50ms:10,500:0:10", "-reps", "3", "-env", "A=b c", "it's", ""})
	want := ` -cases 200:50ms:10,500:0:10 -reps 3 -env 'A=b c' 'it'\''s' ''`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if quoteArgs(nil) != "" {
		t.Error("no args should quote to nothing")
	}
}

func TestParseFlags(t *testing.T) {
	var errs strings.Builder
	o, err := parseFlags([]string{"-cases", "10:5ms:2", "-reps", "5", "-env", "A=1", "-variant-env", "B=2"}, &errs)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.cases) != 1 || o.cases[0] != (benchCase{10, 5 * time.Millisecond, 2, 0}) || o.reps != 5 || o.auth != authToken ||
		!slices.Equal(o.env, envList{"A=1"}) || !o.variant() || !o.warmup || o.timeout != 10*time.Minute {
		t.Errorf("options: %+v", o)
	}
	for _, args := range [][]string{{"-reps", "0"}, {"-cases", "nope"}, {"-env", "novalue"}, {"extra"}, {"-sample", "0s"}, {"-listing-cost", "1ms"}} {
		if _, err := parseFlags(args, &errs); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	if o, _ := parseFlags(nil, &errs); o.variant() || len(o.cases) != 4 || o.reps != 3 || o.listingCost.PerRow != time.Millisecond {
		t.Errorf("defaults: %+v", o)
	}
}
