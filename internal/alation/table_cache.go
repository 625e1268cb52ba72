package alation

import (
	"context"
	"sync"
	"time"
)

// A refresh reads every alation_table_sync of a configuration, up to
// Terraform's -parallelism (10 by default) at a time, and the tables of one
// pipeline usually share a schema. ReadTable chooses, schema by schema,
// between reading each table by id and listing the schema once. A listing
// answers for every table of the schema, but Alation spends time on every
// row it returns, wanted or not: three managed tables of a landing schema of
// 3,000 must not pull 2.4 MB and seconds of server time, while 200 of a
// schema of 250 should be one listing rather than 200 reads.
//
// The choice is the ski-rental one: reads by id are rented, a listing is
// bought. Reads go by id while what they have cost, with what the reads
// waiting now would cost, is less than listing the schema; then the schema
// is listed. Whatever the number of reads to come, that costs a small
// multiple of the better choice in hindsight (about three times at worst,
// with the probes below). Costs come from this client's own timings
// (table_cost.go).
//
// A listing's cost needs the schema's size, which Alation does not report.
// A probe, limit=1&skip=K, answers one row or none: whether the schema has
// more than K tables, K being the largest schema the reads at hand would
// pay to list (a client's first probe asks for a few more rows, to time
// them). If it has no more, it is listed at once; if it has, the next
// probe waits until the reads justify a listing probeGrowth times as dear,
// so that probes stay few. Reads that arrive while a probe or a
// listing runs wait for it and join the next decision: that is how
// Terraform's first wave is gathered. The first read of a schema goes by
// id; the second probes; the rest of the wave is counted by the decision
// that follows.

const (
	// schemaListingTTL bounds how old a listing may be when it answers,
	// and how long what was learned of a schema (its size, its reads)
	// counts; one Terraform command's refresh fits well within it.
	schemaListingTTL = 30 * time.Second
	// probeGrowth is how much dearer than a listing of the last probe's
	// size a listing the reads justify must be before the schema is probed
	// again. Two keeps probes few (one each time the reads' worth doubles)
	// and lists a schema by the time its reads by id have cost twice the
	// listing.
	probeGrowth = 2
	// listingTimeout bounds a probe and listing, which no one read owns.
	listingTimeout = 2 * time.Minute
)

type schemaKey struct {
	dsID   int64
	schema string
}

// schemaState is what the client knows of one schema; tableCache.mu
// guards it. States are never removed: a configuration has few schemas.
type schemaState struct {
	since   time.Time // start of this accounting, or the listing's time
	rent    float64   // what reads by id of the schema have cost, in requests
	waiting int       // reads waiting for busy
	larger  int       // a probe found more tables than this
	failed  bool      // a probe or listing failed: read by id
	busy    chan struct{}
	listing map[int64]CatalogTable // by id; nil when not listed
}

type tableCache struct {
	mu      sync.Mutex
	schemas map[schemaKey]*schemaState
	costs   costModel
}

// state returns key's state, starting its accounting afresh when it is
// older than schemaListingTTL. Callers hold tc.mu.
func (tc *tableCache) state(key schemaKey, now time.Time) *schemaState {
	if tc.schemas == nil {
		tc.schemas = map[schemaKey]*schemaState{}
	}
	st := tc.schemas[key]
	if st == nil {
		st = &schemaState{}
		tc.schemas[key] = st
		st.reset(now)
	} else if st.busy == nil && now.Sub(st.since) >= schemaListingTTL {
		st.reset(now)
	}
	return st
}

func (st *schemaState) reset(now time.Time) {
	*st = schemaState{since: now, waiting: st.waiting}
}

// probeAt is the size to probe the schema at, for a read that found no
// listing and nothing running; zero means "read by id".
func (st *schemaState) probeAt(m *costModel) int {
	if st.failed {
		return 0
	}
	budget := st.rent + float64(st.waiting+1)*m.readCost()
	// Probe again only once the reads would pay for a listing probeGrowth
	// times dearer than one of the schema's known lower bound: the first
	// probe needs reads worth two requests (a probe and a listing).
	if budget < probeGrowth*m.listingCost(st.larger) {
		return 0
	}
	if k := m.affordable(budget); k > st.larger {
		return k
	}
	return 0
}

// ReadTable reads table id, which the caller believes is in dsID's schema.
// It answers like GetTable; the schema only makes listing possible, and a
// table that is not where the caller thought is still found by id.
func (c *Client) ReadTable(ctx context.Context, id, dsID int64, schema string) (*CatalogTable, error) {
	key := schemaKey{dsID, schema}
	tc := &c.tables
	tc.mu.Lock()
	for {
		st := tc.state(key, c.now())
		if st.listing != nil {
			t, ok := st.listing[id]
			tc.mu.Unlock()
			if ok {
				return &t, nil
			}
			// Moved, new or gone since, or past a cap that cut the
			// listing short: by id, as always. A listing never says a
			// table is gone.
			return c.GetTable(ctx, id)
		}
		if st.busy != nil {
			if err := tc.await(ctx, st); err != nil {
				tc.mu.Unlock()
				return nil, err
			}
			continue
		}
		k := st.probeAt(&tc.costs)
		if k == 0 {
			st.rent += tc.costs.readCost()
			tc.mu.Unlock()
			return c.readTimed(ctx, id)
		}
		c.startListing(ctx, key, st, k) // and wait for it with the others
	}
}

// await waits, counted, for st's probe or listing to end. Callers hold
// tc.mu, which is released meanwhile.
func (tc *tableCache) await(ctx context.Context, st *schemaState) error {
	busy := st.busy
	st.waiting++
	tc.mu.Unlock()
	var err error
	select {
	case <-busy:
	case <-ctx.Done():
		err = &RequestError{Method: "GET", Path: pathTables, Err: ctx.Err()}
	}
	tc.mu.Lock()
	st.waiting--
	return err
}

// startListing probes the schema at probeAt and lists it if the probe
// finds it no larger, in the background: the result serves every waiting
// read, so it must not end with the context of the read that happened to
// start it. Callers hold tc.mu.
func (c *Client) startListing(ctx context.Context, key schemaKey, st *schemaState, probeAt int) {
	done := make(chan struct{})
	st.busy = done
	rows, known := c.tables.costs.probeRows(), st.larger
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), listingTimeout)
	go func() {
		defer cancel()
		larger, err := c.probeSchema(ctx, key, probeAt, rows)
		var tables map[int64]CatalogTable
		if err == nil && !larger {
			tables, err = c.listSchema(ctx, key, known)
		}
		tc := &c.tables
		tc.mu.Lock()
		defer tc.mu.Unlock()
		switch {
		case err != nil:
			st.failed = true
			c.log.Debug(ctx, "Probing or listing a schema's tables failed; reading its tables one by one", map[string]any{"ds_id": key.dsID, "schema": key.schema, "error": err.Error()})
		case larger:
			st.larger = probeAt
		default:
			st.listing, st.since = tables, c.now()
		}
		st.busy = nil
		close(done)
	}()
}

// readTimed is GetTable, timed for the cost model.
func (c *Client) readTimed(ctx context.Context, id int64) (*CatalogTable, error) {
	start := time.Now()
	t, err := c.GetTable(ctx, id)
	if err == nil || IsNotFound(err) {
		c.tables.timedRequest(time.Since(start))
	}
	return t, err
}

func (tc *tableCache) timedRequest(d time.Duration) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.costs.timedRequest(d)
}
