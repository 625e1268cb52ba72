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
	want := []benchCase{{200, 50 * time.Millisecond, 10}, {500, 0, 10}}
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
	if len(got) != 2 || got[0] != (benchCase{10, time.Second, 3}) || got[1] != (benchCase{7, 250 * time.Microsecond, 1}) {
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
		"200:50ms:1:2": "want N:latency:parallelism",
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
		{benchCase{200, 50 * time.Millisecond, 10}, time.Second},
		{benchCase{201, 50 * time.Millisecond, 10}, 1050 * time.Millisecond},
		{benchCase{5, 50 * time.Millisecond, 10}, 50 * time.Millisecond},
		{benchCase{500, 0, 10}, 0},
		{benchCase{3, time.Second, 1}, 3 * time.Second},
	} {
		if got := tc.c.idealNetwork(); got != tc.want {
			t.Errorf("%s: ideal %v, want %v", tc.c, got, tc.want)
		}
	}
}

func TestCaseNames(t *testing.T) {
	c := benchCase{500, 0, 10}
	if c.String() != "N=500 L=0 P=10" || c.label() != "N=500, L=0, P=10" {
		t.Errorf("got %q and %q", c.String(), c.label())
	}
	if got := maxN([]benchCase{{200, 0, 1}, {500, 0, 1}, {7, 0, 1}}); got != 500 {
		t.Errorf("maxN = %d", got)
	}
}
