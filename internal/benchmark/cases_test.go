package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseCases(t *testing.T) {
	got, err := parseCases(defaultCases)
	if err != nil {
		t.Fatal(err)
	}
	want := []benchCase{{200, 50 * time.Millisecond, 10, 0}, {500, 0, 10, 0}, {3, 0, 10, 3000}, {200, 0, 10, 250}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("case %d: got %+v, want %+v", i, got[i], want[i])
		}
	}

	got, err = parseCases(" 10:1s:3 , ,7:250us:1,")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (benchCase{10, time.Second, 3, 0}) || got[1] != (benchCase{7, 250 * time.Microsecond, 1, 0}) {
		t.Errorf("got %+v", got)
	}
}

func TestParseCases_Errors(t *testing.T) {
	for in, want := range map[string]string{
		"":             "no cases",
		"200:50ms":     "want N:latency:parallelism",
		"0:50ms:10":    "N must be",
		"x:50ms:10":    "N must be",
		"200:fast:10":  "latency must be",
		"200:-1ms:10":  "latency must be",
		"200:50ms:0":   "parallelism must be",
		"200:50ms:1:2": "at least N",
		"3:0:10:x":     "catalogued tables must be",
		"3:0:10:1:1":   "want N:latency:parallelism",
	} {
		_, err := parseCases(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseCases(%q) = %v, want an error with %q", in, err, want)
		}
	}
}

func TestIdealNetwork(t *testing.T) {
	for _, tc := range []struct {
		c    benchCase
		want time.Duration
	}{
		{benchCase{200, 50 * time.Millisecond, 10, 0}, time.Second},
		{benchCase{201, 50 * time.Millisecond, 10, 0}, 1050 * time.Millisecond},
		{benchCase{5, 50 * time.Millisecond, 10, 0}, 50 * time.Millisecond},
		{benchCase{500, 0, 10, 0}, 0},
		{benchCase{3, time.Second, 1, 0}, 3 * time.Second},
	} {
		if got := tc.c.idealNetwork(); got != tc.want {
			t.Errorf("%s: ideal %v, want %v", tc.c, got, tc.want)
		}
	}
}

func TestCaseNames(t *testing.T) {
	c := benchCase{500, 0, 10, 0}
	if c.String() != "N=500 L=0 P=10" || c.label() != "N=500, L=0, P=10" || c.schema() != benchSchema {
		t.Errorf("got %q, %q and %q", c.String(), c.label(), c.schema())
	}
	c = benchCase{3, 0, 10, 3000}
	if c.String() != "N=3 L=0 P=10 S=3000" || c.label() != "N=3 of 3000, L=0, P=10" || c.schema() != "BENCH.CATALOG_3000" {
		t.Errorf("got %q, %q and %q", c.String(), c.label(), c.schema())
	}
	if got := maxN([]benchCase{{200, 0, 1, 0}, {500, 0, 1, 0}, {7, 0, 1, 0}}); got != 500 {
		t.Errorf("maxN = %d", got)
	}
}

// Issue 12's budgets belong to its two cases only.
func TestRefreshBudget(t *testing.T) {
	if b, ok := (benchCase{3, 0, 10, 3000}).refreshBudget(); !ok || b.Requests != 6 || b.Bytes != 64<<10 {
		t.Errorf("sparse: %+v, %v", b, ok)
	}
	if b, ok := (benchCase{200, 0, 10, 250}).refreshBudget(); !ok || b.Requests != 10 || b.Bytes != 0 {
		t.Errorf("dense: %+v, %v", b, ok)
	}
	if _, ok := (benchCase{200, 0, 10, 0}).refreshBudget(); ok {
		t.Error("a budget for a case without a catalog")
	}
}

func TestParseListingCost(t *testing.T) {
	c, err := parseListingCost(defaultListingCost)
	if err != nil || c.PerRequest != 50*time.Millisecond || c.PerRow != time.Millisecond {
		t.Errorf("%s: %+v, %v", defaultListingCost, c, err)
	}
	for _, bad := range []string{"", "50ms", "50ms:x", "-1ms:1ms"} {
		if _, err := parseListingCost(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
