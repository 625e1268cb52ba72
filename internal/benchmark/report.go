package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// runStats is what one Terraform command measured.
type runStats struct {
	Wall time.Duration
	// CPU is the user + system time of all the command's processes:
	// Terraform and the children it waited for (see cpuTime).
	CPU time.Duration
	// ProviderCPU is the part of CPU spent in provider processes, as the
	// /proc sampler last saw it: a lower bound (see procWatcher).
	ProviderCPU time.Duration
	// PeakRSS is the largest VmHWM of any provider process of the run, in
	// bytes; zero when no provider process was seen.
	PeakRSS int64
	// ProviderStarts is how many provider processes the run started (that
	// the /proc sampler saw).
	ProviderStarts int
	// Connections and Requests are the emulator's counts for the run.
	Connections int
	Requests    int
	// TableBytes are the bytes of catalog rows the emulator sent: its
	// answers to GET /integration/v2/table/.
	TableBytes int64
}

// caseResult holds every repetition of one case.
type caseResult struct {
	Case          benchCase
	FloorApply    []runStats
	ProviderApply []runStats
	PeerApply     []runStats
	FloorPlan     []runStats
	ProviderPlan  []runStats
	// FrameworkApply and FrameworkPlan are the minimal framework provider's
	// runs (frameworkfloor): what the framework costs by itself.
	FrameworkApply []runStats
	FrameworkPlan  []runStats
	// SchemaApply and SchemaPlan are the same with alation_table_sync's
	// schema: what the schema costs, whatever the code behind it.
	SchemaApply []runStats
	SchemaPlan  []runStats
	// PeerSkipped says why the peer did not run; empty when it did.
	PeerSkipped string
	// VariantApply and VariantPlan are the provider variant's runs (see
	// -variant-env, -variant-src); empty when there is none.
	VariantApply []runStats
	VariantPlan  []runStats
}

// targets are the goals.
type targets struct {
	Apply            float64 // apply ≤ Apply × (floor + ideal)
	Refresh          float64 // plan ≤ Refresh × (floor plan + ideal)
	OverheadFraction float64 // provider overhead ≤ this × the peer's
	RSSBytes         int64
	ConnCap          int // the provider's concurrency cap
	ConnSlack        int // connections allowed above the cap
}

// megabyte is the unit of the RSS target and of the report: 10^6 bytes.
const megabyte = 1_000_000

// summary is one case reduced to medians, ratios and verdicts.
type summary struct {
	Case  benchCase
	Ideal time.Duration

	FloorApply, ProviderApply, PeerApply, FloorPlan, ProviderPlan time.Duration
	FrameworkApply, FrameworkPlan                                 time.Duration
	FrameworkRan                                                  bool
	FrameworkApplyRatio, FrameworkPlanRatio                       float64
	SchemaApply, SchemaPlan                                       time.Duration
	SchemaApplyRatio, SchemaPlanRatio                             float64

	ApplyRatio, PeerRatio, RefreshRatio float64
	ProviderOverhead, PeerOverhead      float64
	PeerRan                             bool
	PeerSkipped                         string

	PeakRSS                     int64
	ApplyConns, PlanConns       int   // most seen in one run
	PeerConns                   int   // median
	ApplyRequests, PlanRequests int   // median
	PlanTableBytes              int64 // median
	ApplyStarts, PlanStarts     int   // median

	// CPU times, medians: of all processes per kind, and of the provider
	// processes alone in the provider's apply and plan.
	FloorApplyCPU, ProviderApplyCPU, PeerApplyCPU, FloorPlanCPU, ProviderPlanCPU time.Duration
	FrameworkApplyCPU, FrameworkPlanCPU                                          time.Duration
	SchemaApplyCPU, SchemaPlanCPU                                                time.Duration
	ApplyCPUInProvider, PlanCPUInProvider                                        time.Duration

	ApplyOK, RefreshOK, OverheadOK, RSSOK, ConnsOK bool
	// Timed is false for a catalogued case: it spends emulated server
	// time, so its times are reported but not judged.
	Timed bool
	// Budget is issue 12's limit on the case's refresh, when it has one.
	Budget           refreshBudget
	HasBudget        bool
	BudgetRequestsOK bool
	BudgetBytesOK    bool

	// The variant, when there is one.
	VariantRan                      bool
	VariantApply, VariantPlan       time.Duration
	VariantApplyRatio, VariantRatio float64 // apply, refresh
	VariantRSS                      int64
	VariantPlanRequests             int   // median
	VariantPlanTableBytes           int64 // median
}

func walls(runs []runStats) []time.Duration {
	out := make([]time.Duration, len(runs))
	for i, r := range runs {
		out[i] = r.Wall
	}
	return out
}

func durations(runs []runStats, f func(runStats) time.Duration) []time.Duration {
	out := make([]time.Duration, len(runs))
	for i, r := range runs {
		out[i] = f(r)
	}
	return out
}

func cpuOf(r runStats) time.Duration         { return r.CPU }
func providerCPUOf(r runStats) time.Duration { return r.ProviderCPU }

func ints(runs []runStats, f func(runStats) int) []int {
	out := make([]int, len(runs))
	for i, r := range runs {
		out[i] = f(r)
	}
	return out
}

func peakRSS(runs ...[]runStats) int64 {
	var m int64
	for _, rs := range runs {
		for _, r := range rs {
			m = max(m, r.PeakRSS)
		}
	}
	return m
}

// summarize reduces r to medians and judges it against t.
func summarize(r caseResult, t targets) summary {
	s := summary{
		Case:           r.Case,
		Ideal:          r.Case.idealNetwork(),
		FloorApply:     median(walls(r.FloorApply)),
		ProviderApply:  median(walls(r.ProviderApply)),
		PeerApply:      median(walls(r.PeerApply)),
		FloorPlan:      median(walls(r.FloorPlan)),
		ProviderPlan:   median(walls(r.ProviderPlan)),
		PeerRan:        r.PeerSkipped == "" && len(r.PeerApply) > 0,
		PeerSkipped:    r.PeerSkipped,
		PeakRSS:        peakRSS(r.ProviderApply, r.ProviderPlan),
		ApplyConns:     maxInt(ints(r.ProviderApply, func(x runStats) int { return x.Connections })),
		PlanConns:      maxInt(ints(r.ProviderPlan, func(x runStats) int { return x.Connections })),
		PeerConns:      median(ints(r.PeerApply, func(x runStats) int { return x.Connections })),
		ApplyRequests:  median(ints(r.ProviderApply, func(x runStats) int { return x.Requests })),
		PlanRequests:   median(ints(r.ProviderPlan, func(x runStats) int { return x.Requests })),
		PlanTableBytes: median(tableBytes(r.ProviderPlan)),
		Timed:          r.Case.Catalogued == 0,
		ApplyStarts:    median(ints(r.ProviderApply, func(x runStats) int { return x.ProviderStarts })),
		PlanStarts:     median(ints(r.ProviderPlan, func(x runStats) int { return x.ProviderStarts })),

		FloorApplyCPU:      median(durations(r.FloorApply, cpuOf)),
		ProviderApplyCPU:   median(durations(r.ProviderApply, cpuOf)),
		PeerApplyCPU:       median(durations(r.PeerApply, cpuOf)),
		FloorPlanCPU:       median(durations(r.FloorPlan, cpuOf)),
		ProviderPlanCPU:    median(durations(r.ProviderPlan, cpuOf)),
		ApplyCPUInProvider: median(durations(r.ProviderApply, providerCPUOf)),
		PlanCPUInProvider:  median(durations(r.ProviderPlan, providerCPUOf)),
		FrameworkRan:       len(r.FrameworkApply) > 0,
		FrameworkApply:     median(walls(r.FrameworkApply)),
		FrameworkPlan:      median(walls(r.FrameworkPlan)),
		FrameworkApplyCPU:  median(durations(r.FrameworkApply, cpuOf)),
		FrameworkPlanCPU:   median(durations(r.FrameworkPlan, cpuOf)),
		SchemaApply:        median(walls(r.SchemaApply)),
		SchemaPlan:         median(walls(r.SchemaPlan)),
		SchemaApplyCPU:     median(durations(r.SchemaApply, cpuOf)),
		SchemaPlanCPU:      median(durations(r.SchemaPlan, cpuOf)),
	}
	s.ApplyRatio = ratio(s.ProviderApply, s.FloorApply+s.Ideal)
	s.FrameworkApplyRatio = ratio(s.FrameworkApply, s.FloorApply+s.Ideal)
	s.FrameworkPlanRatio = ratio(s.FrameworkPlan, s.FloorPlan+s.Ideal)
	s.SchemaApplyRatio = ratio(s.SchemaApply, s.FloorApply+s.Ideal)
	s.SchemaPlanRatio = ratio(s.SchemaPlan, s.FloorPlan+s.Ideal)
	s.RefreshRatio = ratio(s.ProviderPlan, s.FloorPlan+s.Ideal)
	s.ProviderOverhead = s.ApplyRatio - 1
	s.ApplyOK = s.ApplyRatio <= t.Apply
	s.RefreshOK = s.RefreshRatio <= t.Refresh
	if s.PeerRan {
		s.PeerRatio = ratio(s.PeerApply, s.FloorApply+s.Ideal)
		s.PeerOverhead = s.PeerRatio - 1
		s.OverheadOK = s.ProviderOverhead <= t.OverheadFraction*max(s.PeerOverhead, 0)
	}
	s.RSSOK = s.PeakRSS > 0 && s.PeakRSS <= t.RSSBytes
	s.ConnsOK = max(s.ApplyConns, s.PlanConns) <= t.ConnCap+t.ConnSlack
	if s.Budget, s.HasBudget = r.Case.refreshBudget(); s.HasBudget {
		s.BudgetRequestsOK = s.Budget.Requests == 0 || s.PlanRequests <= s.Budget.Requests
		s.BudgetBytesOK = s.Budget.Bytes == 0 || s.PlanTableBytes <= s.Budget.Bytes
	}
	if len(r.VariantApply) > 0 {
		s.VariantRan = true
		s.VariantApply = median(walls(r.VariantApply))
		s.VariantPlan = median(walls(r.VariantPlan))
		s.VariantApplyRatio = ratio(s.VariantApply, s.FloorApply+s.Ideal)
		s.VariantRatio = ratio(s.VariantPlan, s.FloorPlan+s.Ideal)
		s.VariantRSS = peakRSS(r.VariantApply, r.VariantPlan)
		s.VariantPlanRequests = median(ints(r.VariantPlan, func(x runStats) int { return x.Requests }))
		s.VariantPlanTableBytes = median(tableBytes(r.VariantPlan))
	}
	return s
}

// misses lists the targets s missed, for the closing line.
func (s summary) misses() []string {
	var out []string
	if s.Timed && !s.ApplyOK {
		out = append(out, "apply")
	}
	if s.Timed && !s.RefreshOK {
		out = append(out, "refresh")
	}
	if s.Timed && s.PeerRan && !s.OverheadOK {
		out = append(out, "overhead vs peer")
	}
	if s.HasBudget && !s.BudgetRequestsOK {
		out = append(out, "refresh requests")
	}
	if s.HasBudget && !s.BudgetBytesOK {
		out = append(out, "refresh bytes")
	}
	if !s.RSSOK {
		out = append(out, "RSS")
	}
	if !s.ConnsOK {
		out = append(out, "connections")
	}
	return out
}

func passFail(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

// judged is " PASS" or " FAIL" for a timed case, nothing for another.
func (s summary) judged(ok bool) string {
	if !s.Timed {
		return ""
	}
	return " " + passFail(ok)
}

// kibibytes formats a byte count: "27.8 KiB".
func kibibytes(b int64) string {
	return fmt.Sprintf("%.1f KiB", float64(b)/1024)
}

func tableBytes(runs []runStats) []int64 {
	out := make([]int64, len(runs))
	for i, r := range runs {
		out[i] = r.TableBytes
	}
	return out
}

// refreshCell renders a refresh's requests and catalog bytes, judged
// against the case's budget when it has one.
func refreshCell(s summary) string {
	cell := fmt.Sprintf("%d requests, %s", s.PlanRequests, kibibytes(s.PlanTableBytes))
	if s.HasBudget {
		cell += " " + passFail(s.BudgetRequestsOK && s.BudgetBytesOK)
	}
	return cell
}

// budgetTarget describes issue 12's refresh budgets.
func budgetTarget() string {
	var parts []string
	for _, k := range slices.SortedFunc(maps.Keys(refreshBudgets), func(a, b [2]int) int { return a[0] - b[0] }) {
		b := refreshBudgets[k]
		part := fmt.Sprintf("%d of %d: ≤ %d requests", k[0], k[1], b.Requests)
		if b.Bytes > 0 {
			part += ", ≤ " + kibibytes(b.Bytes)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "; ")
}

// seconds formats d as seconds with two decimals: "2.31 s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// secondsEach formats durations that share a unit: "1.20 / 3.40 s".
func secondsEach(ds ...time.Duration) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("%.2f", d.Seconds())
	}
	return strings.Join(parts, " / ") + " s"
}

// times formats a ratio: "1.04×".
func times(r float64) string {
	return fmt.Sprintf("%.2f×", r)
}

// signed formats an overhead: "+0.04", "-0.01".
func signed(x float64) string {
	return fmt.Sprintf("%+.2f", x)
}

func megabytes(b int64) string {
	return fmt.Sprintf("%.1f MB", float64(b)/megabyte)
}

// overheadCell renders the provider-vs-peer comparison of one case.
func overheadCell(s summary) string {
	if !s.PeerRan {
		reason := s.PeerSkipped
		if reason == "" {
			reason = "peer not run"
		}
		return "n/a (" + reason + ")"
	}
	cell := signed(s.ProviderOverhead) + " vs " + signed(s.PeerOverhead)
	if s.PeerOverhead > 0 {
		cell += fmt.Sprintf(" = %.2f of the peer's", s.ProviderOverhead/s.PeerOverhead)
	}
	return cell + s.judged(s.OverheadOK)
}

// writeMarkdown writes the figures as one Markdown table, cases as columns.
func writeMarkdown(w io.Writer, sums []summary, t targets) {
	row := func(name string, cell func(summary) string, target string) {
		cells := make([]string, len(sums))
		for i, s := range sums {
			cells[i] = cell(s)
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", name, strings.Join(cells, " | "), target)
	}
	heads := make([]string, len(sums))
	aligns := make([]string, len(sums))
	for i, s := range sums {
		heads[i] = s.Case.label()
		aligns[i] = "--:"
	}
	fmt.Fprintf(w, "| | %s | Target |\n", strings.Join(heads, " | "))
	fmt.Fprintf(w, "|---|%s|---|\n", strings.Join(aligns, "|"))

	row("Floor: `terraform_data` apply", func(s summary) string { return seconds(s.FloorApply) }, "")
	row("Ideal network time, ceil(N/P) × L", func(s summary) string { return seconds(s.Ideal) }, "")
	row("`alation_table_sync` apply", func(s summary) string {
		return seconds(s.ProviderApply) + ", " + times(s.ApplyRatio) + s.judged(s.ApplyOK)
	}, fmt.Sprintf("≤ %.2f× (floor + ideal)", t.Apply))
	row("Peer: `terraform_data` + `local-exec` curl apply", func(s summary) string {
		if !s.PeerRan {
			return "skipped"
		}
		return seconds(s.PeerApply) + ", " + times(s.PeerRatio)
	}, "")
	row("Framework floor: same sync, least code, 4 attributes / `alation_table_sync`'s schema, apply", func(s summary) string {
		if !s.FrameworkRan {
			return "n/a"
		}
		return seconds(s.FrameworkApply) + ", " + times(s.FrameworkApplyRatio) + " / " + seconds(s.SchemaApply) + ", " + times(s.SchemaApplyRatio)
	}, "")
	row("Overhead (ratio − 1), provider vs peer", overheadCell, fmt.Sprintf("≤ %s of the peer's", fraction(t.OverheadFraction)))
	row("Floor: no-change plan", func(s summary) string { return seconds(s.FloorPlan) }, "")
	row("`alation_table_sync` no-change plan (refresh)", func(s summary) string {
		return seconds(s.ProviderPlan) + ", " + times(s.RefreshRatio) + s.judged(s.RefreshOK)
	}, fmt.Sprintf("≤ %.2f× (floor plan + ideal)", t.Refresh))
	row("Framework floor: no-change plan, 4 attributes / `alation_table_sync`'s schema", func(s summary) string {
		if !s.FrameworkRan {
			return "n/a"
		}
		return seconds(s.FrameworkPlan) + ", " + times(s.FrameworkPlanRatio) + " / " + seconds(s.SchemaPlan) + ", " + times(s.SchemaPlanRatio)
	}, "")
	row("Provider peak RSS", func(s summary) string {
		if s.PeakRSS == 0 {
			return "not seen FAIL"
		}
		return megabytes(s.PeakRSS) + " " + passFail(s.RSSOK)
	}, fmt.Sprintf("≤ %s", megabytes(t.RSSBytes)))
	row("CPU time, all processes: floor / provider / framework floors (4 attributes, schema) / peer apply", func(s summary) string {
		if !s.PeerRan {
			return secondsEach(s.FloorApplyCPU, s.ProviderApplyCPU, s.FrameworkApplyCPU, s.SchemaApplyCPU) + ", peer skipped"
		}
		return secondsEach(s.FloorApplyCPU, s.ProviderApplyCPU, s.FrameworkApplyCPU, s.SchemaApplyCPU, s.PeerApplyCPU)
	}, "")
	row("CPU time, all processes: floor / provider / framework floors (4 attributes, schema) plan", func(s summary) string {
		return secondsEach(s.FloorPlanCPU, s.ProviderPlanCPU, s.FrameworkPlanCPU, s.SchemaPlanCPU)
	}, "")
	row("CPU time in provider processes, apply / plan", func(s summary) string {
		return secondsEach(s.ApplyCPUInProvider, s.PlanCPUInProvider)
	}, "")
	row("HTTP connections, apply / plan", func(s summary) string {
		return fmt.Sprintf("%d / %d %s", s.ApplyConns, s.PlanConns, passFail(s.ConnsOK))
	}, fmt.Sprintf("≤ cap %d + %d", t.ConnCap, t.ConnSlack))
	row("Requests, apply / plan", func(s summary) string {
		return fmt.Sprintf("%d / %d", s.ApplyRequests, s.PlanRequests)
	}, "")
	row("No-change plan (refresh): requests, catalog rows read", refreshCell, budgetTarget())
	row("Peer's HTTP connections", func(s summary) string {
		if !s.PeerRan {
			return "skipped"
		}
		return fmt.Sprint(s.PeerConns)
	}, "")
	row("Provider processes started, apply / plan", func(s summary) string {
		return fmt.Sprintf("%d / %d", s.ApplyStarts, s.PlanStarts)
	}, "")
	if len(sums) == 0 || !sums[0].VariantRan {
		return
	}
	row("Variant apply", func(s summary) string {
		return seconds(s.VariantApply) + ", " + times(s.VariantApplyRatio) + s.judged(s.VariantApplyRatio <= t.Apply)
	}, fmt.Sprintf("≤ %.2f× (floor + ideal)", t.Apply))
	row("Variant no-change plan", func(s summary) string {
		return seconds(s.VariantPlan) + ", " + times(s.VariantRatio) + s.judged(s.VariantRatio <= t.Refresh) +
			fmt.Sprintf("; %d requests, %s", s.VariantPlanRequests, kibibytes(s.VariantPlanTableBytes))
	}, fmt.Sprintf("≤ %.2f× (floor plan + ideal)", t.Refresh))
	row("Variant peak RSS", func(s summary) string {
		return megabytes(s.VariantRSS) + " " + passFail(s.VariantRSS > 0 && s.VariantRSS <= t.RSSBytes)
	}, fmt.Sprintf("≤ %s", megabytes(t.RSSBytes)))
}

// fraction renders 0.25 as "1/4" and anything else as a decimal.
func fraction(x float64) string {
	for d := 2; d <= 10; d++ {
		if x*float64(d) == 1 {
			return fmt.Sprintf("1/%d", d)
		}
	}
	return fmt.Sprintf("%.2f", x)
}

// writeVerdict writes one line per case saying which targets it missed.
func writeVerdict(w io.Writer, sums []summary) {
	for _, s := range sums {
		if m := s.misses(); len(m) > 0 {
			fmt.Fprintf(w, "%s: missed %s\n", s.Case, strings.Join(m, ", "))
		} else {
			fmt.Fprintf(w, "%s: every target met\n", s.Case)
		}
	}
}

// writeRuns lists every run's wall time, for judging the noise.
func writeRuns(w io.Writer, results []caseResult) {
	for _, r := range results {
		fmt.Fprintf(w, "%s\n", r.Case)
		for _, k := range []struct {
			name string
			runs []runStats
		}{
			{"floor apply", r.FloorApply}, {"provider apply", r.ProviderApply}, {"peer apply", r.PeerApply},
			{"framework apply", r.FrameworkApply}, {"schema apply", r.SchemaApply},
			{"floor plan", r.FloorPlan}, {"provider plan", r.ProviderPlan},
			{"framework plan", r.FrameworkPlan}, {"schema plan", r.SchemaPlan},
			{"variant apply", r.VariantApply}, {"variant plan", r.VariantPlan},
		} {
			if len(k.runs) == 0 {
				continue
			}
			parts := make([]string, len(k.runs))
			for i, run := range k.runs {
				parts[i] = fmt.Sprintf("%.2f", run.Wall.Seconds())
			}
			fmt.Fprintf(w, "  %-15s %s s\n", k.name, strings.Join(parts, ", "))
		}
	}
}
