package alation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// The sync endpoint's documented errors come back as *APIError with the
// status, Alation's code and Alation's own words.
func TestSyncTable_APIErrors(t *testing.T) {
	w := newWorld(t)
	nonAdmin := w.fake.IssueAccessToken(nonAdminID, time.Hour)
	cases := []struct {
		name   string
		token  string
		in     SyncTableInput
		status int
		detail string
	}{
		{"schema excluded", w.token, SyncTableInput{DatasourceID: testDS, Schema: "ANALYTICS.STAGING", Table: "RAW_ORDERS"}, 400, `Schema "ANALYTICS.STAGING" is excluded from the catalog of data source 8.`},
		{"bad table_type", w.token, SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "ORDERS", TableType: "view"}, 400, `Bad value for table_type: "view". It must be "TABLE" or "VIEW".`},
		{"not an admin", nonAdmin, orders, 403, "Only an admin can trigger a table metadata sync; this user is not an admin."},
		{"service account denied", w.token, SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "SALARIES"}, 403, "The service account of data source 8 does not have permission to read the metadata of ANALYTICS.PUBLIC.SALARIES."},
		{"table not in source", w.token, SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "orders"}, 404, "Table not found in data source: ANALYTICS.PUBLIC.orders (data source 8)."},
		{"unknown data source", w.token, SyncTableInput{DatasourceID: 99, Schema: testSchema, Table: "ORDERS"}, 404, "The data source or schema is invalid: there is no data source 99."},
		{"unreachable source", w.token, SyncTableInput{DatasourceID: 11, Schema: "HR", Table: "EMPLOYEES"}, 500, "Could not connect to the data source 11: the connection timed out."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, w.url, Credentials{AccessToken: tc.token}, withRetries(-1))
			got, err := c.SyncTable(t.Context(), tc.in)
			if got != nil {
				t.Fatalf("got a table with an error: %+v", got)
			}
			ae := asAPIError(t, err)
			wantCode := fmt.Sprintf("%d000", tc.status)
			if ae.StatusCode != tc.status || ae.Code != wantCode || ae.Detail != tc.detail || ae.Method != "POST" ||
				ae.Path != pathSyncTable || ae.Attempts != 1 || ae.ContentType != "application/json" || ae.Excerpt != "" {
				t.Fatalf("APIError %+v", ae)
			}
			if StatusCode(err) != tc.status || ae.Message() != tc.detail {
				t.Fatalf("StatusCode %d, Message %q", StatusCode(err), ae.Message())
			}
			msg := err.Error()
			for _, part := range []string{"POST " + pathSyncTable, fmt.Sprintf("HTTP %d %s", tc.status, http.StatusText(tc.status)), fmt.Sprintf("%q", tc.detail)} {
				if !strings.Contains(msg, part) {
					t.Fatalf("%q lacks %q", msg, part)
				}
			}
		})
	}
}

// OAuth's error shape gives Detail from error_description.
func TestAPIError_OAuthShape(t *testing.T) {
	w := newWorld(t)
	w.fake.AddOAuthClient("svc", "right-secret", adminID)
	c := newClient(t, w.url, Credentials{ClientID: "svc", ClientSecret: "wrong-secret"})
	_, err := c.SyncTable(t.Context(), orders)
	ae := asAPIError(t, err)
	if ae.StatusCode != 401 || ae.Detail != "Client authentication failed: unknown client or wrong secret." || ae.Code != "" || ae.Path != pathOAuthToken {
		t.Fatalf("APIError %+v", ae)
	}
	if !strings.Contains(err.Error(), "minting an access token with the OAuth client credentials") {
		t.Fatalf("error %q does not say it was minting", err)
	}
}

// A load balancer's HTML page: no Detail, the content type, and a sanitized
// excerpt.
func TestAPIError_HTMLFromProxy(t *testing.T) {
	w := newWorld(t)
	w.fake.QueueFaults(pathSyncTable, alationfake.Fault{Status: 502})
	c := newClient(t, w.url, w.static(), withRetries(-1))
	_, err := c.SyncTable(t.Context(), orders)
	ae := asAPIError(t, err)
	if ae.StatusCode != 502 || ae.Detail != "" || ae.Code != "" || ae.ContentType != "text/html; charset=utf-8" || ae.Excerpt != "502 Bad Gateway" {
		t.Fatalf("APIError %+v", ae)
	}
	if m := ae.Message(); m != `(no Alation message; text/html; charset=utf-8 body: "502 Bad Gateway")` {
		t.Fatalf("Message = %q", m)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "<>") || !strings.Contains(msg, `body "502 Bad Gateway"`) {
		t.Fatalf("Error = %q", msg)
	}
}

// serve answers every request with status, content type and body.
func serve(t *testing.T, status int, contentType, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAPIError_EmptyBody(t *testing.T) {
	srv := serve(t, 403, "", "")
	c := newClient(t, srv.URL, Credentials{AccessToken: "tok-abcdef"})
	_, err := c.SyncTable(t.Context(), orders)
	ae := asAPIError(t, err)
	if ae.StatusCode != 403 || ae.Detail != "" || ae.Excerpt != "" || ae.Message() != "(empty response body)" {
		t.Fatalf("APIError %+v, Message %q", ae, ae.Message())
	}
	if msg := err.Error(); msg != "POST /api/v1/table/sync/: HTTP 403 Forbidden" {
		t.Fatalf("Error = %q", msg)
	}
}

// Success statuses whose bodies are not what the API documents give a
// *ResponseError (or a plain error for a valid but useless answer), never
// a panic and never a zero table.
func TestSyncTable_UnreadableAnswers(t *testing.T) {
	cases := []struct {
		name, ct, body string
		want           string // in the error
		excerpt        string // want ResponseError.Excerpt to contain it
	}{
		{"truncated JSON", "application/json", `{"id": 17000, "url": "/table/17000/", "name": "ORD`, "not the JSON expected", `{"id": 17000`},
		{"empty body", "application/json", ``, "the body is empty", ""},
		{"whitespace body", "application/json", " \n\t ", "the body is empty", ""},
		{"a list", "application/json", `[{"id": 17000}]`, "cannot unmarshal array", "17000"},
		{"id not a number", "application/json", `{"id": "abc", "name": "ORDERS"}`, "no usable table id", `{"id": "abc", "name": "ORDERS"}`},
		{"no id", "application/json", `{"name": "ORDERS"}`, "no usable table id", `{"name": "ORDERS"}`},
		{"null", "application/json", `null`, "no usable table id", "null"},
		{"a string", "application/json", `"created"`, "cannot unmarshal string", "created"},
		{"wrong field type", "application/json", `{"id": 1, "name": 5}`, "cannot unmarshal number", ""},
		{"HTML on 201", "text/html", `<html><body><h1>Welcome to nginx!</h1></body></html>`, "not the JSON expected", "Welcome to nginx!"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, http.StatusCreated, tc.ct, tc.body)
			c := newClient(t, srv.URL, Credentials{AccessToken: "tok-abcdef"})
			got, err := c.SyncTable(t.Context(), orders)
			if err == nil || got != nil {
				t.Fatalf("got %+v, %v", got, err)
			}
			re := asResponseError(t, err)
			if re.StatusCode != 201 || re.Method != "POST" || re.Path != pathSyncTable || re.Err == nil {
				t.Fatalf("ResponseError %+v", re)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(re.Excerpt, tc.excerpt) {
				t.Fatalf("error %q, excerpt %q", err, re.Excerpt)
			}
			if strings.ContainsAny(re.Excerpt, "<>") {
				t.Fatalf("excerpt keeps markup: %q", re.Excerpt)
			}
		})
	}
}

func TestListTables_UnreadableAnswers(t *testing.T) {
	for name, body := range map[string]string{
		"an object":       `{"detail": "ok"}`,
		"list of numbers": `[1, 2]`,
		"truncated":       `[{"id": 1}, {"id":`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := serve(t, 200, "application/json", body)
			c := newClient(t, srv.URL, Credentials{AccessToken: "tok-abcdef"})
			got, err := c.ListTables(t.Context(), TableFilter{})
			re := asResponseError(t, err)
			if got != nil || re.StatusCode != 200 || re.Method != "GET" {
				t.Fatalf("got %v, %+v", got, re)
			}
		})
	}
}

// A body larger than MaxResponseBytes is refused after reading at most
// that much of it: the server cannot make the client buffer it all.
func TestResponseTooLarge(t *testing.T) {
	const total = 256 << 20
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		chunk := bytes.Repeat([]byte(" "), 64<<10)
		chunk[0] = '{'
		for written.Load() < total {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
			chunk[0] = ' '
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, Credentials{AccessToken: "tok-abcdef"})

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.SyncTable(t.Context(), orders)
	runtime.ReadMemStats(&after)

	re := asResponseError(t, err)
	if re.StatusCode != 201 || !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Fatalf("error %v", err)
	}
	if len(re.Excerpt) > 210 {
		t.Fatalf("excerpt of %d bytes", len(re.Excerpt))
	}
	srv.CloseClientConnections()
	// The client stopped reading: the server could write the cap plus what
	// the socket buffers hold, far from the whole body.
	if n := written.Load(); n >= total/2 {
		t.Fatalf("the server wrote %d MiB: the client read past the cap", n>>20)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > total/2 {
		t.Fatalf("reading the answer allocated %d MiB", alloc>>20)
	}
}

func TestNewAPIError_Shapes(t *testing.T) {
	secret := "s3cr3t-value"
	c := &Client{}
	c.addSecret(secret)
	cases := []struct {
		name, ct, body                 string
		code, detail, excerptSubstring string
	}{
		{"alation", "application/json", `{"detail": "Not found.", "code": "404000"}`, "404000", "Not found.", ""},
		{"numeric code", "application/json", `{"detail": "Bad.", "code": 400000}`, "400000", "Bad.", ""},
		{"detail list", "application/json", `{"detail": ["a", "b"]}`, "", `["a", "b"]`, ""},
		{"title and errors", "application/json", `{"title": "Invalid", "errors": [{"field": "x"}]}`, "", "Invalid", ""},
		{"errors only", "application/json", `{"errors": ["x is required"]}`, "", `["x is required"]`, ""},
		{"oauth", "application/json", `{"error": "invalid_client", "error_description": "Bad client."}`, "", "Bad client.", ""},
		{"oauth without description", "application/json", `{"error": "invalid_grant"}`, "", "invalid_grant", ""},
		{"null detail", "application/json", `{"detail": null, "title": "T"}`, "", "T", ""},
		{"blank detail", "application/json", `{"detail": "  ", "error": "E"}`, "", "E", ""},
		{"json without message", "application/json", `{"status": "error"}`, "", "", `{"status": "error"}`},
		{"json list", "application/json", `["oops"]`, "", "", `["oops"]`},
		{"plain text", "text/plain", "Service down\r\nfor maintenance", "", "", "Service down for maintenance"},
		{"html", "text/html", "<html><head><style>p{}</style></head><body>\n<h1>503</h1>\n<p>Try   later</p></body></html>", "", "", "p{} 503 Try later"},
		{"secret in detail", "application/json", `{"detail": "token s3cr3t-value is bad"}`, "", "token *** is bad", ""},
		{"secret in html", "text/html", `<p>token s3cr3t-value</p>`, "", "", "token ***"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{"Content-Type": {tc.ct}, "Retry-After": {"7"}}
			e := newAPIError("GET", "/x/", 503, h, []byte(tc.body), c.redact)
			if e.Code != tc.code || e.Detail != tc.detail || e.ContentType != tc.ct || e.RetryAfter != "7" || e.StatusCode != 503 {
				t.Fatalf("%+v", e)
			}
			if tc.detail != "" && e.Excerpt != "" {
				t.Fatalf("excerpt %q with a detail", e.Excerpt)
			}
			if tc.detail == "" && e.Excerpt != tc.excerptSubstring {
				t.Fatalf("excerpt %q, want %q", e.Excerpt, tc.excerptSubstring)
			}
			if strings.Contains(e.Error(), secret) {
				t.Fatalf("secret in %q", e.Error())
			}
		})
	}
}

// A long detail is clipped; a secret that straddles the clip must not
// leave a piece of itself behind.
func TestNewAPIError_LongDetail(t *testing.T) {
	secret := "0123456789abcdef"
	c := &Client{}
	c.addSecret(secret)
	for pad := 480; pad <= 500; pad++ {
		body := fmt.Sprintf(`{"detail": "%s%s tail"}`, strings.Repeat("x", pad), secret)
		e := newAPIError("GET", "/x/", 400, http.Header{}, []byte(body), c.redact)
		if len(e.Detail) > 503 || !utf8.ValidString(e.Detail) {
			t.Fatalf("pad %d: detail of %d bytes", pad, len(e.Detail))
		}
		if strings.Contains(e.Detail, secret[:4]) {
			t.Fatalf("pad %d: a piece of the secret survives: %q", pad, e.Detail[pad-5:])
		}
	}
}

func TestErrorStrings(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&APIError{Method: "POST", Path: "/p/", StatusCode: 404, Detail: "Nope."}, `POST /p/: HTTP 404 Not Found: "Nope."`},
		{&APIError{Method: "POST", Path: "/p/", StatusCode: 503, ContentType: "text/html", Excerpt: "down", Attempts: 5}, `POST /p/: HTTP 503 Service Unavailable (content type "text/html", body "down") after 5 attempts`},
		{&ResponseError{Method: "GET", Path: "/p/", StatusCode: 200, Excerpt: "x", Err: errors.New("bad")}, `GET /p/: HTTP 200 with a response that could not be read (content type "none", body "x"): bad`},
		{&RequestError{Method: "GET", Path: "/p/", Attempts: 1, Err: errors.New("connection refused")}, `GET /p/: connection refused (after 1 attempt)`},
		{&RequestError{Method: "GET", Path: "/p/", Attempts: 3, LastStatus: 503, Err: context.DeadlineExceeded}, `GET /p/: the operation's timeout expired (after 3 attempts; last answer HTTP 503 Service Unavailable)`},
		{&NotFoundError{Kind: "table", What: "id 5"}, `no table in the catalog matches id 5`},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
	wrapped := fmt.Errorf("context: %w", &APIError{StatusCode: 418})
	if StatusCode(wrapped) != 418 || StatusCode(errors.New("x")) != 0 || StatusCode(nil) != 0 {
		t.Fatal("StatusCode does not look through wrapping")
	}
	if !IsNotFound(fmt.Errorf("w: %w", &NotFoundError{})) || IsNotFound(wrapped) {
		t.Fatal("IsNotFound")
	}
	re := &RequestError{Err: fmt.Errorf("x: %w", context.DeadlineExceeded)}
	if !re.TimedOut() || (&RequestError{Err: context.Canceled}).TimedOut() || !errors.Is(re, context.DeadlineExceeded) {
		t.Fatal("TimedOut / Unwrap")
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("é", 150) // 300 bytes
	cases := []struct {
		in, want string
	}{
		{"", ""},
		{"  plain  text \n\n here ", "plain text here"},
		{"<html><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>", "502 Bad Gateway nginx"},
		{"a < b and c > d", "a d"},
		{"unclosed <tag", "unclosed <tag"},
		{"ctl\x00\x01\x1b[31mred\x7f", "ctl[31mred"},
		{"bad \xff\xfe utf8 \xc3", "bad utf8"},
		{"tab\tand\r\nnewline", "tab and newline"},
		{"secret-abcd here", "*** here"},
		{long, strings.Repeat("é", 100) + "…"},
		{"x" + long, "x" + strings.Repeat("é", 99) + "…"},
	}
	redact := func(s string) string { return strings.ReplaceAll(s, "secret-abcd", "***") }
	for _, c := range cases {
		got := Excerpt([]byte(c.in), redact)
		if got != c.want {
			t.Errorf("Excerpt(%q) = %q, want %q", c.in, got, c.want)
		}
		if !utf8.ValidString(got) || len(got) > 203 {
			t.Errorf("Excerpt(%q) = %q: invalid or too long", c.in, got)
		}
	}
	if Excerpt([]byte("secret-abcd"), nil) != "secret-abcd" {
		t.Error("a nil redact must be allowed")
	}
}
