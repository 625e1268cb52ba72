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

func TestParseStatCPUTicks(t *testing.T) {
	// Fields 14 and 15 (utime, stime) are 250 and 31.
	rest := " S 1 4242 4242 0 -1 4194560 1200 0 0 0 250 31 0 0 20 0 9 0 100 1300000000 11000 18446744073709551615\n"
	for _, comm := range []string{"(terraform-provi)", "(a b) (c))", "()"} {
		if got, ok := parseStatCPUTicks([]byte("4242 " + comm + rest)); !ok || got != 281 {
			t.Errorf("comm %s: parseStatCPUTicks = %d, %v, want 281", comm, got, ok)
		}
	}
	for _, bad := range []string{
		"",
		"4242 (no closing S 1 2 3 4 5 6 7 8 9 10 11 12 13",
		"4242 (short) S 1 4242 4242 0 -1 4194560 1200 0 0 0 250\n",
		"4242 (x) S 1 4242 4242 0 -1 4194560 1200 0 0 0 two 31 0\n",
		"4242 (x) S 1 4242 4242 0 -1 4194560 1200 0 0 0 250 -1 0\n",
	} {
		if got, ok := parseStatCPUTicks([]byte(bad)); ok {
			t.Errorf("parseStatCPUTicks(%q) = %d, true", bad, got)
		}
	}
	if got := ticksToDuration(281); got != 2810*time.Millisecond {
		t.Errorf("281 ticks = %v", got)
	}
}

// TestReadCPUTicks reads this process's own CPU time after using some.
func TestReadCPUTicks(t *testing.T) {
	if !procAvailable() {
		t.Skip("no /proc")
	}
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
	}
	if ticks, ok := readCPUTicks("/proc/self"); !ok || ticks <= 0 {
		t.Errorf("readCPUTicks(/proc/self) = %d, %v, want a positive count", ticks, ok)
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
	peak, n, _ := w.Stop() // sleep uses too little CPU to check its CPU time
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
	if _, n, _ := w.Stop(); n != 0 {
		t.Errorf("counted %d processes that ran before the watcher", n)
	}
}
