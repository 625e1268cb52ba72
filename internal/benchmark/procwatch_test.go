package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func TestParseVmHWM(t *testing.T) {
	status := []byte("Name:\tterraform-provi\nVmPeak:\t 1300000 kB\nVmHWM:\t   45312 kB\nVmRSS:\t   40000 kB\n")
	if got, ok := parseVmHWM(status); !ok || got != 45312*1024 {
		t.Errorf("parseVmHWM = %d, %v", got, ok)
	}
	for _, bad := range []string{"", "VmRSS:\t 1 kB\n", "VmHWM:\t x kB\n", "VmHWM:\t 12 MB\n", "VmHWM:\n"} {
		if got, ok := parseVmHWM([]byte(bad)); ok {
			t.Errorf("parseVmHWM(%q) = %d, true", bad, got)
		}
	}
}

// TestProcWatcher watches for a child process that runs sleep, started
// the way Terraform starts the provider.
func TestProcWatcher(t *testing.T) {
	if !procAvailable() {
		t.Skip("no /proc")
	}
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep")
	}
	target, err := filepath.EvalSymlinks(sleep)
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	self, _ = filepath.EvalSymlinks(self)
	w := watchProcesses(target, self, 5*time.Millisecond)
	for range 2 {
		if err := exec.CommandContext(context.Background(), sleep, "0.3").Run(); err != nil {
			t.Fatal(err)
		}
	}
	peak, n := w.Stop()
	if n != 2 || peak <= 0 {
		t.Errorf("saw %d processes with peak %d bytes, want 2 and a positive peak", n, peak)
	}

	// Processes that ran before the watcher started are never counted.
	cmd := exec.CommandContext(context.Background(), sleep, "0.3")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	w = watchProcesses(target, self, 5*time.Millisecond)
	_ = cmd.Wait()
	if _, n := w.Stop(); n != 0 {
		t.Errorf("counted %d processes that ran before the watcher", n)
	}
}
