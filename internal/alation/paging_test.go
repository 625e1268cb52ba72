package alation

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// prefixedWorld is the usual world served over TLS under /alation, as
// behind a reverse proxy, sending X-Next-Page links in the given form, with
// n more tables in schema "big" of data source 8.
func prefixedWorld(t *testing.T, form alationfake.PagingLink, n int) (*world, *Client) {
	t.Helper()
	f := alationfake.New()
	f.SetPathPrefix("/alation")
	f.SetPagingLink(form)
	srv := httptest.NewTLSServer(f)
	t.Cleanup(srv.Close)
	w := setUpWorld(f, srv.URL+"/alation/")
	for i := range n {
		f.AddCatalogTable(testDS, "big", fmt.Sprintf("T%04d", i), "TABLE")
	}
	c := newClient(t, w.url, w.static(), func(cfg *Config) { cfg.InsecureSkipVerify = true })
	return w, c
}

// Whatever form Alation's paging links take, paging stays under base_url's
// path: streaming and listing read every table, in order, once.
func TestPaging_LinkFormsUnderABasePathPrefix(t *testing.T) {
	const n = 1200
	for _, form := range []alationfake.PagingLink{alationfake.LinkPath, alationfake.LinkPrefixedPath, alationfake.LinkAbsoluteURL} {
		t.Run(form.String(), func(t *testing.T) {
			w, c := prefixedWorld(t, form, n)
			filter := TableFilter{DSID: testDS, SchemaName: "big"}
			var streamed []CatalogTable
			for table, err := range c.StreamTables(t.Context(), filter, 500) {
				if err != nil {
					t.Fatal(err)
				}
				streamed = append(streamed, table)
			}
			listed, err := c.ListTables(t.Context(), filter)
			if err != nil {
				t.Fatal(err)
			}
			for what, got := range map[string][]CatalogTable{"streamed": streamed, "listed": listed} {
				if len(got) != n {
					t.Fatalf("%s %d tables, want %d", what, len(got), n)
				}
				for i, table := range got {
					if want := fmt.Sprintf("T%04d", i); table.Name != want {
						t.Fatalf("%s table %d is %q, want %q", what, i, table.Name, want)
					}
				}
			}
			reqs := w.fake.Requests()
			if want := 3 + 12; len(reqs) != want { // pages of 500, then Alation's default 100
				t.Errorf("%d requests, want %d", len(reqs), want)
			}
			for _, r := range reqs {
				if r.Path != "/alation"+pathTables || r.Status != http.StatusOK {
					t.Errorf("request to %s answered %d", r.Path, r.Status)
				}
			}
		})
	}
}

// Pages ask for pageSize rows, never more than Alation serves in one call,
// and a loop that has enough stops the paging.
func TestStreamTables_PageSizes(t *testing.T) {
	cases := []struct {
		name                     string
		tables, pageSize, wanted int // wanted: rows the loop takes before it breaks; 0 for all
		wantRows, wantRequests   int
		wantLimit                int
	}{
		{"ten tables of 3,000 cost one request of ten rows", 3000, 10, 10, 10, 1, 10},
		{"pages are capped at Alation's most", 1500, 5000, 0, 1500, 2, MaxPageSize},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, c := prefixedWorld(t, alationfake.LinkPath, tc.tables)
			rows := 0
			for _, err := range c.StreamTables(t.Context(), TableFilter{DSID: testDS, SchemaName: "big"}, tc.pageSize) {
				if err != nil {
					t.Fatal(err)
				}
				if rows++; rows == tc.wanted {
					break
				}
			}
			reqs := w.fake.Requests()
			if rows != tc.wantRows || len(reqs) != tc.wantRequests {
				t.Fatalf("%d rows in %d requests, want %d in %d", rows, len(reqs), tc.wantRows, tc.wantRequests)
			}
			if q, _ := url.ParseQuery(reqs[0].RawQuery); q.Get("limit") != fmt.Sprint(tc.wantLimit) {
				t.Fatalf("query %q, want limit=%d", reqs[0].RawQuery, tc.wantLimit)
			}
		})
	}
}

// A failed page is yielded as the last element, after the pages before it.
func TestStreamTables_ErrorEndsTheStream(t *testing.T) {
	w, c := prefixedWorld(t, alationfake.LinkPath, 150)
	servedAsUsual := alationfake.Fault{}
	w.fake.QueueFaults("/alation"+pathTables, servedAsUsual, alationfake.Fault{
		Status: http.StatusForbidden, Body: `{"detail": "You do not have permission to perform this action.", "code": "403000"}`})
	rows, errs := 0, 0
	for _, err := range c.StreamTables(t.Context(), TableFilter{DSID: testDS, SchemaName: "big"}, 0) {
		if err != nil {
			errs++
			if ae := asAPIError(t, err); ae.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d", ae.StatusCode)
			}
			continue
		}
		if errs > 0 {
			t.Fatal("a row after the error")
		}
		rows++
	}
	if rows != 100 || errs != 1 {
		t.Fatalf("%d rows and %d errors, want the first page's 100 and one error", rows, errs)
	}
}

// resolveLink's every case, including forms the emulator does not send.
func TestResolveLink(t *testing.T) {
	const (
		base   = "https://a.example/alation"
		spaced = "https://a.example/my%20alation"
		root   = "https://a.example"
		page   = "/integration/v2/table/?skip=1"
	)
	cases := []struct{ base, link, want, err string }{
		{base, page, base + page, ""},
		{base, "/alation" + page, base + page, ""},
		{base, base + page, base + page, ""},
		{base, "/alationx" + page, base + "/alationx" + page, ""}, // not the prefix, only alike
		{base, page[1:], base + page, ""},                         // relative to the base's path
		{spaced, page, spaced + page, ""},
		{spaced, "/my%20alation" + page, spaced + page, ""},
		{root, page, root + page, ""},
		{base, "//evil.example/alation" + page, "", "another host"},
		{base, "https://evil.example/alation" + page, "", "another host"},
		{base, "http://a.example/alation" + page, "", "from https to http"},
		{base, "/integration/%zz", "", "bad paging link"},
	}
	for _, tc := range cases {
		c := newClient(t, tc.base, Credentials{AccessToken: "tok-abcdef"})
		u, err := c.resolveLink(tc.link)
		switch {
		case tc.err == "" && (err != nil || u.String() != tc.want):
			t.Errorf("base %s, link %s: %v, %v; want %s", tc.base, tc.link, u, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("base %s, link %s: %v, %v; want an error containing %q", tc.base, tc.link, u, err, tc.err)
		}
	}
}
