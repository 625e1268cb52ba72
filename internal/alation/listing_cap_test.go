package alation

import (
	"fmt"
	"strings"
	"testing"
)

// bigSchema catalogues n tables in schema and returns their ids.
func bigSchema(w *world, schema string, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = w.fake.AddCatalogTable(testDS, schema, fmt.Sprintf("t%04d", i), "TABLE")
	}
	return ids
}

// A listing that ends on a whole number of 1,000-row pages may have been
// capped; one that ends short of that, or that Alation continues past
// 1,000 rows, was not. A loop that breaks early learns nothing.
func TestTableListing_mayBeCapped(t *testing.T) {
	w := newWorld(t)
	bigSchema(w, "BIG", 1500)
	bigSchema(w, "SMALL", 999)
	c := newClient(t, w.url, w.static())
	list := func(schema string, pageSize int) (int, ListingEnd) {
		t.Helper()
		l := c.TableListing(t.Context(), TableFilter{DSID: testDS, SchemaName: schema}, pageSize)
		n := 0
		for _, err := range l.All() {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if l.MayBeCapped() != l.End().MayBeCapped {
			t.Fatal("MayBeCapped and End disagree")
		}
		return n, l.End()
	}
	for _, limit := range []int{0, 1000} {
		w.fake.SetCatalogLimit(limit)
		for _, c := range []struct {
			schema           string
			pageSize         int
			uncapped, capped ListingEnd
		}{
			{"BIG", 1000, ListingEnd{true, 2, 1500, false}, ListingEnd{true, 1, 1000, true}},
			{"BIG", 100, ListingEnd{true, 15, 1500, false}, ListingEnd{true, 10, 1000, true}},
			{"SMALL", 1000, ListingEnd{true, 1, 999, false}, ListingEnd{true, 1, 999, false}},
		} {
			n, end := list(c.schema, c.pageSize)
			want := c.uncapped
			if limit > 0 {
				want = c.capped
			}
			if n != want.Rows || end != want {
				t.Errorf("cap %d, %s by %d: %d rows, end %+v; want %+v", limit, c.schema, c.pageSize, n, end, want)
			}
		}
	}
	l := c.TableListing(t.Context(), TableFilter{DSID: testDS, SchemaName: "BIG"}, 10)
	for _, err := range l.All() {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if l.End().Ended || l.MayBeCapped() {
		t.Errorf("a listing left early: %+v", l.End())
	}
}

// Refresh under a whole-listing cap: the listing answers for the 1,000
// tables it holds, says it may be incomplete, and a table past the cap is
// read by id, one request, never taken for gone. (The listing is made
// here as ReadTable makes it, so that no timing decides whether it is.)
func TestReadTable_pastTheCatalogLimitIsReadByID(t *testing.T) {
	w := newWorld(t)
	ids := bigSchema(w, "BIG", 1500)
	w.fake.SetCatalogLimit(1000)
	logs := &capLogger{}
	c := newClient(t, w.url, w.static(), withLogger(logs))
	key := schemaKey{testDS, "BIG"}
	listing, err := c.listSchema(t.Context(), key, 0)
	if err != nil || len(listing) != 1000 {
		t.Fatalf("%d tables listed, %v; want the cap's 1,000", len(listing), err)
	}
	found := false
	for _, e := range logs.all() {
		found = found || strings.Contains(e.Msg, "may be incomplete") && strings.Contains(e.Msg, CatalogLimitSetting)
	}
	if !found {
		t.Errorf("no debug log says the listing may be incomplete: %+v", logs.all())
	}
	c.tables.mu.Lock()
	st := c.tables.state(key, c.now())
	st.listing, st.since = listing, c.now()
	c.tables.mu.Unlock()

	w.fake.ResetLog()
	for _, id := range []int64{ids[0], ids[999]} {
		if got, err := c.ReadTable(t.Context(), id, testDS, "BIG"); err != nil || int64(got.ID) != id {
			t.Fatalf("table %d in the listing: %+v, %v", id, got, err)
		}
	}
	if n := w.fake.RequestCount("GET", pathTables); n != 0 {
		t.Errorf("%d requests for tables the listing holds, want none", n)
	}
	for _, id := range []int64{ids[1000], ids[1499]} {
		if got, err := c.ReadTable(t.Context(), id, testDS, "BIG"); err != nil || int64(got.ID) != id {
			t.Fatalf("table %d past the cap: %+v, %v", id, got, err)
		}
	}
	if n := w.fake.RequestCount("GET", pathTables); n != 2 {
		t.Errorf("%d requests for two tables past the cap, want 2 reads by id", n)
	}
}

// A listing no longer than a probe found the schema to be is short too.
func TestListSchema_shortOfTheProbe(t *testing.T) {
	w := newWorld(t)
	bigSchema(w, "MID", 40)
	logs := &capLogger{}
	c := newClient(t, w.url, w.static(), withLogger(logs))
	if _, err := c.listSchema(t.Context(), schemaKey{testDS, "MID"}, 50); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range logs.all() {
		found = found || strings.Contains(e.Msg, "may be incomplete") && e.Fields["probe_found_more_than"] == 50
	}
	if !found {
		t.Errorf("no debug log says the listing is short of the probe: %+v", logs.all())
	}
}

// Hints read one page: a full one may be capped, so it is not the whole
// schema, even without a next link.
func TestTableCaseVariants_fullPageIsTruncated(t *testing.T) {
	w := newWorld(t)
	bigSchema(w, "BIG", 1000)
	c := newClient(t, w.url, w.static())
	for _, limit := range []int{0, 1000} {
		w.fake.SetCatalogLimit(limit)
		if _, truncated, err := c.TableCaseVariants(t.Context(), testDS, "BIG", "T1234"); err != nil || !truncated {
			t.Errorf("cap %d: truncated %v, %v", limit, truncated, err)
		}
	}
	if _, truncated, err := c.TableCaseVariants(t.Context(), testDS, testSchema, "orders"); err != nil || truncated {
		t.Errorf("a small schema: truncated %v, %v", truncated, err)
	}
}
