package main

import (
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// modeFake is a demo emulator with the mode flags args, started, and its
// demo token.
func modeFake(t *testing.T, args ...string) (string, string, string) {
	t.Helper()
	fs := flag.NewFlagSet("alationfake", flag.ContinueOnError)
	m := addModeFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	if err := m.check(); err != nil {
		t.Fatal(err)
	}
	f := alationfake.New()
	token := f.SeedDemo()
	described := m.apply(f)
	u := f.Start()
	t.Cleanup(f.Close)
	return u, token, described
}

func get(t *testing.T, u, token string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("TOKEN", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// Each mode flag reaches the emulator, and the announcement names it.
func TestModeFlags(t *testing.T) {
	u, token, described := modeFake(t, "-role", "catalog-admin", "-include-hidden-refusal", "400", "-catalog-limit", "1000",
		"-bulk-tables", "1200", "-strict-params=false", "-null-partition-columns")
	for _, part := range []string{"role catalog-admin", "include_hidden refused as 400", "capped at 1000", "1200 more tables",
		"unknown query parameters ignored", "partition_columns null"} {
		if !strings.Contains(described, part) {
			t.Errorf("modes %q lack %q", described, part)
		}
	}
	if status, body, _ := get(t, u+"/integration/v1/datasource/?include_hidden=true", token); status != 400 || !strings.Contains(body, "400006") {
		t.Errorf("include_hidden: %d %s", status, body)
	}
	if status, body, h := get(t, u+"/integration/v2/table/?limit=1000&whatever=1", token); status != 200 || h.Get("X-Next-Page") != "" ||
		strings.Count(body, `"id":`) != 1000 || !strings.Contains(body, `"partition_columns":null`) {
		t.Errorf("capped listing: %d, next %q, %d rows", status, h.Get("X-Next-Page"), strings.Count(body, `"id":`))
	}

	u, token, described = modeFake(t)
	if described != "" {
		t.Errorf("defaults described as %q", described)
	}
	if status, _, _ := get(t, u+"/integration/v1/datasource/?include_hidden=true", token); status != 200 {
		t.Errorf("the default role lists hidden sources: %d", status)
	}
	if status, body, _ := get(t, u+"/integration/v2/table/?whatever=1", token); status != 400 || !strings.Contains(body, "400006") {
		t.Errorf("strict by default: %d %s", status, body)
	}
}

func TestModeFlags_bad(t *testing.T) {
	for _, args := range [][]string{{"-role", "admin"}, {"-include-hidden-refusal", "404"}, {"-catalog-limit", "-1"}} {
		fs := flag.NewFlagSet("alationfake", flag.ContinueOnError)
		m := addModeFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		if err := m.check(); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
