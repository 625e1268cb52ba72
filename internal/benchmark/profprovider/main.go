// Command profprovider is the provider of main.go with Go profiling, for
// go run ./internal/benchmark -profile DIR. Each process Terraform starts
// writes DIR/cpu-PID.pprof and, when Terraform stops it, DIR/heap-PID.pprof
// (what is still reachable at the end), DIR/allocs-PID.pprof and
// DIR/goroutine-PID.pprof (goroutines still running). Merge
// them with go tool pprof -top DIR/cpu-*.pprof.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/alation-community/terraform-provider-alation/internal/provider"
)

// ProfileDirEnv names the directory the profiles go to; unset, nothing is
// profiled.
const ProfileDirEnv = "ALATION_BENCH_PROFILE_DIR"

func main() {
	stop := startProfiles(os.Getenv(ProfileDirEnv))
	err := providerserver.Serve(context.Background(), provider.New("bench-profile"), providerserver.ServeOpts{
		Address: "registry.terraform.io/alation-community/alation",
	})
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
	}
}
