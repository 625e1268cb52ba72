package alation

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// asPagingLoop fails the test unless err is a *PagingLoopError.
func asPagingLoop(t *testing.T, err error) *PagingLoopError {
	t.Helper()
	var le *PagingLoopError
	if !errors.As(err, &le) {
		t.Fatalf("want a *PagingLoopError, got %T: %v", err, err)
	}
	return le
}

// However the emulator loops its paging links, every kind of paged read
// stops at the first repetition: after the pages that really exist (three
// of tables, one of data sources), and one more only when the repetition
// cannot be seen before reading it (a new link to old rows).
func TestPaging_LoopsStopAtOnce(t *testing.T) {
	const tables = 250 // three pages of Alation's default 100
	type read struct {
		name string
		do   func(c *Client) error
		path string
	}
	reads := []read{
		{"tables listed", func(c *Client) error {
			_, err := c.ListTables(t.Context(), TableFilter{DSID: testDS, SchemaName: "big"})
			return err
		}, pathTables},
		{"tables streamed", func(c *Client) error {
			for _, err := range c.StreamTables(t.Context(), TableFilter{DSID: testDS, SchemaName: "big"}, 100) {
				if err != nil {
					return err
				}
			}
			return nil
		}, pathTables},
		{"schema listed for a refresh", func(c *Client) error {
			_, err := c.listSchema(t.Context(), schemaKey{testDS, "big"}, 0)
			return err
		}, pathTables},
		{"data source by title", func(c *Client) error {
			_, err := c.FindDataSourceByTitle(t.Context(), "Snowflake Prod")
			return err
		}, pathV2DataSources},
	}
	cases := []struct {
		loop alationfake.PagingLoop
		rows bool
		// requests per read: tables (limit 100), the refresh listing
		// (limit 1000, one page) and data sources (one page)
		tables, listing, sources int
	}{
		{alationfake.LoopSamePage, false, 1, 1, 1},
		{alationfake.LoopRepeatRows, true, 2, 2, 2},
		{alationfake.LoopBackToFirst, false, 3, 1, 1},
	}
	for _, tc := range cases {
		for _, rd := range reads {
			t.Run(fmt.Sprintf("loop %d, %s", tc.loop, rd.name), func(t *testing.T) {
				w := newWorld(t)
				for i := range tables {
					w.fake.AddCatalogTable(testDS, "big", fmt.Sprintf("T%04d", i), "TABLE")
				}
				w.fake.SetPagingLoop(tc.loop)
				c := newClient(t, w.url, w.static())
				le := asPagingLoop(t, rd.do(c))
				want := tc.tables
				switch {
				case rd.path == pathV2DataSources:
					want = tc.sources
				case rd.name == "schema listed for a refresh":
					want = tc.listing
				}
				if n := len(w.fake.Requests()); n != want || le.Requests != want || le.RepeatedRows != tc.rows {
					t.Fatalf("%d requests, error %+v; want %d requests, repeated rows %v", n, le, want, tc.rows)
				}
				if n := w.fake.RequestCount("GET", rd.path); n != want {
					t.Fatalf("%d requests to %s", n, rd.path)
				}
			})
		}
	}
}

// The rows before the repetition are yielded once each, then the error.
func TestPaging_LoopYieldsEachRowOnce(t *testing.T) {
	w := newWorld(t)
	for i := range 250 {
		w.fake.AddCatalogTable(testDS, "big", fmt.Sprintf("T%04d", i), "TABLE")
	}
	w.fake.SetPagingLoop(alationfake.LoopBackToFirst)
	c := newClient(t, w.url, w.static())
	seen := map[int64]bool{}
	var last error
	for table, err := range c.StreamTables(t.Context(), TableFilter{DSID: testDS, SchemaName: "big"}, 0) {
		if err != nil {
			last = err
			continue
		}
		if seen[int64(table.ID)] || last != nil {
			t.Fatalf("table %d yielded again, or after the error", table.ID)
		}
		seen[int64(table.ID)] = true
	}
	if le := asPagingLoop(t, last); le.RepeatedRows || le.Requests != 3 {
		t.Fatalf("%+v, want the link back to the first page, after 3 requests", le)
	}
	if len(seen) != 250 {
		t.Fatalf("%d tables before the error, want 250", len(seen))
	}
}

// linkServer serves the table list: page i (by the request count) has the
// rows and X-Next-Page of pages[i]; after the last, an empty page.
func linkServer(t *testing.T, pages ...struct{ rows, next string }) (*httptest.Server, func() int) {
	t.Helper()
	var mu sync.Mutex
	count := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		i := count
		count++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if i >= len(pages) {
			fmt.Fprint(w, `[]`)
			return
		}
		if pages[i].next != "" {
			w.Header().Set("X-Next-Page", pages[i].next)
		}
		fmt.Fprint(w, pages[i].rows)
	}))
	t.Cleanup(srv.Close)
	return srv, func() int { mu.Lock(); defer mu.Unlock(); return count }
}

// Links are compared as the pages they name: the order of the parameters,
// an explicit skip=0 or another limit do not make a page new.
func TestPaging_LinksComparedAsPages(t *testing.T) {
	type page = struct{ rows, next string }
	cases := []struct {
		name     string
		pages    []page
		requests int
	}{
		{"parameters reordered", []page{
			{`[{"id": 1}]`, "/integration/v2/table/?skip=1&limit=1"},
			{`[{"id": 2}]`, "/integration/v2/table/?limit=1&skip=1"},
		}, 2},
		{"another limit", []page{
			{`[{"id": 1}]`, "/integration/v2/table/?skip=1&limit=1"},
			{`[{"id": 2}]`, "/integration/v2/table/?skip=1&limit=5"},
		}, 2},
		{"skip=0 is the first page", []page{
			{`[{"id": 1}]`, "/integration/v2/table/?skip=0"},
		}, 1},
		{"an absolute link to the first page", []page{
			{`[{"id": 1}]`, "/integration/v2/table/?skip=1"},
			{`[{"id": 2}]`, "/integration/v2/table/"},
		}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, count := linkServer(t, tc.pages...)
			c := newClient(t, srv.URL, Credentials{AccessToken: "tok-abcdef"})
			_, err := c.ListTables(t.Context(), TableFilter{})
			if le := asPagingLoop(t, err); le.RepeatedRows || count() != tc.requests {
				t.Fatalf("%d requests, %+v; want %d and a repeated link", count(), le, tc.requests)
			}
		})
	}
}

// A page that repeats some rows of the page before (rows shifted by an
// insert while paging) is not a loop: its new rows are kept, the old ones
// not listed twice. Rows without an id are never taken for repeats.
func TestPaging_PartlyRepeatedPagesAreNotLoops(t *testing.T) {
	type page = struct{ rows, next string }
	srv, count := linkServer(t,
		page{`[{"id": 1}, {"id": 2}, {"name": "no id"}]`, "/integration/v2/table/?skip=3"},
		page{`[{"id": 2}, {"id": 3}, {"name": "no id"}]`, ""})
	c := newClient(t, srv.URL, Credentials{AccessToken: "tok-abcdef"})
	got, err := c.ListTables(t.Context(), TableFilter{})
	if err != nil || count() != 2 {
		t.Fatalf("%v after %d requests", err, count())
	}
	var ids []int64
	for _, table := range got {
		ids = append(ids, int64(table.ID))
	}
	if fmt.Sprint(ids) != "[1 2 0 3 0]" {
		t.Fatalf("ids %v, want [1 2 0 3 0]", ids)
	}
}

func TestPageKey(t *testing.T) {
	same := [][2]string{
		{"/t/?skip=100&limit=100", "/t/?limit=100&skip=100"},
		{"/t/?skip=0&ds_id=8", "/t/?ds_id=8"},
		{"/t/?ds_id=8&name=a%20b", "/t/?name=a+b&ds_id=8"},
		{"/t/?skip=100&limit=100", "/t/?skip=100&limit=1000"},
		{"/t/?limit=100", "/t/"},
	}
	differ := [][2]string{
		{"/t/?skip=100", "/t/?skip=200"},
		{"/t/?skip=100", "/u/?skip=100"},
		{"/t/?skip=100&ds_id=8", "/t/?skip=100&ds_id=9"},
	}
	key := func(s string) string {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return pageKey(u)
	}
	for _, p := range same {
		if key(p[0]) != key(p[1]) {
			t.Errorf("%s and %s differ: %s, %s", p[0], p[1], key(p[0]), key(p[1]))
		}
	}
	for _, p := range differ {
		if key(p[0]) == key(p[1]) {
			t.Errorf("%s and %s are the same page", p[0], p[1])
		}
	}
}
