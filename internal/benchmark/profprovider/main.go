// Command profprovider is the provider of main.go with Go profiling, for
// go run ./internal/benchmark -profile DIR. Each process Terraform starts
// writes DIR/cpu-PID.pprof and, when Terraform stops it, DIR/heap-PID.pprof
// (what is still reachable at the end), DIR/allocs-PID.pprof and
// DIR/goroutine-PID.pprof (goroutines still running), plus
// DIR/memstats-PID.txt (the heap's peak and the collector's figures) and
// DIR/heapwatch-PID.txt (the heap over time). Merge the profiles with
// go tool pprof -top DIR/cpu-*.pprof.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/alation-community/terraform-provider-alation/internal/provider"
)

// ProfileDirEnv names the directory the profiles go to; unset, nothing is
// profiled.
const ProfileDirEnv = "ALATION_BENCH_PROFILE_DIR"

func main() {
	// As main.go does, so that profiles show what ships.
	provider.QuietLogsUnlessAsked()
	provider.CollectLessOftenUnlessAsked()
	stop := startProfiles(os.Getenv(ProfileDirEnv))
	err := tf6server.Serve(provider.Address, provider.ProtocolServer("bench-profile"))
	stop()
	if err != nil {
		log.Fatal(err.Error())
	}
}

// HeapIntervalEnv, a duration, makes every process also write
// DIR/heap-N-PID.pprof and DIR/goroutine-N-PID.pprof that often while it
// runs, each after a collection, to see what is reachable mid-run.
const HeapIntervalEnv = "ALATION_BENCH_HEAP_INTERVAL"

func snapshotHeap(name func(string) string, every time.Duration, done <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-done:
			return
		case <-t.C:
		}
		runtime.GC() // two, as at the end: the heap profile lags a cycle
		runtime.GC()
		for _, kind := range []string{"heap", "goroutine"} {
			if f, err := os.Create(name(fmt.Sprintf("%s-%d", kind, n))); err == nil {
				_ = pprof.Lookup(kind).WriteTo(f, 0)
				_ = f.Close()
			}
		}
	}
}

// startProfiles starts a CPU profile in dir and returns what ends it and
// writes the heap profiles.
func startProfiles(dir string) func() {
	if dir == "" {
		return func() {}
	}
	name := func(kind string) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", kind, os.Getpid())) }
	cpu, err := os.Create(name("cpu"))
	if err != nil {
		log.Printf("profprovider: %v", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		log.Printf("profprovider: %v", err)
	}
	done := make(chan struct{})
	go watchHeap(strings.TrimSuffix(name("heapwatch"), ".pprof")+".txt", done)
	if every, err := time.ParseDuration(os.Getenv(HeapIntervalEnv)); err == nil && every > 0 {
		go snapshotHeap(name, every, done)
	}
	return func() {
		close(done)
		pprof.StopCPUProfile()
		_ = cpu.Close()
		// A heap profile is as of the last completed collection: two make
		// it show only what is still reachable now.
		runtime.GC()
		runtime.GC()
		for _, kind := range []string{"heap", "allocs", "goroutine"} {
			if f, err := os.Create(name(kind)); err == nil {
				_ = pprof.Lookup(kind).WriteTo(f, 0)
				_ = f.Close()
			}
		}
		// The text form ends with runtime.MemStats: the heap's peak size
		// and the collector's figures, which RSS alone does not explain.
		if f, err := os.Create(strings.TrimSuffix(name("memstats"), ".pprof") + ".txt"); err == nil {
			_ = pprof.Lookup("heap").WriteTo(f, 1)
			_ = f.Close()
		}
	}
}
