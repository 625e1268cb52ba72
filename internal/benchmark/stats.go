package main

import (
	"slices"
	"time"
)

// median of the samples (durations or counts); the mean of the middle two
// for an even count, zero for none.
func median[T time.Duration | int | int64](samples []T) T {
	if len(samples) == 0 {
		return 0
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// maxInt is the largest sample, zero for none.
func maxInt(samples []int) int {
	m := 0
	for _, v := range samples {
		m = max(m, v)
	}
	return m
}

// ratio is x / base; zero when base is not positive.
func ratio(x, base time.Duration) float64 {
	if base <= 0 {
		return 0
	}
	return float64(x) / float64(base)
}
