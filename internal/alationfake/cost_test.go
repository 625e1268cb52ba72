package alationfake

import (
	"fmt"
	"testing"
	"time"
)

// A stewarded table lists at about 800 bytes, and the log records every
// response's size.
func TestStewardedTable_SizeAndResponseBytes(t *testing.T) {
	f, u, tok := adminFake(t)
	id := f.AddStewardedTable(8, "LANDING.RAW", "T0001")
	r := getJSON(t, fmt.Sprintf("%s%s?id=%d", u, tablesPath, id), tok)
	if l := r.list(t); r.status != 200 || len(l) != 1 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if n := len(r.body); n < 750 || n > 850 {
		t.Errorf("a stewarded table lists at %d bytes, want about 800:\n%s", n, r.body)
	}
	if got := f.ResponseBytes("GET", tablesPath); got != int64(len(r.body)) {
		t.Errorf("ResponseBytes = %d, want %d", got, len(r.body))
	}
	if got := f.ResponseBytes("POST", tablesPath); got != 0 {
		t.Errorf("ResponseBytes of POST = %d, want 0", got)
	}
}

// A listing spends PerRequest plus PerRow for each row it returns. Only
// lower bounds are checked: a sleep never ends early.
func TestListingCost(t *testing.T) {
	f, u, tok := adminFake(t)
	for i := range 20 {
		f.AddCatalogTable(8, "s", fmt.Sprint("t", i), "TABLE")
	}
	if got := (ListingCost{PerRequest: 10 * time.Millisecond, PerRow: time.Millisecond}).Of(20); got != 30*time.Millisecond {
		t.Errorf("Of(20) = %v, want 30ms", got)
	}
	f.SetListingCost(ListingCost{PerRequest: 5 * time.Millisecond, PerRow: 2 * time.Millisecond})
	getJSON(t, u+tablesPath+"?limit=20", tok)
	getJSON(t, u+tablesPath+"?limit=1", tok)
	reqs := f.Requests()
	for i, want := range []time.Duration{45 * time.Millisecond, 7 * time.Millisecond} {
		if took := reqs[i].End.Sub(reqs[i].Start); took < want {
			t.Errorf("request %d took %v, want at least %v", i, took, want)
		}
	}
}
