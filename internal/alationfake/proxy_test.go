package alationfake

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// A redirect rule answers with the rest of the path and the query after its
// target, logs the request, and leaves other paths and removed rules alone.
func TestSetRedirect(t *testing.T) {
	f, srv, tok := prefixedFake(t, LinkPath)
	f.SetRedirect("/alation/integration/", http.StatusTemporaryRedirect, "https://other.example/x/")
	f.SetRedirect("/alation/oauth/", http.StatusPermanentRedirect, "/moved/")
	noFollow := srv.Client()
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, tc := range []struct{ path, status, location string }{
		{"/alation/integration/v2/table/?ds_id=8", "307", "https://other.example/x/v2/table/?ds_id=8"},
		{"/alation/oauth/v2/token/", "308", "/moved/v2/token/"},
	} {
		resp, err := noFollow.Post(srv.URL+tc.path, "application/json", strings.NewReader(`{"refresh_token": "x"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Location"); !strings.HasPrefix(resp.Status, tc.status) || got != tc.location {
			t.Errorf("%s: %s, Location %q; want %s to %q", tc.path, resp.Status, got, tc.status, tc.location)
		}
	}
	if n := f.RequestCount("POST", "/alation/oauth/v2/token/"); n != 1 {
		t.Errorf("%d logged requests to the redirected path, want 1", n)
	}
	if resp := get(t, srv, srv.URL+"/alation/api/v1/table/sync/", tok); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("a path no rule covers: %d, want the API's own 405", resp.StatusCode)
	}
	f.SetRedirect("/alation/integration/", 0, "")
	if resp := get(t, srv, srv.URL+"/alation/integration/v2/table/", tok); resp.StatusCode != http.StatusOK {
		t.Errorf("after the rule was removed: %d", resp.StatusCode)
	}
}

// Each paging loop sends the links and rows it promises, on the table,
// schema and data source listings alike.
func TestSetPagingLoop(t *testing.T) {
	const page = "/alation/integration/v2/table/?ds_id=8&limit=2"
	cases := []struct {
		loop     PagingLoop
		url      string
		wantRows string // table names served
		wantLink string
	}{
		{LoopSamePage, page, "t0 t1", "/integration/v2/table/?skip=0&limit=2&ds_id=8"},
		{LoopSamePage, page + "&skip=2", "t2 t3", "/integration/v2/table/?skip=2&limit=2&ds_id=8"},
		{LoopRepeatRows, page + "&skip=4", "t0 t1", "/integration/v2/table/?ds_id=8&limit=2&skip=6"},
		{LoopBackToFirst, page + "&skip=2", "t2 t3", "/integration/v2/table/?ds_id=8&limit=2&skip=4"},
		{LoopBackToFirst, page + "&skip=4", "t4", "/integration/v2/table/?ds_id=8&limit=2&skip=0"},
		{LoopSamePage, "/alation/integration/v1/datasource/", "", "/integration/v1/datasource/?skip=0"},
		{LoopRepeatRows, "/alation/integration/v2/schema/?skip=1", "", "/integration/v2/schema/?limit=100&skip=101"},
	}
	for _, tc := range cases {
		f, srv, tok := prefixedFake(t, LinkPath)
		f.SetPagingLoop(tc.loop)
		resp := get(t, srv, srv.URL+tc.url, tok)
		body, _ := io.ReadAll(resp.Body)
		var names []string
		for _, part := range strings.Split(string(body), `"name":"`)[1:] {
			if name, _, _ := strings.Cut(part, `"`); strings.HasPrefix(tc.url, "/alation/integration/v2/table/") {
				names = append(names, name)
			}
		}
		if got := strings.Join(names, " "); resp.StatusCode != 200 || got != tc.wantRows {
			t.Errorf("loop %d, %s: %d, rows %q; want %q", tc.loop, tc.url, resp.StatusCode, got, tc.wantRows)
		}
		if got := resp.Header.Get("X-Next-Page"); got != tc.wantLink {
			t.Errorf("loop %d, %s: X-Next-Page %q, want %q", tc.loop, tc.url, got, tc.wantLink)
		}
	}
}
