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
// there were, the peak resident set size (VmHWM) of each and the CPU time
// each had used when last seen. Terraform starts the provider as a child
// process, several times per command.
//
// Sampling can miss a process that lives less than about one interval, and
// growth and CPU time in the last interval before a process exits, so the
// CPU time is a lower bound. The provider processes that only serve
// Terraform its schema or validate the configuration live some 20 to 40 ms;
// at the default 5 ms they are nearly always seen, and the long-lived ones
// that do the work, whose RSS and CPU time matter, always are.
type procWatcher struct {
	exe      string
	parent   string // Terraform's binary: a fork of it may yet exec the provider
	interval time.Duration
	// ignore holds processes that cannot be the provider: those that ran
	// before the command started, and those running another program.
	ignore map[int]bool
	stop   chan struct{}
	done   chan struct{}

	mu       sync.Mutex
	peaks    map[int]int64 // pid -> VmHWM in bytes
	cpuTicks map[int]int64 // pid -> utime + stime in clock ticks
}

// watchProcesses starts sampling for processes running exe, started by
// the program parent from now on.
func watchProcesses(exe, parent string, interval time.Duration) *procWatcher {
	w := &procWatcher{exe: exe, parent: parent, interval: interval, ignore: map[int]bool{},
		stop: make(chan struct{}), done: make(chan struct{}), peaks: map[int]int64{}, cpuTicks: map[int]int64{}}
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

// Stop ends sampling and returns the largest VmHWM seen (bytes), the
// number of distinct provider processes and their CPU time, summed.
func (w *procWatcher) Stop() (peak int64, processes int, cpu time.Duration) {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.peaks {
		peak = max(peak, p)
	}
	var ticks int64
	for _, t := range w.cpuTicks {
		ticks += t
	}
	return peak, len(w.peaks), ticksToDuration(ticks)
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
		// A process that ends between the two reads keeps its RSS; its
		// CPU time is what the previous scan saw.
		ticks, cpuOK := readCPUTicks(dir)
		w.mu.Lock()
		w.peaks[pid] = max(w.peaks[pid], hwm)
		if cpuOK {
			w.cpuTicks[pid] = max(w.cpuTicks[pid], ticks)
		}
		w.mu.Unlock()
	}
}

// clockTicksPerSecond is the unit of the CPU times in /proc/PID/stat. The
// kernel reports them in USER_HZ, which is 100 on Linux whatever the
// kernel's own tick rate (it is what sysconf(_SC_CLK_TCK) returns, and Go
// has no sysconf without cgo).
const clockTicksPerSecond = 100

func ticksToDuration(ticks int64) time.Duration {
	return time.Duration(ticks) * time.Second / clockTicksPerSecond
}

// readCPUTicks reads the CPU time a process has used so far from dir, its
// /proc/PID directory.
func readCPUTicks(dir string) (int64, bool) {
	stat, err := os.ReadFile(dir + "/stat")
	if err != nil {
		return 0, false
	}
	return parseStatCPUTicks(stat)
}

// parseStatCPUTicks returns utime + stime, fields 14 and 15 of a
// /proc/PID/stat line, in clock ticks. Field 2 is the command name in
// parentheses, which may itself hold spaces and parentheses, so the fields
// are counted from the last ')'.
func parseStatCPUTicks(stat []byte) (int64, bool) {
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return 0, false
	}
	fields := strings.Fields(string(stat[end+1:])) // from field 3, the state
	const utime, stime = 14 - 3, 15 - 3
	if len(fields) <= stime {
		return 0, false
	}
	user, err1 := strconv.ParseInt(fields[utime], 10, 64)
	system, err2 := strconv.ParseInt(fields[stime], 10, 64)
	if err1 != nil || err2 != nil || user < 0 || system < 0 {
		return 0, false
	}
	return user + system, true
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
