package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// rep runs every kind of one case once, in dir, and appends to res. The
// order of the applies and of the plans rotates with rep, so that drift in
// the machine's load does not always favour the same kind.
func (b *bench) rep(ctx context.Context, c benchCase, dir string, rep int, res *caseResult) error {
	b.emu.fake.SetLatency(c.Latency)
	var cost alationfake.ListingCost // listings are free but in catalogued cases
	if c.Catalogued > 0 {
		cost = b.opts.listingCost
	}
	b.emu.fake.SetListingCost(cost)
	schema := c.schema()
	p := fmt.Sprintf("-parallelism=%d", c.Parallelism)
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color", p}
	plan := []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", p}

	type step struct {
		name    string
		dir     string
		config  string
		args    []string
		out     *[]runStats
		check   func(runStats, counts) error
		variant bool
	}
	wantSyncs := func(rs runStats, n counts) error {
		if n.syncs != c.N {
			return fmt.Errorf("the emulator saw %d successful syncs, want %d", n.syncs, c.N)
		}
		return nil
	}
	noRequests := func(rs runStats, n counts) error {
		if n.requests != 0 {
			return fmt.Errorf("the floor made %d requests to the emulator", n.requests)
		}
		return nil
	}
	floorDir, provDir, peerDir := filepath.Join(dir, "floor"), filepath.Join(dir, "provider"), filepath.Join(dir, "peer")
	fwDir, schemaDir := filepath.Join(dir, "framework"), filepath.Join(dir, "schema")
	applies := []step{
		{"floor apply", floorDir, floorConfig(c.N), apply, &res.FloorApply, noRequests, false},
		{"provider apply", provDir, providerConfig(c.N, schema), apply, &res.ProviderApply, wantSyncs, false},
		{"framework apply", fwDir, frameworkConfig(c.N, "floor_sync", schema), apply, &res.FrameworkApply, wantSyncs, false},
		{"schema apply", schemaDir, frameworkConfig(c.N, "floor_table_sync", schema), apply, &res.SchemaApply, wantSyncs, false},
	}
	if b.peerSkip == "" {
		applies = append(applies, step{"peer apply", peerDir, peerConfig(c.N, b.emu.url, b.emu.token, schema), apply, &res.PeerApply, wantSyncs, false})
	}
	plans := []step{
		{"floor plan", floorDir, "", plan, &res.FloorPlan, noRequests, false},
		{"provider plan", provDir, "", plan, &res.ProviderPlan, nil, false},
		{"framework plan", fwDir, "", plan, &res.FrameworkPlan, noRequests, false},
		{"schema plan", schemaDir, "", plan, &res.SchemaPlan, noRequests, false},
	}
	if b.opts.variant() {
		varDir := filepath.Join(dir, "variant")
		applies = append(applies, step{"variant apply", varDir, providerConfig(c.N, schema), apply, &res.VariantApply, wantSyncs, true})
		plans = append(plans, step{"variant plan", varDir, "", plan, &res.VariantPlan, nil, true})
	}
	for _, s := range append(rotate(applies, rep), rotate(plans, rep)...) {
		if s.config != "" {
			if err := writeConfig(s.dir, s.config); err != nil {
				return err
			}
		}
		tf, exe := b.tf, b.exe
		if s.variant {
			tf, exe = b.variantTF, b.variantExe
		}
		rs, n, err := b.measureOne(ctx, tf, exe, s.dir, s.args)
		if errors.Is(err, errPlanHasChanges) {
			return fmt.Errorf("%s: the no-change plan has changes", s.name)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		if s.check != nil {
			if err := s.check(rs, n); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
		}
		*s.out = append(*s.out, rs)
		mints := ""
		if n.mints > 0 {
			mints = fmt.Sprintf(" (%d token mints)", n.mints)
		}
		provider := "" // only this provider's processes are watched
		if rs.ProviderStarts > 0 {
			provider = fmt.Sprintf(" (provider %.2f s), provider processes %d, peak RSS %s", rs.ProviderCPU.Seconds(), rs.ProviderStarts, megabytes(rs.PeakRSS))
		}
		fmt.Fprintf(b.progress, "  %-15s %6.2f s  cpu %.2f s%s, %d connections, %d requests, %s of catalog rows%s\n",
			s.name, rs.Wall.Seconds(), rs.CPU.Seconds(), provider, rs.Connections, rs.Requests, kibibytes(rs.TableBytes), mints)
	}
	return nil
}

// measureOne runs one Terraform command with the emulator's counters reset
// and /proc sampled for provider processes (their RSS and CPU time).
func (b *bench) measureOne(ctx context.Context, tf terraform, exe, dir string, args []string) (runStats, counts, error) {
	ctx, cancel := context.WithTimeout(ctx, b.opts.timeout)
	defer cancel()
	b.emu.reset()
	w := watchProcesses(exe, b.tfExe, b.opts.interval)
	stuck := func() {
		// A Go program prints its goroutines on SIGQUIT; the provider's
		// stderr reaches Terraform's log when TF_LOG and TF_LOG_PATH are set.
		for _, pid := range w.alive() {
			fmt.Fprintf(b.progress, "benchmark: %s timed out; sending SIGQUIT to provider process %d\n", strings.Join(args, " "), pid)
			_ = syscall.Kill(pid, syscall.SIGQUIT)
		}
		time.Sleep(time.Second)
	}
	wall, cpu, err := tf.run(ctx, dir, stuck, args...)
	peak, procs, providerCPU := w.Stop()
	n := b.emu.counts()
	return runStats{
		Wall: wall, CPU: cpu, ProviderCPU: providerCPU,
		PeakRSS: peak, ProviderStarts: procs, Connections: n.connections, Requests: n.requests,
		TableBytes: n.tableBytes,
	}, n, err
}

// rotate returns s rotated left by k.
func rotate[T any](s []T, k int) []T {
	if len(s) == 0 {
		return s
	}
	k %= len(s)
	return append(append([]T(nil), s[k:]...), s[:k]...)
}
