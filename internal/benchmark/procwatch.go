package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// procWatcher samples /proc while a Terraform command runs, looking for
// processes whose executable is the provider binary: it records how many
// there were and the peak resident set size (VmHWM) of each. Terraform
// starts the provider as a child process, several times per command.
//
// Sampling can miss a process that lives less than about one interval, and
// growth in the last interval before a process exits. The provider processes
// that only serve Terraform its schema or validate the configuration live
// some 20 to 40 ms; at the default 5 ms they are nearly always seen, and the
// long-lived ones that do the work, whose RSS matters, always are.
type procWatcher struct {
	exe      string
	parent   string // Terraform's binary: a fork of it may yet exec the provider
	interval time.Duration
	// ignore holds processes that cannot be the provider: those that ran
	// before the command started, and those running another program.
	ignore map[int]bool
	stop   chan struct{}
	done   chan struct{}

	mu    sync.Mutex
	peaks map[int]int64 // pid -> VmHWM in bytes
}

// watchProcesses starts sampling for processes running exe, started by
// the program parent from now on.
func watchProcesses(exe, parent string, interval time.Duration) *procWatcher {
	w := &procWatcher{exe: exe, parent: parent, interval: interval, ignore: map[int]bool{},
		stop: make(chan struct{}), done: make(chan struct{}), peaks: map[int]int64{}}
	for _, pid := range listPIDs() {
		w.ignore[pid] = true
	}
	go w.loop()
	return w
}

// listPIDs lists the processes in /proc.
func listPIDs() []int {
	dir, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	names, _ := dir.Readdirnames(-1) // unsorted and without a stat per entry, unlike os.ReadDir
	_ = dir.Close()
	pids := make([]int, 0, len(names))
	for _, name := range names {
		if pid, err := strconv.Atoi(name); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

func (w *procWatcher) loop() {
	defer close(w.done)
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		w.scan()
		select {
		case <-w.stop:
			return
		case <-t.C:
		}
	}
}

// Stop ends sampling and returns the largest VmHWM seen (bytes) and the
// number of distinct provider processes.
func (w *procWatcher) Stop() (peak int64, processes int) {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.peaks {
		peak = max(peak, p)
	}
	return peak, len(w.peaks)
}

// alive returns the provider processes that still exist.
func (w *procWatcher) alive() []int {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []int
	for pid := range w.peaks {
		if _, err := os.Stat(filepath.Join("/proc", strconv.Itoa(pid))); err == nil {
			out = append(out, pid)
		}
	}
	return out
}

// scan looks at every process once.
func (w *procWatcher) scan() {
	for _, pid := range listPIDs() {
		if w.ignore[pid] {
			continue
		}
		dir := "/proc/" + strconv.Itoa(pid)
		exe, err := os.Readlink(dir + "/exe")
		if err != nil {
			continue // gone, or not readable yet: look again next time
		}
		exe = strings.TrimSuffix(exe, " (deleted)")
		if exe != w.exe {
			if exe != w.parent {
				w.ignore[pid] = true
			}
			continue
		}
		status, err := os.ReadFile(dir + "/status")
		if err != nil {
			continue
		}
		hwm, ok := parseVmHWM(status)
		if !ok {
			continue
		}
		w.mu.Lock()
		w.peaks[pid] = max(w.peaks[pid], hwm)
		w.mu.Unlock()
	}
}

// parseVmHWM reads the "VmHWM:   12345 kB" line of /proc/PID/status and
// returns it in bytes.
func parseVmHWM(status []byte) (int64, bool) {
	for line := range bytes.Lines(status) {
		rest, ok := bytes.CutPrefix(line, []byte("VmHWM:"))
		if !ok {
			continue
		}
		fields := strings.Fields(string(rest))
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil || kb < 0 {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}

// procAvailable reports whether /proc can be sampled here (Linux).
func procAvailable() bool {
	_, err := os.Readlink("/proc/self/exe")
	return err == nil
}
