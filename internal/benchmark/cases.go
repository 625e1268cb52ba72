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
	// Catalogued, when not zero, is how many stewarded tables (about 800
	// bytes each, listed) the case's schema has in the catalog; the N
	// resources manage the first N of them, and the emulator spends server
	// time on listings (-listing-cost). Such a case measures how a refresh
	// reads the catalog (issue 12), not the provider's speed.
	Catalogued int
}

// defaultCases are issue 6's two cases, and issue 12's sparse and dense
// refreshes.
const defaultCases = "200:50ms:10,500:0:10,3:0:10:3000,200:0:10:250"

func (c benchCase) String() string {
	s := fmt.Sprintf("N=%d L=%s P=%d", c.N, formatLatency(c.Latency), c.Parallelism)
	if c.Catalogued > 0 {
		s += fmt.Sprintf(" S=%d", c.Catalogued)
	}
	return s
}

// label is the case as a Markdown column heading.
func (c benchCase) label() string {
	if c.Catalogued > 0 {
		return fmt.Sprintf("N=%d of %d, L=%s, P=%d", c.N, c.Catalogued, formatLatency(c.Latency), c.Parallelism)
	}
	return fmt.Sprintf("N=%d, L=%s, P=%d", c.N, formatLatency(c.Latency), c.Parallelism)
}

// schema is the schema the case's tables are in.
func (c benchCase) schema() string {
	if c.Catalogued > 0 {
		return fmt.Sprintf("BENCH.CATALOG_%d", c.Catalogued)
	}
	return benchSchema
}

// refreshBudget is the most a no-change plan may cost; a zero field is
// not judged.
type refreshBudget struct {
	Requests int
	Bytes    int64 // of catalog rows (GET /integration/v2/table/)
}

// refreshBudgets are issue 12's targets, by N and Catalogued: a sparse
// refresh must cost about what reading its tables one by one costs, a
// dense one a handful of requests.
var refreshBudgets = map[[2]int]refreshBudget{
	{3, 3000}:  {Requests: 6, Bytes: 64 << 10},
	{200, 250}: {Requests: 10},
}

func (c benchCase) refreshBudget() (refreshBudget, bool) {
	b, ok := refreshBudgets[[2]int{c.N, c.Catalogued}]
	return b, ok
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

// parseCases reads "N:L:P,N:L:P:S", such as "200:50ms:10,3:0:10:3000". L
// is a Go duration; a bare 0 means no added latency. S, optional, is the
// number of tables catalogued in the case's schema (see benchCase).
func parseCases(s string) ([]benchCase, error) {
	var out []benchCase
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		fields := strings.Split(part, ":")
		if len(fields) != 3 && len(fields) != 4 {
			return nil, fmt.Errorf("case %q: want N:latency:parallelism[:catalogued], such as 200:50ms:10 or 3:0:10:3000", part)
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
		c := benchCase{N: n, Latency: lat, Parallelism: p}
		if len(fields) == 4 {
			if c.Catalogued, err = strconv.Atoi(strings.TrimSpace(fields[3])); err != nil || c.Catalogued < n {
				return nil, fmt.Errorf("case %q: the catalogued tables must be a whole number, at least N", part)
			}
		}
		out = append(out, c)
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
