package alation

import (
	"testing"
	"time"
)

// affordable is the inverse of listingCost: the largest schema whose
// listing fits the budget, pages included.
func TestCostModel_affordable(t *testing.T) {
	for _, m := range []costModel{
		{}, // the prior
		{request: 50 * time.Millisecond, row: time.Millisecond, rowKnown: true},
		{request: 10 * time.Millisecond, row: time.Microsecond, rowKnown: true},
		{request: 5 * time.Millisecond, row: 20 * time.Millisecond, rowKnown: true}, // clamped to 1
	} {
		for _, budget := range []float64{0.5, 1, 2, 2.04, 10.2, 63, 500} {
			k := m.affordable(budget)
			if k > 0 && m.listingCost(k) > budget+1e-9 {
				t.Errorf("%+v, budget %v: %d rows cost %v", m, budget, k, m.listingCost(k))
			}
			if m.listingCost(k+1) <= budget-1e-9 && k+1 <= maxPages*MaxPageSize {
				t.Errorf("%+v, budget %v: %d rows, but %d cost only %v", m, budget, k, k+1, m.listingCost(k+1))
			}
		}
	}
	if got := (&costModel{}).affordable(10.2); got != 460 {
		t.Errorf("prior, 10 reads: %d rows, want 460", got)
	}
	if got := (&costModel{}).listingCost(3000); got != 63 {
		t.Errorf("prior, 3,000 rows: %v requests, want 63 (3 pages, 60 requests' worth of rows)", got)
	}
}

func TestCostModel_timing(t *testing.T) {
	var m costModel
	if m.rowRatio() != priorRowRatio {
		t.Errorf("untimed ratio %v", m.rowRatio())
	}
	// A listing timed before any request waits for one.
	m.timedListing(82*time.Millisecond, 1, 32)
	if m.rowKnown || m.early == nil {
		t.Fatalf("early listing: %+v", m)
	}
	m.timedRequest(50 * time.Millisecond)
	if !m.rowKnown || m.row != time.Millisecond || m.rowRatio() != 1.0/50 {
		t.Errorf("after the first request: %+v, ratio %v", m, m.rowRatio())
	}
	m.timedListing(time.Second, 1, 10) // too few rows to tell
	m.timedRequest(30 * time.Millisecond)
	if m.request != 45*time.Millisecond || m.row != time.Millisecond {
		t.Errorf("%+v", m)
	}
	m.timedListing(10*time.Millisecond, 1, 100) // faster than a request: rows look free
	if m.row != 500*time.Microsecond {
		t.Errorf("row %v after a free one, want the mean of 1ms and 0", m.row)
	}
	free := costModel{request: time.Millisecond, rowKnown: true}
	dear := costModel{request: time.Millisecond, row: time.Second, rowKnown: true}
	if free.rowRatio() != minRowRatio || dear.rowRatio() != maxRowRatio {
		t.Errorf("ratios %v and %v, want the bounds", free.rowRatio(), dear.rowRatio())
	}
	// The first probe samples rows, later ones do not.
	var fresh costModel
	if a, b := fresh.probeRows(), fresh.probeRows(); a != probeSampleRows || b != 1 {
		t.Errorf("probe rows %d then %d", a, b)
	}
}
