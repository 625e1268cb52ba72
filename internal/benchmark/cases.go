package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// benchCase is one scenario: N resources, latency L per request at the
// emulator, Terraform's -parallelism P.
type benchCase struct {
	N           int
	Latency     time.Duration
	Parallelism int
}

// defaultCases are the two cases.
const defaultCases = "200:50ms:10,500:0:10"

func (c benchCase) String() string {
	return fmt.Sprintf("N=%d L=%s P=%d", c.N, formatLatency(c.Latency), c.Parallelism)
}

// label is the case as a Markdown column heading.
func (c benchCase) label() string {
	return fmt.Sprintf("N=%d, L=%s, P=%d", c.N, formatLatency(c.Latency), c.Parallelism)
}

// idealNetwork is the network time no client can beat: ceil(N/P) rounds of
// one round trip each.
func (c benchCase) idealNetwork() time.Duration {
	if c.Parallelism <= 0 {
		return 0
	}
	rounds := (c.N + c.Parallelism - 1) / c.Parallelism
	return time.Duration(rounds) * c.Latency
}

func formatLatency(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	return d.String()
}

// parseCases reads "N:L:P,N:L:P", such as "200:50ms:10,500:0:10". L is a Go
// duration; a bare 0 means no added latency.
func parseCases(s string) ([]benchCase, error) {
	var out []benchCase
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		fields := strings.Split(part, ":")
		if len(fields) != 3 {
			return nil, fmt.Errorf("case %q: want N:latency:parallelism, such as 200:50ms:10", part)
		}
		n, err := strconv.Atoi(strings.TrimSpace(fields[0]))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("case %q: N must be a whole number of at least 1", part)
		}
		lat, err := time.ParseDuration(strings.TrimSpace(fields[1]))
		if err != nil || lat < 0 {
			return nil, fmt.Errorf("case %q: latency must be a duration such as 50ms, or 0", part)
		}
		p, err := strconv.Atoi(strings.TrimSpace(fields[2]))
		if err != nil || p < 1 {
			return nil, fmt.Errorf("case %q: parallelism must be a whole number of at least 1", part)
		}
		out = append(out, benchCase{N: n, Latency: lat, Parallelism: p})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no cases in %q", s)
	}
	return out, nil
}

// maxN is the most resources any case needs: the emulator gets that many
// source tables.
func maxN(cases []benchCase) int {
	n := 0
	for _, c := range cases {
		n = max(n, c.N)
	}
	return n
}
