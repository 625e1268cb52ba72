// Command benchmark measures the provider against Terraform's own floor, side
// by side in one run (issue 6). Run it from the repository with
//
//	go run ./internal/benchmark [-cases 200:50ms:10,500:0:10,3:0:10:3000,200:0:10:250] [-reps 3]
//
// It builds the provider once, serves the Alation emulator in-process with
// the requested latency, and runs interleaved repetitions of, per case:
// Terraform applying N terraform_data resources (the floor); N
// alation_table_sync resources; N terraform_data resources with a local-exec
// curl to the sync endpoint (the do-it-yourself peer); and no-change plans
// of the floor's and the provider's resources. It prints medians, each as a
// ratio to the floor plus the ideal network time ceil(N/P) × L, the
// provider's peak RSS and the emulator's connection and request counts, as
// a Markdown table, judged against the targets.
//
// A case with a fourth field, N:L:P:S, manages N of S stewarded tables
// already in the catalog of its own schema, and the emulator spends
// Alation's server time on listings (-listing-cost): it measures what a
// refresh reads of the catalog, in requests and bytes (issue 12), and is
// judged on that alone.
//
// Targets are reported, not asserted: the exit status is non-zero only when
// the harness itself fails (a build, a Terraform command, a wrong count).
// Terraform comes from PATH; nothing is downloaded.
//
// For finding where the time goes:
//
//   - -variant-src DIR measures a second build of the provider (a copy of
//     the repository with a change) interleaved with the first, so that a
//     change is judged against the current code in the same run, and
//     -variant-env KEY=VALUE does the same with extra environment;
//   - -profile DIR builds internal/benchmark/profprovider instead, which
//     writes CPU, heap and goroutine profiles of every provider process;
//   - -env KEY=VALUE passes settings to every Terraform command, such as
//     TF_LOG=debug with TF_LOG_PATH for Terraform's timeline;
//   - -keep keeps the configurations and states for running Terraform by hand.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the command-line settings.
type options struct {
	cases       []benchCase
	listingCost alationfake.ListingCost
	reps        int
	auth        string
	keep        bool
	warmup      bool
	interval    time.Duration
	timeout     time.Duration
	profile     string
	env         envList
	// The variant: the provider again, with extra environment or built from
	// another source tree, measured interleaved with the rest.
	variantEnv envList
	variantSrc string
}

func (o options) variant() bool { return len(o.variantEnv) > 0 || o.variantSrc != "" }

// envList collects repeated -env KEY=VALUE flags.
type envList []string

func (e *envList) String() string { return strings.Join(*e, " ") }

func (e *envList) Set(v string) error {
	k, _, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want KEY=VALUE, not %q", v)
	}
	*e = append(*e, v)
	return nil
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("benchmark", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	cases := fs.String("cases", defaultCases, "cases as N:latency:parallelism[:catalogued], comma-separated")
	listingCost := fs.String("listing-cost", defaultListingCost, "server time of an emulated listing in the catalogued cases, REQUEST:ROW")
	fs.IntVar(&o.reps, "reps", 3, "repetitions of every case, interleaved")
	fs.StringVar(&o.auth, "auth", authToken, "provider credentials: token (static), refresh (minted from a refresh token) or oauth")
	fs.BoolVar(&o.keep, "keep", false, "keep the work directory (configurations, states, terraformrc) and print its path")
	fs.BoolVar(&o.warmup, "warmup", true, "run every kind once, small and untimed, before measuring")
	fs.DurationVar(&o.interval, "sample", 5*time.Millisecond, "how often /proc is sampled for the provider's processes")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "limit on each Terraform command; reaching it is a harness error")
	fs.StringVar(&o.profile, "profile", "", "build the provider with Go profiling (internal/benchmark/profprovider) and write CPU and heap profiles of every provider process to this directory; timings then include the profiling")
	fs.Var(&o.variantEnv, "variant-env", "measure a variant of the provider too, with this extra KEY=VALUE (repeatable), interleaved with the rest")
	fs.StringVar(&o.variantSrc, "variant-src", "", "measure a variant of the provider too, built from this source tree (a checkout of this repository with a change)")
	fs.Var(&o.env, "env", "extra KEY=VALUE for every Terraform command (and so the provider), repeatable; e.g. TF_LOG_PROVIDER=off")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	var err error
	if o.cases, err = parseCases(*cases); err != nil {
		return o, err
	}
	if o.listingCost, err = parseListingCost(*listingCost); err != nil {
		return o, err
	}
	if o.reps < 1 {
		return o, errors.New("-reps must be at least 1")
	}
	if o.interval <= 0 || o.timeout <= 0 {
		return o, errors.New("-sample and -timeout must be positive")
	}
	return o, nil
}

// run returns the exit status: 0 when the measurement completed, whatever
// the figures; 1 on a harness error; 2 on bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "benchmark:", err)
		}
		return 2
	}
	if err := measure(ctx, o, args, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "benchmark: harness error:", err)
		return 1
	}
	return 0
}

// bench is the state shared by every run.
type bench struct {
	opts  options
	tf    terraform
	emu   *emulator
	exe   string // the provider binary, symlinks resolved
	tfExe string // Terraform's binary, symlinks resolved
	// The variant's binary and Terraform runner, when there is one.
	variantExe string
	variantTF  terraform
	work       string
	peerSkip   string
	progress   io.Writer
}

func measure(ctx context.Context, o options, args []string, stdout, stderr io.Writer) error {
	tfBin, err := exec.LookPath("terraform")
	if err != nil {
		return errors.New("terraform is not on PATH: install the Terraform CLI; the benchmark never downloads one")
	}
	if !procAvailable() {
		fmt.Fprintln(stderr, "benchmark: /proc is not available: provider RSS and process counts will read 0")
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "alation-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(stderr, "benchmark: work directory", work)
	} else {
		defer os.RemoveAll(work)
	}

	fmt.Fprintln(stderr, "benchmark: building the provider")
	binDir := filepath.Join(work, "bin")
	pkg := "."
	if o.profile != "" {
		if o.profile, err = filepath.Abs(o.profile); err != nil {
			return err
		}
		if err := os.MkdirAll(o.profile, 0o755); err != nil {
			return err
		}
		pkg = "./internal/benchmark/profprovider"
		o.env = append(o.env, "ALATION_BENCH_PROFILE_DIR="+o.profile)
		fmt.Fprintln(stderr, "benchmark: profiling every provider process into", o.profile)
	}
	exe, err := buildProvider(ctx, root, pkg, binDir)
	if err != nil {
		return err
	}
	if _, err := buildFrameworkFloor(ctx, root, binDir); err != nil {
		return err
	}
	rc := filepath.Join(work, "terraformrc")
	if err := os.WriteFile(rc, []byte(terraformrc(binDir)), 0o644); err != nil {
		return err
	}
	emu, err := startEmulator(o.cases, o.auth)
	if err != nil {
		return err
	}
	defer emu.Close()

	b := &bench{
		opts:     o,
		tf:       terraform{bin: tfBin, env: benchEnv(os.Environ(), rc, emu.env, o.env)},
		emu:      emu,
		exe:      exe,
		work:     work,
		progress: stderr,
	}
	if o.variant() {
		b.variantExe, b.variantTF = exe, b.tf
		if o.variantSrc != "" {
			src, err := filepath.Abs(o.variantSrc)
			if err != nil {
				return err
			}
			fmt.Fprintln(stderr, "benchmark: building the variant from", src)
			vbin := filepath.Join(work, "bin-variant")
			if b.variantExe, err = buildProvider(ctx, src, pkg, vbin); err != nil {
				return fmt.Errorf("variant: %w", err)
			}
			rc = filepath.Join(work, "terraformrc-variant")
			if err := os.WriteFile(rc, []byte(terraformrc(vbin)), 0o644); err != nil {
				return err
			}
		}
		b.variantTF.env = benchEnv(os.Environ(), rc, emu.env, append(append(envList(nil), o.env...), o.variantEnv...))
	}
	if b.tfExe, err = filepath.EvalSymlinks(tfBin); err != nil {
		return err
	}
	if _, err := exec.LookPath("curl"); err != nil {
		b.peerSkip = "curl not found on PATH"
		fmt.Fprintln(stderr, "benchmark: curl is not on PATH: skipping the local-exec curl peer; the overhead comparison will read n/a")
	}
	tfVersion := b.tf.version(ctx)
	loadBefore := loadAvg()

	if o.warmup {
		fmt.Fprintln(stderr, "benchmark: warming up")
		warm := benchCase{N: min(10, maxN(o.cases)), Latency: 0, Parallelism: 10}
		if err := b.rep(ctx, warm, filepath.Join(work, "warmup"), 0, &caseResult{Case: warm}); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}

	results := make([]caseResult, len(o.cases))
	for i, c := range o.cases {
		results[i].Case = c
		results[i].PeerSkipped = b.peerSkip
	}
	for rep := range o.reps {
		for i, c := range o.cases {
			fmt.Fprintf(stderr, "benchmark: rep %d/%d, %s\n", rep+1, o.reps, c)
			dir := filepath.Join(work, "runs", fmt.Sprintf("case%d-rep%d", i+1, rep+1))
			if err := b.rep(ctx, c, dir, rep, &results[i]); err != nil {
				return fmt.Errorf("%s, rep %d: %w", c, rep+1, err)
			}
			if !o.keep {
				_ = os.RemoveAll(dir)
			}
		}
	}

	t := targets{
		Apply: 1.10, Refresh: 1.20, OverheadFraction: 0.25,
		RSSBytes: 60 * megabyte, ConnCap: alation.DefaultMaxConcurrentRequests, ConnSlack: 4,
	}
	sums := make([]summary, len(results))
	for i, r := range results {
		sums[i] = summarize(r, t)
	}
	fmt.Fprintf(stdout, "Command: go run ./internal/benchmark%s\n", quoteArgs(args))
	fmt.Fprintf(stdout, "Terraform %s, %s, %d CPUs, %s/%s; load average %s before, %s after; %d reps, medians; auth %s\n\n",
		strings.TrimPrefix(tfVersion, "Terraform "), runtime.Version(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH,
		loadBefore, loadAvg(), o.reps, o.auth)
	writeMarkdown(stdout, sums, t)
	fmt.Fprintln(stdout)
	writeVerdict(stdout, sums)
	fmt.Fprintln(stdout, "\nWall time of every run (s), in repetition order:")
	writeRuns(stdout, results)
	return nil
}

// loadAvg is the 1-minute load average, a hint of how noisy the run was.
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return "unknown"
	}
	return f[0]
}

// shellSafe are the characters an argument may hold and stay unquoted.
const shellSafe = "-_.,:=/0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// quoteArgs renders args for a shell, with a leading space when not empty.
func quoteArgs(args []string) string {
	var b strings.Builder
	for _, a := range args {
		b.WriteByte(' ')
		if a != "" && strings.Trim(a, shellSafe) == "" {
			b.WriteString(a)
			continue
		}
		b.WriteString("'" + strings.ReplaceAll(a, "'", `'\''`) + "'")
	}
	return b.String()
}
