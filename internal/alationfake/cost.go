package alationfake

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// A real Alation does not answer a listing in constant time: every row it
// returns is read from its database, with its custom fields, and
// serialized. A 1,000-row page of tables takes it seconds where a read by
// id takes tens of milliseconds. ListingCost plays that, so that a client's
// choice between reading tables one by one and listing their schema can be
// measured; by default it is zero and tests stay fast.

// ListingCost is the server time a listing (any GET of the Integration
// API's table, schema and data source lists, reads by id included) takes
// before it answers: PerRequest, plus PerRow for each row it returns.
type ListingCost struct {
	PerRequest time.Duration
	PerRow     time.Duration
}

// Of is the time a listing of rows rows takes.
func (c ListingCost) Of(rows int) time.Duration {
	return c.PerRequest + time.Duration(rows)*c.PerRow
}

// SetListingCost sets the server time of listings; the zero ListingCost
// (the default) answers at once.
func (f *Fake) SetListingCost(c ListingCost) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listingCost = c
}

// waitListing spends a listing's server time for rows rows. It returns
// false when the client left or the fake closed first.
func (f *Fake) waitListing(r *http.Request, rows int) bool {
	f.mu.Lock()
	d, closed := f.listingCost.Of(rows), f.closed
	f.mu.Unlock()
	return sleep(r.Context(), closed, d)
}

// ResponseBytes adds up the response bodies sent to logged requests with
// that method and path; an empty method matches any method.
func (f *Fake) ResponseBytes(method, path string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	var n int64
	for _, r := range f.requests {
		if r.Path == path && (method == "" || r.Method == method) {
			n += r.Bytes
		}
	}
	return n
}

// AddStewardedTable catalogues a table as a data steward leaves it: a title,
// an HTML description, a database comment and three custom fields (rich
// text, a people picker, a multi-select). Listed, such a table is about 800
// bytes of JSON, as tables of a curated Alation catalog are. It returns the
// table's id.
func (f *Fake) AddStewardedTable(dsID int64, schemaName, table string) int64 {
	id := f.AddCatalogTable(dsID, schemaName, table, "TABLE")
	f.SetTableTitle(id, strings.ToLower(table)+" (landing)", fmt.Sprintf(
		"<p>Raw rows of <b>%s</b> as the nightly loader lands them, before deduplication. "+
			"Use the curated model in ANALYTICS instead.</p>\n", table))
	f.SetTableCustomFields(id, []any{
		map[string]any{"field_id": 10001, "field_name": "Steward notes",
			"value": "<p>Reviewed by the data platform team; retention 400 days.</p>"},
		map[string]any{"field_id": 8, "field_name": "Steward",
			"value": []any{map[string]any{"otype": "user", "oid": 12}, map[string]any{"otype": "groupprofile", "oid": 3}}},
		map[string]any{"field_id": 10002, "field_name": "Data classification", "value": []any{"Internal", "Landing"}},
	})
	comment := "Loaded by the ingest job; partitioned by load date."
	f.SetTableDetails(id, TableDetails{TableComment: &comment})
	return id
}
