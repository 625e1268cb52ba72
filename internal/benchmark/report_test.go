package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

var testTargets = targets{Apply: 1.10, Refresh: 1.20, OverheadFraction: 0.25, RSSBytes: 60 * megabyte, ConnCap: 10, ConnSlack: 4}

func runs(walls ...float64) []runStats {
	out := make([]runStats, len(walls))
	for i, w := range walls {
		out[i] = runStats{Wall: time.Duration(w * float64(time.Second))}
	}
	return out
}

// withCounts sets the same counts on every run, of 200 requests each.
func withCounts(rs []runStats, rss int64, starts, conns int) []runStats {
	for i := range rs {
		rs[i].PeakRSS, rs[i].ProviderStarts, rs[i].Connections, rs[i].Requests = rss, starts, conns, 200
	}
	return rs
}

// withCPU sets the same CPU times on every run: all processes and the
// provider's, in seconds.
func withCPU(rs []runStats, all, provider float64) []runStats {
	for i := range rs {
		rs[i].CPU = time.Duration(all * float64(time.Second))
		rs[i].ProviderCPU = time.Duration(provider * float64(time.Second))
	}
	return rs
}

// goodResult meets every target: floor 1 s + ideal 1 s = 2 s; the provider
// takes 2.1 s (1.05×), the peer 4 s (2×).
func goodResult() caseResult {
	return caseResult{
		Case:          benchCase{200, 50 * time.Millisecond, 10, 0},
		FloorApply:    withCPU(runs(1.0, 0.9, 1.1), 1.2, 0),
		ProviderApply: withCPU(withCounts(runs(2.1, 2.0, 2.3), 40*megabyte, 4, 10), 3.4, 1.2),
		PeerApply:     withCPU(withCounts(runs(4.0, 4.2, 3.9), 0, 0, 200), 2.9, 0),
		FloorPlan:     withCPU(runs(0.5, 0.5, 0.6), 0.6, 0),
		ProviderPlan:  withCPU(withCounts(runs(1.7, 1.6, 1.8), 45*megabyte, 3, 11), 1.5, 0.8),
		// The framework floor is not the provider: its RSS is not counted.
		FrameworkApply: withCPU(withCounts(runs(1.8, 1.8, 1.9), 0, 4, 200), 3.0, 0),
		FrameworkPlan:  withCPU(runs(1.2, 1.2, 1.2), 1.1, 0),
		SchemaApply:    withCPU(withCounts(runs(2.0, 2.0, 2.0), 0, 4, 200), 3.2, 0),
		SchemaPlan:     withCPU(runs(1.5, 1.5, 1.5), 1.3, 0),
	}
}

func TestSummarize_AllTargetsMet(t *testing.T) {
	s := summarize(goodResult(), testTargets)
	if s.Ideal != time.Second || s.FloorApply != time.Second || s.ProviderApply != 2100*time.Millisecond {
		t.Fatalf("medians: %+v", s)
	}
	if !near(s.ApplyRatio, 1.05) || !near(s.PeerRatio, 2.0) || !near(s.RefreshRatio, 1.7/1.5) {
		t.Errorf("ratios: apply %v, peer %v, refresh %v", s.ApplyRatio, s.PeerRatio, s.RefreshRatio)
	}
	if !near(s.ProviderOverhead, 0.05) || !near(s.PeerOverhead, 1.0) {
		t.Errorf("overheads: %v, %v", s.ProviderOverhead, s.PeerOverhead)
	}
	if !s.ApplyOK || !s.RefreshOK || !s.OverheadOK || !s.RSSOK || !s.ConnsOK {
		t.Errorf("verdicts: %+v", s)
	}
	if s.PeakRSS != 45*megabyte || s.ApplyConns != 10 || s.PlanConns != 11 || s.ApplyStarts != 4 || s.PlanStarts != 3 {
		t.Errorf("counts: %+v", s)
	}
	if m := s.misses(); len(m) != 0 {
		t.Errorf("misses = %v", m)
	}
}

func TestSummarize_CPU(t *testing.T) {
	r := goodResult()
	r.ProviderApply[0].CPU, r.ProviderApply[0].ProviderCPU = 9*time.Second, 9*time.Second // an outlier the median ignores
	r.ProviderPlan[1].CPU, r.ProviderPlan[2].ProviderCPU = time.Second, time.Second
	s := summarize(r, testTargets)
	sec := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{
		{"floor apply", s.FloorApplyCPU, sec(1.2)},
		{"provider apply", s.ProviderApplyCPU, sec(3.4)},
		{"peer apply", s.PeerApplyCPU, sec(2.9)},
		{"floor plan", s.FloorPlanCPU, sec(0.6)},
		{"provider plan", s.ProviderPlanCPU, sec(1.5)},
		{"in provider, apply", s.ApplyCPUInProvider, sec(1.2)},
		{"in provider, plan", s.PlanCPUInProvider, sec(0.8)},
	} {
		if c.got != c.want {
			t.Errorf("%s: CPU %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestSummarize_Misses(t *testing.T) {
	r := goodResult()
	r.ProviderApply = withCounts(runs(2.6, 2.6, 2.6), 70*megabyte, 4, 15) // 1.30×, overhead 0.30 > 1.0/4
	r.ProviderPlan = withCounts(runs(1.9, 1.9, 1.9), 0, 3, 10)            // 1.27×
	s := summarize(r, testTargets)
	if s.ApplyOK || s.RefreshOK || s.OverheadOK || s.RSSOK || s.ConnsOK {
		t.Errorf("verdicts: %+v", s)
	}
	if got := strings.Join(s.misses(), ","); got != "apply,refresh,overhead vs peer,RSS,connections" {
		t.Errorf("misses = %s", got)
	}
}

func TestSummarize_NoPeer(t *testing.T) {
	r := goodResult()
	r.PeerApply, r.PeerSkipped = nil, "curl not found on PATH"
	s := summarize(r, testTargets)
	if s.PeerRan || s.OverheadOK {
		t.Errorf("peer: %+v", s)
	}
	if m := s.misses(); len(m) != 0 {
		t.Errorf("a skipped peer is not a miss: %v", m)
	}
	if got := overheadCell(s); got != "n/a (curl not found on PATH)" {
		t.Errorf("overhead cell = %q", got)
	}
}

func TestSummarize_PeerNoOverhead(t *testing.T) {
	// A peer as fast as the floor leaves the provider no room.
	r := goodResult()
	r.PeerApply = runs(2.0, 2.0, 2.0)
	s := summarize(r, testTargets)
	if s.OverheadOK {
		t.Errorf("a positive overhead against a peer without any passed: %+v", s)
	}
	r.ProviderApply = runs(1.9, 1.9, 1.9)
	if s := summarize(r, testTargets); !s.OverheadOK {
		t.Errorf("a negative overhead failed: %+v", s)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestWriteMarkdown(t *testing.T) {
	good := summarize(goodResult(), testTargets)
	r := goodResult()
	r.Case = benchCase{500, 0, 10, 0}
	r.PeerApply, r.PeerSkipped = nil, "curl not found on PATH"
	other := summarize(r, testTargets)
	var buf bytes.Buffer
	writeMarkdown(&buf, []summary{good, other}, testTargets)
	out := buf.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 20 {
		t.Fatalf("%d lines, want 20:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "|---") {
			t.Errorf("not a table row: %q", l)
		}
		if got := strings.Count(l, "|"); got != 5 {
			t.Errorf("%d pipes, want 5 (4 columns): %q", got, l)
		}
	}
	// The CPU rows come right after the RSS row.
	if !strings.HasPrefix(lines[11], "| Provider peak RSS |") || !strings.HasPrefix(lines[12], "| CPU time, all processes: floor / provider / framework floors") {
		t.Errorf("CPU rows not after the RSS row:\n%s", out)
	}
	for _, want := range []string{
		"| | N=200, L=50ms, P=10 | N=500, L=0, P=10 | Target |",
		"| `alation_table_sync` apply | 2.10 s, 1.05× PASS | 2.10 s, 2.10× FAIL | ≤ 1.10× (floor + ideal) |",
		"| Ideal network time, ceil(N/P) × L | 1.00 s | 0.00 s |  |",
		"+0.05 vs +1.00 = 0.05 of the peer's PASS",
		"n/a (curl not found on PATH)",
		"| Provider peak RSS | 45.0 MB PASS | 45.0 MB PASS | ≤ 60.0 MB |",
		"| HTTP connections, apply / plan | 10 / 11 PASS | 10 / 11 PASS | ≤ cap 10 + 4 |",
		"| CPU time, all processes: floor / provider / framework floors (4 attributes, schema) / peer apply | 1.20 / 3.40 / 3.00 / 3.20 / 2.90 s | 1.20 / 3.40 / 3.00 / 3.20 s, peer skipped |  |",
		"| CPU time, all processes: floor / provider / framework floors (4 attributes, schema) plan | 0.60 / 1.50 / 1.10 / 1.30 s | 0.60 / 1.50 / 1.10 / 1.30 s |  |",
		"| Framework floor: same sync, least code, 4 attributes / `alation_table_sync`'s schema, apply | 1.80 s, 0.90× / 2.00 s, 1.00× | 1.80 s, 1.80× / 2.00 s, 2.00× |  |",
		"| Framework floor: no-change plan, 4 attributes / `alation_table_sync`'s schema | 1.20 s, 0.80× / 1.50 s, 1.00× | 1.20 s, 2.40× / 1.50 s, 3.00× |  |",
		"| CPU time in provider processes, apply / plan | 1.20 / 0.80 s | 1.20 / 0.80 s |  |",
		"≤ 1/4 of the peer's",
		"| No-change plan (refresh): requests, catalog rows read | 200 requests, 0.0 KiB | 200 requests, 0.0 KiB | 3 of 3000: ≤ 6 requests, ≤ 64.0 KiB; 200 of 250: ≤ 10 requests |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Variant") {
		t.Errorf("variant rows without a variant:\n%s", out)
	}
}

// A catalogued case is judged on its refresh's requests and bytes, not on
// its times, which include emulated server time.
func TestSummarize_CatalogedCase(t *testing.T) {
	r := goodResult()
	r.Case = benchCase{3, 0, 10, 3000}
	r.ProviderApply = withCounts(runs(9, 9, 9), 40*megabyte, 4, 10) // far too slow: not judged
	r.ProviderPlan = withCounts(runs(1.7, 1.6, 1.8), 45*megabyte, 3, 2)
	for i := range r.ProviderPlan {
		r.ProviderPlan[i].Requests, r.ProviderPlan[i].TableBytes = 4+i, int64(20<<10+i)
	}
	s := summarize(r, testTargets)
	if s.Timed || !s.HasBudget || !s.BudgetRequestsOK || !s.BudgetBytesOK || s.PlanRequests != 5 || s.PlanTableBytes != 20<<10+1 {
		t.Errorf("summary: %+v", s)
	}
	if m := s.misses(); len(m) != 0 {
		t.Errorf("misses = %v", m)
	}
	if got := refreshCell(s); got != "5 requests, 20.0 KiB PASS" {
		t.Errorf("refresh cell = %q", got)
	}
	var buf bytes.Buffer
	writeMarkdown(&buf, []summary{s}, testTargets)
	if !strings.Contains(buf.String(), "| `alation_table_sync` apply | 9.00 s, 9.00× | ≤") {
		t.Errorf("a catalogued case's apply judged:\n%s", buf.String())
	}
	for i := range r.ProviderPlan {
		r.ProviderPlan[i].Requests, r.ProviderPlan[i].TableBytes = 7, 800<<10
	}
	if got := strings.Join(summarize(r, testTargets).misses(), ","); got != "refresh requests,refresh bytes" {
		t.Errorf("misses = %s", got)
	}
}

func TestWriteMarkdown_Variant(t *testing.T) {
	r := goodResult()
	r.VariantApply = withCounts(runs(2.0, 2.0, 2.0), 30*megabyte, 4, 10)
	r.VariantPlan = withCounts(runs(1.5, 1.5, 1.5), 35*megabyte, 3, 10)
	var buf bytes.Buffer
	writeMarkdown(&buf, []summary{summarize(r, testTargets)}, testTargets)
	for _, want := range []string{
		"| Variant apply | 2.00 s, 1.00× PASS |",
		"| Variant no-change plan | 1.50 s, 1.00× PASS; 200 requests, 0.0 KiB |",
		"| Variant peak RSS | 35.0 MB PASS |",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("missing %q in:\n%s", want, buf.String())
		}
	}
}

func TestWriteVerdictAndRuns(t *testing.T) {
	bad := goodResult()
	bad.ProviderPlan = runs(3, 3, 3)
	var buf bytes.Buffer
	writeVerdict(&buf, []summary{summarize(goodResult(), testTargets), summarize(bad, testTargets)})
	want := "N=200 L=50ms P=10: every target met\nN=200 L=50ms P=10: missed refresh\n"
	if buf.String() != want {
		t.Errorf("verdict:\n%s\nwant:\n%s", buf.String(), want)
	}
	buf.Reset()
	writeRuns(&buf, []caseResult{goodResult()})
	if !strings.Contains(buf.String(), "  provider apply  2.10, 2.00, 2.30 s\n") || !strings.Contains(buf.String(), "  schema plan     1.50, 1.50, 1.50 s\n") ||
		strings.Contains(buf.String(), "variant") {
		t.Errorf("runs:\n%s", buf.String())
	}
}

func TestFormatting(t *testing.T) {
	for got, want := range map[string]string{
		seconds(1234 * time.Millisecond): "1.23 s",
		times(1.046):                     "1.05×",
		signed(0.04):                     "+0.04",
		signed(-0.013):                   "-0.01",
		megabytes(45_600_000):            "45.6 MB",
		secondsEach(1200*time.Millisecond, 3404*time.Millisecond): "1.20 / 3.40 s",
		fraction(0.25):                   "1/4",
		fraction(0.3):                    "0.30",
		passFail(true) + passFail(false): "PASSFAIL",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
