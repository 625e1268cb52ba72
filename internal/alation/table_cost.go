package alation

import (
	"math"
	"time"
)

// What a refresh's reads cost, as this client has measured them. Costs are
// counted in requests: a read by id is one request and one row, a listing
// of n rows is a request a page and n rows. Only the ratio of a row to a
// request matters to the choice between the two, so that is what is
// estimated: a request from the reads by id this client times, a row from
// the listings it times. The first probe of a client doubles as such a
// listing (probeSampleRows rows), so that even the first decision to list
// rests on this Alation's costs rather than on the prior.

const (
	// priorRowRatio is what a row costs, in requests, until a listing has
	// been timed: a guess of the order of things (issue 12: a 1,000-row
	// page of tables with custom fields takes Alation seconds, a read by
	// id tens of milliseconds with the round trip), which the first probe
	// replaces with a measurement.
	priorRowRatio = 1.0 / 50
	// The measured ratio is kept within these bounds: a listing too fast
	// to time must not look free, nor a slow one dearer than reads by id.
	minRowRatio = 1.0 / 10000
	maxRowRatio = 1.0
	// minTimedRows is the smallest listing whose time says anything about
	// a row's cost.
	minTimedRows = 16
	// probeSampleRows is how many rows the first probe asks for: enough
	// that their time stands out of a request's jitter (32 ms at 1 ms a
	// row), few enough to stay small (26 KB of tables with custom fields).
	probeSampleRows = 32
)

// costModel holds the estimates; the tableCache's mutex guards it.
type costModel struct {
	request  time.Duration // a request answering one row (moving average); 0 until timed
	row      time.Duration // one more row of a listing; valid when rowKnown
	rowKnown bool
	// early is a listing timed before any request was, kept until one is.
	early   *timedListing
	sampled bool // a probe has asked for probeSampleRows rows
}

type timedListing struct {
	took        time.Duration
	pages, rows int
}

// rowRatio is a row's cost in requests.
func (m *costModel) rowRatio() float64 {
	if m.request <= 0 || !m.rowKnown {
		return priorRowRatio
	}
	return min(max(float64(m.row)/float64(m.request), minRowRatio), maxRowRatio)
}

// readCost is a read by id's cost in requests.
func (m *costModel) readCost() float64 { return 1 + m.rowRatio() }

// timedRequest records a request that answered at most one row.
func (m *costModel) timedRequest(d time.Duration) {
	if m.request == 0 {
		m.request = d
		if e := m.early; e != nil {
			m.early = nil
			m.timedListing(e.took, e.pages, e.rows)
		}
		return
	}
	m.request = (3*m.request + d) / 4
}

// probeRows is how many rows the next probe asks for: a sample of rows
// until a row's cost is known, one after.
func (m *costModel) probeRows() int {
	if m.rowKnown || m.sampled {
		return 1
	}
	m.sampled = true
	return probeSampleRows
}

// timedListing records a listing of rows rows over pages requests.
func (m *costModel) timedListing(d time.Duration, pages, rows int) {
	if rows < minTimedRows {
		return
	}
	if m.request <= 0 {
		m.early = &timedListing{d, pages, rows}
		return
	}
	perRow := max(d-time.Duration(pages)*m.request, 0) / time.Duration(rows)
	if m.rowKnown {
		perRow = (m.row + perRow) / 2
	}
	m.row, m.rowKnown = perRow, true
}

// listingPages is the number of requests a listing of rows rows takes.
func listingPages(rows int) int {
	return max(1, (rows+MaxPageSize-1)/MaxPageSize)
}

// listingCost is what listing a schema of rows tables costs, in requests.
func (m *costModel) listingCost(rows int) float64 {
	return float64(listingPages(rows)) + m.rowRatio()*float64(rows)
}

// affordable is the largest schema that can be listed for at most budget.
func (m *costModel) affordable(budget float64) int {
	rho, best := m.rowRatio(), 0
	for pages := 1; float64(pages) < budget; pages++ {
		rows := min(pages*MaxPageSize, int(math.Floor((budget-float64(pages))/rho+1e-9)))
		if rows <= (pages-1)*MaxPageSize {
			break // the extra page's request leaves room for no extra row
		}
		best = rows
	}
	return best
}
