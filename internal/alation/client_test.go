package alation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// The world most tests run against: one admin (user 1) with a static token,
// one non-admin (user 2), data source 8 with a two-level schema.
const (
	testDS     int64 = 8
	testSchema       = "ANALYTICS.PUBLIC"
	adminID    int64 = 1
	nonAdminID int64 = 2
)

var orders = SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "ORDERS"}

type world struct {
	fake     *alationfake.Fake
	url      string
	token    string // the admin's static access token
	schemaID int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	f, u := alationfake.NewTestServer(t)
	return setUpWorld(f, u)
}

// setUpWorld fills f (served at u) with the usual world.
func setUpWorld(f *alationfake.Fake, u string) *world {
	f.AddUser(adminID, true)
	f.AddUser(nonAdminID, false)
	tok := f.IssueAccessToken(adminID, 24*time.Hour)
	f.AddDataSource(alationfake.DataSource{ID: testDS, Title: "Snowflake Prod", DBType: "snowflake"})
	sid := f.AddSchema(testDS, testSchema, false)
	f.AddSourceTable(testDS, testSchema, "ORDERS", "TABLE")
	f.AddSourceTable(testDS, testSchema, "CUSTOMERS", "VIEW")
	f.AddSchema(testDS, "ANALYTICS.STAGING", true)
	f.AddSourceTable(testDS, "ANALYTICS.STAGING", "RAW_ORDERS", "TABLE")
	f.AddSourceTable(testDS, testSchema, "SALARIES", "TABLE")
	f.DenySourceTable(testDS, testSchema, "SALARIES")
	f.AddDataSource(alationfake.DataSource{ID: 11, Title: "Oracle HR", Unreachable: true, Legacy: true})
	f.AddSourceTable(11, "HR", "EMPLOYEES", "TABLE")
	return &world{fake: f, url: u, token: tok, schemaID: sid}
}

// static returns credentials with the admin's static token.
func (w *world) static() Credentials { return Credentials{AccessToken: w.token} }

// newClient builds a client with short retry waits; opts adjust the Config.
func newClient(t *testing.T, baseURL string, creds Credentials, opts ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		BaseURL:      baseURL,
		Credentials:  creds,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func withRetries(n int) func(*Config)   { return func(c *Config) { c.MaxRetries = n } }
func withLogger(l Logger) func(*Config) { return func(c *Config) { c.Logger = l } }
func withCap(n int) func(*Config)       { return func(c *Config) { c.MaxConcurrentRequests = n } }
func withClock(now func() time.Time) func(*Config) {
	return func(c *Config) { c.Now = now }
}

// logEntry is one line a capLogger received.
type logEntry struct {
	Level  string
	Msg    string
	Fields map[string]any
}

// capLogger records every log line.
type capLogger struct {
	mu      sync.Mutex
	entries []logEntry
}

func (l *capLogger) add(level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{level, msg, maps.Clone(fields)})
}

func (l *capLogger) Trace(_ context.Context, msg string, f map[string]any) { l.add("TRACE", msg, f) }
func (l *capLogger) Debug(_ context.Context, msg string, f map[string]any) { l.add("DEBUG", msg, f) }
func (l *capLogger) Warn(_ context.Context, msg string, f map[string]any)  { l.add("WARN", msg, f) }

// find returns the entries of that level and message.
func (l *capLogger) find(level, msg string) []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []logEntry
	for _, e := range l.entries {
		if e.Level == level && e.Msg == msg {
			out = append(out, e)
		}
	}
	return out
}

func (l *capLogger) all() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logEntry(nil), l.entries...)
}

// asAPIError fails the test unless err holds an *APIError.
func asAPIError(t *testing.T, err error) *APIError {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an *APIError, got %T: %v", err, err)
	}
	return ae
}

func asRequestError(t *testing.T, err error) *RequestError {
	t.Helper()
	var re *RequestError
	if !errors.As(err, &re) {
		t.Fatalf("want a *RequestError, got %T: %v", err, err)
	}
	return re
}

func asResponseError(t *testing.T, err error) *ResponseError {
	t.Helper()
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want a *ResponseError, got %T: %v", err, err)
	}
	return re
}

func TestSyncTable_DecodesAnswerAndIsIdempotent(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static())
	ctx := t.Context()

	got, err := c.SyncTable(ctx, orders)
	if err != nil {
		t.Fatal(err)
	}
	id := int64(got.ID)
	if id < 17000 || got.URL != fmt.Sprintf("/table/%d/", id) || got.Name != "ORDERS" || got.SchemaName != testSchema ||
		int64(got.DSID) != testDS || int64(got.SchemaID) != w.schemaID || got.IsView == nil || *got.IsView {
		t.Fatalf("decoded %+v", got)
	}
	if got.Synonyms != nil || got.DBComment.Valid || len(got.CustomFields) != 0 || got.Title != "" {
		t.Fatalf("null and empty fields decoded as %+v", got)
	}
	if _, ok := w.fake.CatalogTable(id); !ok {
		t.Fatalf("table %d not in the fake's catalog", id)
	}
	if c.AbsoluteURL(got.URL) != w.url+got.URL {
		t.Fatalf("AbsoluteURL(%q) = %q", got.URL, c.AbsoluteURL(got.URL))
	}

	again, err := c.SyncTable(ctx, orders)
	if err != nil {
		t.Fatal(err)
	}
	if int64(again.ID) != id {
		t.Fatalf("second sync: id %d, first %d", again.ID, id)
	}
	if n := w.fake.SyncCount(testDS, testSchema, "ORDERS"); n != 2 {
		t.Fatalf("SyncCount = %d, want 2", n)
	}

	// What was sent: the documented JSON body with the static token; no
	// table_type when none was given.
	reqs := w.fake.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(reqs[0].Body), &body); err != nil {
		t.Fatalf("request body %q: %v", reqs[0].Body, err)
	}
	want := map[string]any{"datasource_id": float64(testDS), "schema": testSchema, "table": "ORDERS"}
	if !maps.Equal(body, want) || reqs[0].Token != w.token || reqs[0].Method != "POST" || reqs[0].Path != pathSyncTable {
		t.Fatalf("request %+v, body %v", reqs[0], body)
	}
}

func TestSyncTable_ViewAndCataloguedFields(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static())
	ctx := t.Context()

	view, err := c.SyncTable(ctx, SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "CUSTOMERS", TableType: "VIEW"})
	if err != nil {
		t.Fatal(err)
	}
	if view.IsView == nil || !*view.IsView || view.Name != "CUSTOMERS" {
		t.Fatalf("view decoded as %+v", view)
	}
	if b := w.fake.Requests()[0].Body; !strings.Contains(b, `"table_type":"VIEW"`) {
		t.Fatalf("table_type not sent: %s", b)
	}

	// A table a steward has documented: title, HTML description and the
	// three shapes of custom field value come back decoded.
	id := w.fake.AddCatalogTable(testDS, testSchema, "ORDER_ITEMS", "TABLE")
	w.fake.SetTableTitle(id, "Order items", "<p>One row per line of an order.</p>\n")
	w.fake.SetTableCustomFields(id, []any{
		map[string]any{"field_id": 3, "field_name": "Status", "value": "Endorsed"},
		map[string]any{"field_id": 4, "field_name": "Tags", "value": []string{"pii", "finance"}},
		map[string]any{"field_id": 5, "field_name": "Steward", "value": []any{map[string]any{"otype": "user", "oid": 42}, map[string]any{"otype": "groupprofile", "oid": 7}}},
		map[string]any{"field_id": 6, "field_name": "Empty", "value": nil},
	})
	got, err := c.SyncTable(ctx, SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "ORDER_ITEMS"})
	if err != nil {
		t.Fatal(err)
	}
	if int64(got.ID) != id || got.Title != "Order items" || got.Description != "<p>One row per line of an order.</p>\n" {
		t.Fatalf("decoded %+v", got)
	}
	cf := got.CustomFields
	if len(cf) != 4 {
		t.Fatalf("custom fields %+v", cf)
	}
	if cf[0].FieldID != 3 || cf[0].FieldName != "Status" || cf[0].Value == nil || *cf[0].Value != "Endorsed" || cf[0].Values != nil || cf[0].Objects != nil {
		t.Errorf("string value: %+v", cf[0])
	}
	if cf[1].Value != nil || strings.Join(cf[1].Values, ",") != "pii,finance" {
		t.Errorf("list value: %+v", cf[1])
	}
	if cf[2].Value != nil || cf[2].Values != nil || len(cf[2].Objects) != 2 || cf[2].Objects[0] != (ObjectRef{"user", 42}) || cf[2].Objects[1] != (ObjectRef{"groupprofile", 7}) {
		t.Errorf("object value: %+v", cf[2])
	}
	if cf[3].FieldID != 6 || cf[3].Value != nil || cf[3].Values != nil || cf[3].Objects != nil {
		t.Errorf("null value: %+v", cf[3])
	}
}

func TestGetTable(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static())
	ctx := t.Context()
	id := w.fake.AddCatalogTable(testDS, testSchema, "ORDER_ITEMS", "TABLE")
	w.fake.AddCatalogTable(testDS, testSchema, "OTHER", "VIEW")

	got, err := c.GetTable(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if int64(got.ID) != id || got.Name != "ORDER_ITEMS" || got.SchemaName != testSchema || int64(got.DSID) != testDS ||
		got.TableType != "TABLE" || got.Key != fmt.Sprintf("%d.%s.ORDER_ITEMS", testDS, testSchema) || got.URL != fmt.Sprintf("/table/%d/", id) {
		t.Fatalf("GetTable = %+v", got)
	}
	if q := w.fake.Requests()[0].RawQuery; q != fmt.Sprintf("id=%d", id) {
		t.Fatalf("query %q", q)
	}

	_, err = c.GetTable(ctx, 99999)
	var nf *NotFoundError
	if !errors.As(err, &nf) || !IsNotFound(err) || nf.Kind != "table" || !strings.Contains(err.Error(), "99999") {
		t.Fatalf("unknown id: %v", err)
	}
	if StatusCode(err) != 0 {
		t.Fatalf("a NotFoundError has no HTTP status, got %d", StatusCode(err))
	}
}

func TestFindTable_ExactAndCaseSensitive(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static())
	ctx := t.Context()
	id := w.fake.AddCatalogTable(testDS, testSchema, "ORDER_ITEMS", "TABLE")
	w.fake.AddCatalogTable(testDS, testSchema, "ORDER_ITEMS_OLD", "TABLE")
	w.fake.AddCatalogTable(testDS, "ANALYTICS.FINANCE", "ORDER_ITEMS", "TABLE")

	got, err := c.FindTable(ctx, testDS, testSchema, "ORDER_ITEMS")
	if err != nil {
		t.Fatal(err)
	}
	if int64(got.ID) != id {
		t.Fatalf("found %+v, want id %d", got, id)
	}
	q, _ := url.ParseQuery(w.fake.Requests()[0].RawQuery)
	if q.Get("ds_id") != "8" || q.Get("schema_name") != testSchema || q.Get("name") != "ORDER_ITEMS" {
		t.Fatalf("query %v", q)
	}
	for _, c2 := range []struct{ schema, name string }{
		{testSchema, "order_items"},
		{"analytics.public", "ORDER_ITEMS"},
		{testSchema, "ORDER_ITEM"},
		{"ANALYTICS.NONE", "ORDER_ITEMS"},
	} {
		_, err := c.FindTable(ctx, testDS, c2.schema, c2.name)
		if !IsNotFound(err) {
			t.Errorf("FindTable(%s, %s): want NotFoundError, got %v", c2.schema, c2.name, err)
		}
	}
}

// An Alation whose name filter matches loosely (case-insensitively, or
// ignoring the schema) must not make FindTable return the wrong table.
func TestFindTable_ChecksTheAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `[
			{"id": 1, "name": "orders", "ds_id": 8, "schema_name": "ANALYTICS.PUBLIC"},
			{"id": 2, "name": "ORDERS", "ds_id": 8, "schema_name": "analytics.public"},
			{"id": 3, "name": "ORDERS", "ds_id": 9, "schema_name": "ANALYTICS.PUBLIC"},
			{"id": 4, "name": "ORDERS", "ds_id": "8", "schema_name": "ANALYTICS.PUBLIC"}
		]`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, Credentials{AccessToken: "tok-abcdef"})
	got, err := c.FindTable(t.Context(), 8, testSchema, "ORDERS")
	if err != nil || got.ID != 4 {
		t.Fatalf("FindTable = %+v, %v; want id 4", got, err)
	}
	_, err = c.FindTable(t.Context(), 8, testSchema, "Orders")
	if !IsNotFound(err) {
		t.Fatalf("loose match accepted: %v", err)
	}
	// GetTable checks the id too.
	_, err = c.GetTable(t.Context(), 5)
	if !IsNotFound(err) {
		t.Fatalf("GetTable(5) on a list without 5: %v", err)
	}
}

func TestListTables_FollowsNextPage(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static())
	const n = 250
	want := map[int64]string{}
	for i := range n {
		name := fmt.Sprintf("T%03d", i)
		want[w.fake.AddCatalogTable(21, "main.dbo", name, "TABLE")] = name
	}
	w.fake.AddCatalogTable(22, "main.dbo", "ELSEWHERE", "TABLE")

	got, err := c.ListTables(t.Context(), TableFilter{DSID: 21})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d tables, want %d", len(got), n)
	}
	seen := map[int64]bool{}
	for i, tb := range got {
		id := int64(tb.ID)
		if want[id] != tb.Name || seen[id] || int64(tb.DSID) != 21 {
			t.Fatalf("item %d: %+v (duplicate %v)", i, tb, seen[id])
		}
		if i > 0 && id <= int64(got[i-1].ID) {
			t.Fatalf("out of order at %d", i)
		}
		seen[id] = true
	}
	reqs := w.fake.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 pages", len(reqs))
	}
	for i, r := range reqs {
		q, _ := url.ParseQuery(r.RawQuery)
		if r.Path != pathTables || r.Token != w.token || q.Get("ds_id") != "21" {
			t.Fatalf("page %d: %+v", i, r)
		}
		if wantSkip := []string{"", "100", "200"}[i]; q.Get("skip") != wantSkip {
			t.Fatalf("page %d: skip %q, want %q", i, q.Get("skip"), wantSkip)
		}
	}
}

// pagingServer answers the first GET of the table list with one item and
// the given X-Next-Page, and any other GET with the last, empty page.
func pagingServer(t *testing.T, tlsServer bool, next func(srvURL string) string) (*httptest.Server, *int) {
	t.Helper()
	var mu sync.Mutex
	count := 0
	var srv *httptest.Server
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		count++
		first := count == 1
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if first {
			w.Header().Set("X-Next-Page", next(srv.URL))
			fmt.Fprint(w, `[{"id": 1, "name": "a"}]`)
			return
		}
		fmt.Fprint(w, `[{"id": 2, "name": "b"}]`)
	})
	if tlsServer {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv, &count
}

func TestListTables_PagingLinks(t *testing.T) {
	cases := []struct {
		name   string
		tls    bool
		next   func(srvURL string) string
		refuse bool
	}{
		{"relative link is followed", false, func(string) string { return "/integration/v2/table/?skip=1" }, false},
		{"absolute link to the same host is followed", false, func(u string) string { return u + "/integration/v2/table/?skip=1" }, false},
		{"another host", false, func(string) string { return "http://evil.example/integration/v2/table/?skip=1" }, true},
		{"scheme-relative link to another host", false, func(string) string { return "//evil.example/integration/v2/table/?skip=1" }, true},
		{"same address under another name", false, func(u string) string {
			return strings.Replace(u, "127.0.0.1", "localhost", 1) + "/integration/v2/table/?skip=1"
		}, true},
		{"https downgraded to http on the same host", true, func(u string) string {
			return strings.Replace(u, "https://", "http://", 1) + "/integration/v2/table/?skip=1"
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, count := pagingServer(t, tc.tls, tc.next)
			c := newClient(t, srv.URL, Credentials{AccessToken: "tok-abcdef"}, func(cfg *Config) {
				if tc.tls {
					cfg.InsecureSkipVerify = true
				}
			})
			got, err := c.ListTables(t.Context(), TableFilter{})
			if !tc.refuse {
				if err != nil || len(got) != 2 || *count != 2 {
					t.Fatalf("got %v, %v after %d requests", got, err, *count)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "refusing to follow a paging link") {
				t.Fatalf("want a refusal, got %v, %v", got, err)
			}
			if *count != 1 {
				t.Fatalf("%d requests reached the server, want 1", *count)
			}
		})
	}
}

func TestListTables_StopsOnAnEmptyPage(t *testing.T) {
	var mu sync.Mutex
	count := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		count++
		mu.Unlock()
		w.Header().Set("X-Next-Page", "/integration/v2/table/?skip=0")
		fmt.Fprint(w, `[]`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, Credentials{AccessToken: "tok-abcdef"})
	got, err := c.ListTables(t.Context(), TableFilter{})
	if err != nil || len(got) != 0 || count != 1 {
		t.Fatalf("got %v, %v after %d requests", got, err, count)
	}
}

func TestParseBaseURL(t *testing.T) {
	cases := []struct {
		in, want, err string
	}{
		{"https://alation.example.com", "https://alation.example.com", ""},
		{"  https://alation.example.com/  ", "https://alation.example.com", ""},
		{"https://alation.example.com/alation//", "https://alation.example.com/alation", ""},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", ""},
		{"alation.example.com", "", "absolute http or https URL"},
		{"ftp://alation.example.com", "", "absolute http or https URL"},
		{"https://", "", "absolute http or https URL"},
		{"https://alation.example.com/?x=1", "", "query, fragment or user info"},
		{"https://alation.example.com/#top", "", "query, fragment or user info"},
		{"https://user:pw@alation.example.com", "", "query, fragment or user info"},
		{"https://alation.example.com/%zz", "", "is not a URL"},
		{"", "", "absolute http or https URL"},
		// A host without a scheme gets the URL to write, not Go's parser.
		{"127.0.0.1:18080", "", `has no scheme: it must be an absolute http or https URL, such as "https://127.0.0.1:18080", or "http://127.0.0.1:18080" for a server on this machine`},
		{"alation.example.com:443", "", `such as "https://alation.example.com:443"`},
		{"//alation.example.com", "", `such as "https://alation.example.com"`},
		{"https:alation.example.com", "", "absolute http or https URL"},
	}
	for _, c := range cases {
		u, err := ParseBaseURL(c.in)
		if err != nil && strings.Contains(err.Error(), "first path segment") {
			t.Errorf("ParseBaseURL(%q) answers with Go's URL parser: %v", c.in, err)
		}
		switch {
		case c.err == "" && (err != nil || u.String() != c.want):
			t.Errorf("ParseBaseURL(%q) = %v, %v; want %q", c.in, u, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseBaseURL(%q): error %v, want one containing %q", c.in, err, c.err)
		}
	}
}

func TestNew_RejectsBadConfig(t *testing.T) {
	good := Credentials{AccessToken: "tok-abcdef"}
	cases := []struct {
		name string
		cfg  Config
		err  string
	}{
		{"no base URL", Config{Credentials: good}, "base_url"},
		{"no credentials", Config{BaseURL: "https://alation.example.com"}, "no credentials"},
		{"two modes", Config{BaseURL: "https://alation.example.com", Credentials: Credentials{AccessToken: "abcd", ClientID: "x", ClientSecret: "y"}}, "more than one"},
		{"bad CA file", Config{BaseURL: "https://alation.example.com", Credentials: good, CACertPEM: []byte("not a certificate")}, "no PEM certificate"},
	}
	for _, c := range cases {
		if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: New error %v, want one containing %q", c.name, err, c.err)
		}
	}
}

func TestAbsoluteURL(t *testing.T) {
	c := newClient(t, "https://alation.example.com/", Credentials{AccessToken: "tok-abcdef"})
	if c.BaseURL() != "https://alation.example.com" {
		t.Fatalf("BaseURL = %q", c.BaseURL())
	}
	for in, want := range map[string]string{
		"/table/17194/":                  "https://alation.example.com/table/17194/",
		"table/17194/":                   "https://alation.example.com/table/17194/",
		"":                               "",
		"https://other.example/table/1/": "https://other.example/table/1/",
		"http://alation.example.com/x":   "http://alation.example.com/x",
	} {
		if got := c.AbsoluteURL(in); got != want {
			t.Errorf("AbsoluteURL(%q) = %q, want %q", in, got, want)
		}
	}
}
