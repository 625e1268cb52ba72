package alation

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// schemaQuery filters the table listing on one schema.
func schemaQuery(key schemaKey) url.Values {
	return url.Values{
		"ds_id":       {strconv.FormatInt(key.dsID, 10)},
		"schema_name": {key.schema},
	}
}

// probeSchema reports whether the schema has more than k tables, reading
// at most rows rows (those past the k-th). A server that ignores skip or
// the filter answers "more", which only keeps the reads by id.
func (c *Client) probeSchema(ctx context.Context, key schemaKey, k, rows int) (bool, error) {
	q := schemaQuery(key)
	q.Set("limit", strconv.Itoa(rows))
	q.Set("skip", strconv.Itoa(k))
	var page []CatalogTable
	start := time.Now()
	if err := c.call(ctx, request{method: "GET", path: pathTables, query: q}, &page); err != nil {
		return false, err
	}
	took := time.Since(start)
	c.tables.mu.Lock()
	if len(page) <= 1 {
		c.tables.costs.timedRequest(took)
	} else {
		c.tables.costs.timedListing(took, 1, len(page))
	}
	c.tables.mu.Unlock()
	c.log.Debug(ctx, "Probed a schema's size", map[string]any{"ds_id": key.dsID, "schema": key.schema, "more_than": k, "answer": len(page) > 0})
	return len(page) > 0, nil
}

// listSchema reads every table of the schema, a page of MaxPageSize at a
// time, and times it for the cost model. larger is what a probe found the
// schema larger than: a listing no longer than that, or one Alation's cap
// may have cut short (listing_cap.go), answers only for the tables it
// holds, and ReadTable reads the others by id.
func (c *Client) listSchema(ctx context.Context, key schemaKey, larger int) (map[int64]CatalogTable, error) {
	q := schemaQuery(key)
	q.Set("limit", strconv.Itoa(MaxPageSize))
	tables := map[int64]CatalogTable{}
	rows := 0
	start := time.Now()
	var end ListingEnd
	for t, err := range pages[CatalogTable](ctx, c, request{method: "GET", path: pathTables, query: q}, &end) {
		if err != nil {
			return nil, err
		}
		rows++
		// Trust only what matches the filter: a server that ignores it
		// must not answer for another schema's table.
		if int64(t.DSID) == key.dsID && t.SchemaName == key.schema {
			tables[int64(t.ID)] = t
		}
	}
	took := time.Since(start)
	c.tables.mu.Lock()
	c.tables.costs.timedListing(took, listingPages(rows), rows)
	c.tables.mu.Unlock()
	c.log.Debug(ctx, "Listed a schema's tables", map[string]any{"ds_id": key.dsID, "schema": key.schema, "rows": rows, "took_ms": took.Milliseconds()})
	if end.MayBeCapped || (larger > 0 && rows <= larger) {
		c.log.Debug(ctx, "The schema's listing may be incomplete: it ended on a whole number of 1,000-row pages, where Alation's cap ("+
			CatalogLimitSetting+") may stop listings, or short of what a probe found; tables it lacks are read by id", map[string]any{
			"ds_id": key.dsID, "schema": key.schema, "rows": rows, "probe_found_more_than": larger})
	}
	return tables, nil
}
