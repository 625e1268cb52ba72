package main

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	s := time.Second
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{3 * s}, 3 * s},
		{[]time.Duration{5 * s, 1 * s, 3 * s}, 3 * s},
		{[]time.Duration{4 * s, 1 * s, 3 * s, 2 * s}, 2500 * time.Millisecond},
		{[]time.Duration{9 * s, 1 * s, 1 * s}, 1 * s},
	} {
		in := slices.Clone(tc.in)
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("median reordered its argument: %v", tc.in)
		}
	}
}

func TestMedianIntAndMax(t *testing.T) {
	if got := median([]int{10, 3, 7}); got != 7 {
		t.Errorf("medianInt = %d", got)
	}
	if got := median([]int{10, 4}); got != 7 {
		t.Errorf("median of ints, even count = %d", got)
	}
	if got := median[int](nil); got != 0 {
		t.Errorf("median(nil) = %d", got)
	}
	if got := maxInt([]int{3, 12, 5}); got != 12 {
		t.Errorf("maxInt = %d", got)
	}
}

func TestRatio(t *testing.T) {
	if got := ratio(3*time.Second, 2*time.Second); math.Abs(got-1.5) > 1e-9 {
		t.Errorf("ratio = %v", got)
	}
	if got := ratio(time.Second, 0); got != 0 {
		t.Errorf("ratio over zero = %v, want 0", got)
	}
}

func TestRotate(t *testing.T) {
	s := []int{1, 2, 3}
	for k, want := range [][]int{{1, 2, 3}, {2, 3, 1}, {3, 1, 2}, {1, 2, 3}} {
		if got := rotate(s, k); !slices.Equal(got, want) {
			t.Errorf("rotate(%v, %d) = %v, want %v", s, k, got, want)
		}
	}
	if !slices.Equal(s, []int{1, 2, 3}) {
		t.Errorf("rotate changed its argument: %v", s)
	}
	if got := rotate([]int(nil), 2); len(got) != 0 {
		t.Errorf("rotate(nil) = %v", got)
	}
}
