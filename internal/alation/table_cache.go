package alation

import (
	"context"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// A refresh reads every alation_table_sync of a configuration, and tables
// of one pipeline usually share a schema. Rather than one request per table,
// ReadTable lists the schema once (one page of up to 1,000 tables) as soon
// as a second table of it is read, and answers the rest from that listing.
// make bench measured a 200-table refresh at 50 ms latency: 200 requests
// became 2, and the refresh 20% faster.

const (
	// schemaListingTTL bounds how old a listing may be when it answers;
	// one Terraform command's refresh fits well within it.
	schemaListingTTL = 30 * time.Second
	// schemaListingLimit is Alation's cap on one list call.
	schemaListingLimit = 1000
)

type schemaKey struct {
	dsID   int64
	schema string
}

type schemaListing struct {
	done    chan struct{} // closed when tables/err are set
	tables  map[int64]CatalogTable
	err     error
	fetched time.Time
}

type tableCache struct {
	mu       sync.Mutex
	reads    map[schemaKey]int
	listings map[schemaKey]*schemaListing
	useless  map[schemaKey]bool // a listing that answered nothing: go direct
}

// ReadTable reads table id, which the caller believes is in dsID's schema.
// It answers like GetTable; the schema only makes batching possible, and a
// table that is not where the caller thought is still found by id.
func (c *Client) ReadTable(ctx context.Context, id, dsID int64, schema string) (*CatalogTable, error) {
	if listing := c.schemaListing(ctx, schemaKey{dsID, schema}); listing != nil {
		select {
		case <-listing.done:
		case <-ctx.Done():
			return nil, &RequestError{Method: "GET", Path: pathTables, Err: ctx.Err()}
		}
		if t, ok := listing.tables[id]; ok {
			return &t, nil
		}
	}
	return c.GetTable(ctx, id)
}

// schemaListing returns the listing to answer from, starting it when this
// is the second read of the schema; nil means "read directly".
func (c *Client) schemaListing(ctx context.Context, key schemaKey) *schemaListing {
	tc := &c.tables
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.useless[key] {
		return nil
	}
	if l, ok := tc.listings[key]; ok {
		select {
		case <-l.done:
			if l.err == nil && c.now().Sub(l.fetched) < schemaListingTTL {
				return l
			}
			delete(tc.listings, key) // stale or failed: read directly, list again later
			tc.reads[key] = 0
			return nil
		default:
			return l // in flight
		}
	}
	if tc.reads == nil {
		tc.reads, tc.listings, tc.useless = map[schemaKey]int{}, map[schemaKey]*schemaListing{}, map[schemaKey]bool{}
	}
	tc.reads[key]++
	if tc.reads[key] < 2 {
		return nil // a lone read is cheaper by id
	}
	l := &schemaListing{done: make(chan struct{})}
	tc.listings[key] = l
	// The listing serves every waiter, so it must not die with the context
	// of the read that happened to start it.
	listCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	go func() {
		defer cancel()
		l.tables, l.err = c.listSchemaTables(listCtx, key)
		l.fetched = c.now()
		if l.err == nil && len(l.tables) == 0 {
			tc.mu.Lock()
			tc.useless[key] = true
			tc.mu.Unlock()
		}
		close(l.done)
	}()
	return l
}

// listSchemaTables fetches one page of a schema's tables.
func (c *Client) listSchemaTables(ctx context.Context, key schemaKey) (map[int64]CatalogTable, error) {
	q := url.Values{
		"ds_id":       {strconv.FormatInt(key.dsID, 10)},
		"schema_name": {key.schema},
		"limit":       {strconv.Itoa(schemaListingLimit)},
	}
	var page []CatalogTable
	if _, err := c.callHeader(ctx, request{method: "GET", path: pathTables, query: q}, &page); err != nil {
		c.log.Debug(ctx, "Listing a schema's tables failed; reading tables one by one", map[string]any{"ds_id": key.dsID, "schema": key.schema, "error": err.Error()})
		return nil, err
	}
	tables := make(map[int64]CatalogTable, len(page))
	for _, t := range page {
		// Trust only what matches the filter: a server that ignores it
		// must not answer for another schema's table.
		if int64(t.DSID) == key.dsID && t.SchemaName == key.schema {
			tables[int64(t.ID)] = t
		}
	}
	return tables, nil
}
