package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRun(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "addr")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-addr-file", addrFile, "-latency", "1ms", "-v"}, &stdout, &stderr)
	}()

	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; {
		if b, err := os.ReadFile(addrFile); err == nil {
			base = strings.TrimSpace(string(b))
		} else if time.Now().After(deadline) {
			t.Fatal("addr file never written")
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}
	out := stdout.String()
	if !strings.HasPrefix(out, "export ALATION_BASE_URL="+base+"\nexport ALATION_API_ACCESS_TOKEN=") {
		t.Fatalf("stdout: %q", out)
	}
	token := strings.TrimSpace(strings.SplitN(out, "ALATION_API_ACCESS_TOKEN=", 2)[1])

	req, _ := http.NewRequest(http.MethodGet, base+"/integration/v2/datasource/8/", nil)
	req.Header.Set("TOKEN", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Snowflake Prod") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
	if !strings.Contains(stderr.String(), "GET /integration/v2/datasource/8/ 200") {
		t.Fatalf("stderr: %q", stderr.String())
	}
}

// -help is a request, not a mistake: the usage, and success.
func TestRunHelp(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-help"}, io.Discard, &stderr)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "in-memory emulator of the Alation API") || !strings.Contains(stderr.String(), "-seed") {
		t.Fatalf("err %v, usage %q", err, stderr.String())
	}
	// The command itself, in a child process: main exits 1 on any error.
	if os.Getenv("ALATIONFAKE_HELP_CHILD") == "1" {
		os.Args = []string{"alationfake", "-help"}
		main()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunHelp$")
	cmd.Env = append(os.Environ(), "ALATIONFAKE_HELP_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("alationfake -help: %v\n%s", err, out)
	}
}

// The announcement is made from the emulator's state: every data source,
// schema and table the seed made, and the environment to export.
func TestAnnounce(t *testing.T) {
	f := alationfake.New()
	token := f.SeedDemo()
	f.AddSourceTable(99, "extra.schema", "ADDED_BY_TEST", "VIEW")
	var stdout, stderr bytes.Buffer
	announce(&stdout, &stderr, "http://127.0.0.1:1", token, f.Inventory())
	if want := "export ALATION_BASE_URL=http://127.0.0.1:1\nexport ALATION_API_ACCESS_TOKEN=" + token + "\n"; stdout.String() != want {
		t.Fatalf("stdout %q, want %q", stdout.String(), want)
	}
	for _, want := range []string{
		`data source 8 "Snowflake Prod"`, `schema "ANALYTICS.PUBLIC"`, "ORDERS", "ORDER_ITEMS", "catalogued, id",
		`schema "ANALYTICS.STAGING" (excluded`, "SALARIES", "answers 403", `data source 11 "Oracle HR"`, "answers 500",
		`data source 99`, `schema "extra.schema"`, "ADDED_BY_TEST", "VIEW", alationfake.DemoRefreshToken, "starting it again resets the catalog",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the announcement lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestRunBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-expired-token-status", "500"},
		{"-seed", "huge"},
		{"-addr", "not-an-address"},
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
