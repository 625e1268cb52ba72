package alation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// Refreshes as Terraform makes them, against the emulator over HTTP. The
// emulator spends server time on listings like a faster Alation (a request
// 30 ms, a row 0.2 ms), so the client's timings see a listing's cost grow
// with its rows; the tests judge requests and bytes only. A request is
// dear enough that the race detector's slower encoding and decoding of
// rows, which the client's timings include, does not blur the choice.
var testListingCost = alationfake.ListingCost{PerRequest: 30 * time.Millisecond, PerRow: 200 * time.Microsecond}

// stewardedSchema catalogues n stewarded tables (about 800 bytes each,
// listed) in schema and returns their ids.
func stewardedSchema(w *world, schema string, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = w.fake.AddStewardedTable(testDS, schema, fmt.Sprintf("T%04d", i))
	}
	return ids
}

// refresh reads ids as Terraform's refresh does: p at a time, the next
// read starting as soon as one returns. It fails the test on any error
// or wrong answer.
func refresh(t testing.TB, c *Client, schema string, ids []int64, p int) {
	t.Helper()
	next := make(chan int64)
	errs := make(chan error, len(ids))
	var wg sync.WaitGroup
	for range p {
		wg.Go(func() {
			for id := range next {
				got, err := c.ReadTable(context.Background(), id, testDS, schema)
				if err == nil && int64(got.ID) != id {
					err = fmt.Errorf("read %d, got table %d", id, got.ID)
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// tableRequests are the logged requests of the table listing, and the
// bytes they answered.
func tableRequests(f *alationfake.Fake) (reqs []alationfake.Request, bytes int64) {
	for _, r := range f.Requests() {
		if r.Path == pathTables {
			reqs = append(reqs, r)
			bytes += r.Bytes
		}
	}
	return reqs, bytes
}

// listings counts the requests that list a schema: probes ask for fewer
// rows than a page.
func listings(reqs []alationfake.Request) int {
	n := 0
	for _, r := range reqs {
		if q, _ := url.ParseQuery(r.RawQuery); q.Get("limit") == fmt.Sprint(MaxPageSize) {
			n++
		}
	}
	return n
}

// Three managed tables of a landing schema of 3,000: read by id, with a
// probe at most, never a listing (issue 12: at most 6 requests, 64 KiB).
func TestReadTable_sparseSchemaIsReadByID(t *testing.T) {
	w := newWorld(t)
	all := stewardedSchema(w, "LANDING.RAW", 3000)
	w.fake.SetListingCost(testListingCost)
	c := newClient(t, w.url, w.static())
	managed := []int64{all[0], all[1500], all[2999]}
	w.fake.ResetLog()
	refresh(t, c, "LANDING.RAW", managed, 10)
	reqs, bytes := tableRequests(w.fake)
	t.Logf("%d requests, %d bytes", len(reqs), bytes)
	if len(reqs) > 6 || bytes > 64<<10 {
		t.Errorf("a refresh of 3 tables of 3,000 made %d requests for %d bytes; want at most 6 and 64 KiB", len(reqs), bytes)
	}
	if n := listings(reqs); n != 0 {
		t.Errorf("%d listings of the schema; want none", n)
	}
	// A second refresh learns nothing that would change that.
	w.fake.ResetLog()
	refresh(t, c, "LANDING.RAW", managed, 10)
	if reqs, bytes := tableRequests(w.fake); len(reqs) > 6 || bytes > 64<<10 || listings(reqs) != 0 {
		t.Errorf("second refresh: %d requests for %d bytes, %d listings", len(reqs), bytes, listings(reqs))
	}
}

// 200 managed tables of a schema of 250: a handful of requests (issue 12:
// at most 10), one of them the listing.
func TestReadTable_denseSchemaIsListedOnce(t *testing.T) {
	w := newWorld(t)
	all := stewardedSchema(w, "ANALYTICS.MART", 250)
	w.fake.SetListingCost(testListingCost)
	c := newClient(t, w.url, w.static())
	w.fake.ResetLog()
	refresh(t, c, "ANALYTICS.MART", all[:200], 10)
	reqs, bytes := tableRequests(w.fake)
	t.Logf("%d requests, %d bytes", len(reqs), bytes)
	if len(reqs) > 10 {
		t.Errorf("a refresh of 200 tables of 250 made %d requests; want at most 10", len(reqs))
	}
	if n := listings(reqs); n != 1 {
		t.Errorf("%d listings of the schema; want 1", n)
	}
	// Reads one at a time (-parallelism=1) list it too, later.
	c = newClient(t, w.url, w.static())
	w.fake.ResetLog()
	refresh(t, c, "ANALYTICS.MART", all[:200], 1)
	reqs, _ = tableRequests(w.fake)
	t.Logf("one at a time: %d requests", len(reqs))
	if len(reqs) > 40 || listings(reqs) != 1 {
		t.Errorf("one at a time: %d requests, %d listings; want a listing, and a fraction of 200 requests", len(reqs), listings(reqs))
	}
}

// listedWorld is a small schema already listed by c: a refresh of all of
// it makes the client list it.
func listedWorld(t *testing.T, opts ...func(*Config)) (*world, *Client, []int64) {
	t.Helper()
	w := newWorld(t)
	ids := stewardedSchema(w, testSchema, 20)
	c := newClient(t, w.url, w.static(), opts...)
	refresh(t, c, testSchema, ids, 10)
	if reqs, _ := tableRequests(w.fake); listings(reqs) != 1 {
		t.Fatalf("%d listings; want the schema listed", listings(reqs))
	}
	return w, c, ids
}

// A table that is not in the listing (moved, new, deleted) is read by id.
func TestReadTable_whatTheListingLacksIsReadByID(t *testing.T) {
	w, c, ids := listedWorld(t)
	moved := w.fake.AddCatalogTable(testDS, "OTHER.SCHEMA", "moved", "TABLE")
	added := w.fake.AddStewardedTable(testDS, testSchema, "ADDED")
	w.fake.RemoveCatalogTable(ids[0])
	w.fake.ResetLog()
	for _, id := range []int64{moved, added} {
		if got, err := c.ReadTable(t.Context(), id, testDS, testSchema); err != nil || int64(got.ID) != id {
			t.Fatalf("table %d: %+v, %v", id, got, err)
		}
	}
	if n := w.fake.RequestCount("GET", pathTables); n != 2 {
		t.Errorf("%d requests for two tables missing from the listing; want 2 reads by id", n)
	}
	// A table deleted after the listing is served from it until it
	// expires; one deleted before is not found, as with GetTable.
	gone := w.fake.AddStewardedTable(testDS, testSchema, "GONE")
	w.fake.RemoveCatalogTable(gone)
	if _, err := c.ReadTable(t.Context(), gone, testDS, testSchema); !IsNotFound(err) {
		t.Errorf("deleted table: %v, want not found", err)
	}
}

// A listing answers for schemaListingTTL, no longer: then reads start
// afresh, by id.
func TestReadTable_listingExpires(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	w, c, ids := listedWorld(t, withClock(clock))
	w.fake.ResetLog()
	refresh(t, c, testSchema, ids, 10)
	if n := w.fake.RequestCount("GET", pathTables); n != 0 {
		t.Fatalf("%d requests within the TTL; want the listing to answer", n)
	}
	mu.Lock()
	now = now.Add(schemaListingTTL)
	mu.Unlock()
	w.fake.SetTableTitle(ids[0], "Renamed", "")
	got, err := c.ReadTable(t.Context(), ids[0], testDS, testSchema)
	if err != nil || got.Title != "Renamed" {
		t.Fatalf("after the TTL: %+v, %v; want the table read again", got, err)
	}
	if reqs, _ := tableRequests(w.fake); len(reqs) != 1 || listings(reqs) != 0 {
		t.Errorf("after the TTL: %d requests, %d listings; want one read by id", len(reqs), listings(reqs))
	}
}

// A probe or listing that fails leaves the reads to go by id; so does a
// schema name that lists nothing.
func TestReadTable_failuresFallBackToReadsByID(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults []alationfake.Fault // for the table requests, in order
	}{
		// Read 1 by id, read 2 probes: the probe fails.
		{"probe fails", []alationfake.Fault{{}, {Status: 503}}},
		// The probe finds the schema small; the listing fails.
		{"listing fails", []alationfake.Fault{{}, {}, {Status: 503}}},
		{"listing is HTML", []alationfake.Fault{{}, {}, {Status: 200, Body: "<html>maintenance</html>"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			ids := stewardedSchema(w, testSchema, 20)
			c := newClient(t, w.url, w.static(), withRetries(-1))
			w.fake.QueueFaults(pathTables, tc.faults...)
			refresh(t, c, testSchema, ids, 1)
			reqs, _ := tableRequests(w.fake)
			if want := len(ids) + len(tc.faults) - 1; len(reqs) != want {
				t.Errorf("%d requests; want %d: every table by id, and the failed attempt", len(reqs), want)
			}
		})
	}
	t.Run("schema spelt otherwise", func(t *testing.T) {
		w := newWorld(t)
		ids := stewardedSchema(w, testSchema, 20)
		c := newClient(t, w.url, w.static())
		refresh(t, c, strings.ToLower(testSchema), ids, 1)
		reqs, _ := tableRequests(w.fake)
		if len(reqs) != len(ids)+2 {
			t.Errorf("%d requests; want %d: every table by id, a probe and an empty listing", len(reqs), len(ids)+2)
		}
	})
}

// A read waiting for a probe gives up with its own context; the probe and
// the listing go on for the others, and end.
func TestReadTable_waitHonoursTheContext(t *testing.T) {
	w := newWorld(t)
	ids := stewardedSchema(w, testSchema, 20)
	c := newClient(t, w.url, w.static())
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free) // before the emulator closes, which waits for its requests
	w.fake.SetBeforeHandle(func(r *http.Request) {
		if strings.Contains(r.URL.RawQuery, "skip=") {
			<-release // the probe hangs until released
		}
	})
	if _, err := c.ReadTable(t.Context(), ids[0], testDS, testSchema); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	result := make(chan error)
	go func() {
		_, err := c.ReadTable(ctx, ids[1], testDS, testSchema)
		result <- err
	}()
	for i := 0; w.fake.RequestCount("GET", pathTables) < 2; i++ {
		if i == 10000 {
			t.Fatal("no probe")
		}
		time.Sleep(time.Millisecond) // until the probe is in flight
	}
	cancel()
	err := <-result
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled read: %v, want context.Canceled", err)
	}
	_ = asRequestError(t, err)
	free()
	if got, err := c.ReadTable(t.Context(), ids[2], testDS, testSchema); err != nil || int64(got.ID) != ids[2] {
		t.Fatalf("read after the probe: %+v, %v", got, err)
	}
	if reqs, _ := tableRequests(w.fake); len(reqs) != 3 || listings(reqs) != 1 {
		t.Errorf("%d requests, %d listings; want a read by id, the probe and the listing", len(reqs), listings(reqs))
	}
	c.tables.mu.Lock()
	defer c.tables.mu.Unlock()
	if st := c.tables.schemas[schemaKey{testDS, testSchema}]; st.busy != nil || st.waiting != 0 {
		t.Errorf("the schema is still busy (%v) or waited for (%d)", st.busy != nil, st.waiting)
	}
}

// The same refresh lists the schema when its rows are cheap and reads by id
// when they are dear: the choice follows this Alation's measured costs, not
// a fixed number of reads.
func TestReadTable_followsMeasuredCosts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cost     alationfake.ListingCost
		listings int
	}{
		{"cheap rows", alationfake.ListingCost{PerRequest: 30 * time.Millisecond, PerRow: 100 * time.Microsecond}, 1},
		{"dear rows", alationfake.ListingCost{PerRequest: 5 * time.Millisecond, PerRow: 2 * time.Millisecond}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			ids := stewardedSchema(w, testSchema, 100)
			w.fake.SetListingCost(tc.cost)
			c := newClient(t, w.url, w.static())
			w.fake.ResetLog()
			refresh(t, c, testSchema, ids[:10], 10)
			reqs, _ := tableRequests(w.fake)
			t.Logf("%d requests, %+v", len(reqs), c.tables.costs)
			if n := listings(reqs); n != tc.listings {
				t.Errorf("%d listings; want %d", n, tc.listings)
			}
		})
	}
}
