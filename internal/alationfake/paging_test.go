package alationfake

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// prefixedFake serves a fake over TLS under /alation, with five tables in
// data source 8. It returns the fake, the server and an admin token.
func prefixedFake(t *testing.T, form PagingLink) (*Fake, *httptest.Server, string) {
	t.Helper()
	f := New()
	f.SetPathPrefix("alation/") // normalised to "/alation"
	f.SetPagingLink(form)
	srv := httptest.NewTLSServer(f)
	t.Cleanup(srv.Close)
	f.AddUser(1, true)
	for i := range 5 {
		f.AddCatalogTable(8, "s", fmt.Sprint("t", i), "TABLE")
	}
	return f, srv, f.IssueAccessToken(1, time.Hour)
}

func get(t *testing.T, srv *httptest.Server, url, token string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("TOKEN", token)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// Each link form pages through the whole listing; the link is in the form
// chosen, and resolving it as that form says reaches the next page.
func TestPaging_LinkFormsUnderAPathPrefix(t *testing.T) {
	const first = "/integration/v2/table/?ds_id=8&limit=2"
	const secondPage = "/integration/v2/table/?ds_id=8&limit=2&skip=2"
	cases := []struct {
		form   PagingLink
		want   func(srvURL string) string       // the first page's link
		follow func(srvURL, link string) string // the URL a link stands for
	}{
		{LinkPath,
			func(string) string { return secondPage },
			func(u, link string) string { return u + "/alation" + link }},
		{LinkPrefixedPath,
			func(string) string { return "/alation" + secondPage },
			func(u, link string) string { return u + link }},
		{LinkAbsoluteURL,
			func(u string) string { return u + "/alation" + secondPage },
			func(_, link string) string { return link }},
	}
	for _, tc := range cases {
		t.Run(tc.form.String(), func(t *testing.T) {
			f, srv, tok := prefixedFake(t, tc.form)
			if !strings.HasPrefix(srv.URL, "https://") {
				t.Fatalf("server URL %s", srv.URL)
			}
			url := srv.URL + "/alation" + first
			pages, rows := 0, 0
			for url != "" && pages < 10 {
				resp := get(t, srv, url, tok)
				body, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != 200 {
					t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
				}
				rows += strings.Count(string(body), `"key"`)
				pages++
				link := resp.Header.Get("X-Next-Page")
				if pages == 1 && link != tc.want(srv.URL) {
					t.Fatalf("X-Next-Page = %q, want %q", link, tc.want(srv.URL))
				}
				url = ""
				if link != "" {
					url = tc.follow(srv.URL, link)
				}
			}
			if pages != 3 || rows != 5 {
				t.Fatalf("%d pages, %d rows; want 3 pages of 5 rows in all", pages, rows)
			}
			for _, r := range f.Requests() {
				if !strings.HasPrefix(r.Path, "/alation/") {
					t.Errorf("logged path %q lacks the prefix", r.Path)
				}
			}
		})
	}
}

// Outside the prefix there is no API: a proxy's HTML 404, logged as sent.
func TestPaging_OutsideThePrefixIsNotFound(t *testing.T) {
	f, srv, tok := prefixedFake(t, LinkPath)
	resp := get(t, srv, srv.URL+"/integration/v2/table/", tok)
	if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s, want an HTML 404", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp := get(t, srv, srv.URL+"/alationx/integration/v2/table/", tok); resp.StatusCode != 404 {
		t.Fatalf("a look-alike prefix: %d, want 404", resp.StatusCode)
	}
	if n := f.RequestCount("GET", "/integration/v2/table/"); n != 1 {
		t.Fatalf("logged %d requests at the unprefixed path, want 1", n)
	}
}

// The 1,000-rows-per-call cap holds under a prefix too.
func TestPaging_PageCapUnderAPrefix(t *testing.T) {
	f, srv, tok := prefixedFake(t, LinkPrefixedPath)
	for i := range 1000 {
		f.AddCatalogTable(8, "s", fmt.Sprint("u", i), "TABLE")
	}
	resp := get(t, srv, srv.URL+"/alation/integration/v2/table/?limit=5000", tok)
	body, _ := io.ReadAll(resp.Body)
	if rows := strings.Count(string(body), `"key"`); rows != maxPageSize {
		t.Fatalf("%d rows, want %d", rows, maxPageSize)
	}
	if h := resp.Header.Get("X-Next-Page"); h != "/alation/integration/v2/table/?limit=1000&skip=1000" {
		t.Fatalf("X-Next-Page = %q", h)
	}
}
