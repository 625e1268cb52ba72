package alationfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Largest request body the fake accepts.
const maxBodyBytes = 1 << 20

// Fault is a canned answer that replaces normal handling of one request.
type Fault struct {
	// Status is the HTTP status to answer with. Zero means "no answer of
	// its own": after Delay, the request is handled normally (useful to
	// slow down one particular request).
	Status int
	// Body is sent as is. When empty, a 5xx status gets a short HTML page
	// as a load balancer would send, anything else a JSON error body.
	Body string
	// ContentType of Body. When empty it is guessed: JSON if Body looks
	// like JSON, HTML otherwise.
	ContentType string
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string
	// Delay is waited before answering (the request's context is honoured).
	Delay time.Duration
	// CloseConnection drops the TCP connection without answering, which the
	// client sees as a network error.
	CloseConnection bool
}

// Request is one entry of the request log.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Token    string // value of the TOKEN header
	Body     string
	Status   int   // 0 while in progress, or when no answer was sent (connection dropped, client gone)
	Bytes    int64 // of the response body sent
	Start    time.Time
	End      time.Time

	Authorization string // value of the Authorization header, such as "Bearer <token>"
}

// QueueFaults makes the next requests to path (for example
// "/api/v1/table/sync/") get these answers, one each, in order. Normal
// handling resumes once they are used up.
func (f *Fake) QueueFaults(path string, faults ...Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queued[path] = append(f.queued[path], faults...)
}

// SetLatency adds d to the handling of every request.
func (f *Fake) SetLatency(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latency = d
}

// SetRandomFaults answers the given fraction (0 to 1) of all requests with a
// status drawn from statuses (503 when the list is empty), using a random
// source seeded with seed so runs are repeatable. A 429 carries
// "Retry-After: 0". A fraction of zero or less turns random faults off.
func (f *Fake) SetRandomFaults(fraction float64, statuses []int, seed int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.randFraction = fraction
	f.randStatuses = append([]int(nil), statuses...)
	if len(f.randStatuses) == 0 {
		f.randStatuses = []int{http.StatusServiceUnavailable}
	}
	f.rng = mrand.New(mrand.NewSource(seed))
}

// SetBeforeHandle installs a hook called at the start of every request, once
// it is logged and counted as in flight. nil removes it.
func (f *Fake) SetBeforeHandle(fn func(r *http.Request)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.beforeHandle = fn
}

// Requests returns a copy of the request log in arrival order.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// RequestCount counts logged requests with that method and path. An empty
// method matches any method.
func (f *Fake) RequestCount(method, path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if r.Path == path && (method == "" || r.Method == method) {
			n++
		}
	}
	return n
}

// SyncCount is the number of successful (201) syncs of that table.
func (f *Fake) SyncCount(dsID int64, schemaName, table string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.syncCounts[tableKey{dsID, schemaName, table}]
}

// MaxInFlight is the largest number of requests seen being handled at once.
func (f *Fake) MaxInFlight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.maxInFlight
}

// Connections is the number of TCP connections accepted, counted only when
// the fake is served by Start or NewTestServer.
func (f *Fake) Connections() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.connections
}

// ResetLog empties the request log and zeroes the counters: sync counts,
// mint count, peak in-flight (set to the number currently in flight) and
// connections. The catalog, credentials and faults are kept.
func (f *Fake) ResetLog() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = nil
	f.logGen++
	f.syncCounts = map[tableKey]int{}
	f.mintCount = 0
	f.maxInFlight = f.inFlight
	f.connections = 0
}

// Start serves the fake on a new loopback listener and returns its base URL,
// such as "http://127.0.0.1:41234". Calling it again returns the same URL.
func (f *Fake) Start() string {
	f.mu.Lock()
	if f.server != nil {
		u := f.server.URL
		f.mu.Unlock()
		return u
	}
	select {
	case <-f.closed:
		f.closed = make(chan struct{}) // started again after Close
	default:
	}
	f.mu.Unlock()

	s := httptest.NewUnstartedServer(f)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			f.mu.Lock()
			f.connections++
			f.mu.Unlock()
		}
	}
	s.Start()
	f.mu.Lock()
	f.server = s
	f.mu.Unlock()
	return s.URL
}

// Close stops the server started by Start, first cutting short any latency or
// fault delay in progress. It is safe to call more than once.
func (f *Fake) Close() {
	f.mu.Lock()
	select {
	case <-f.closed:
	default:
		close(f.closed)
	}
	s := f.server
	f.server = nil
	f.mu.Unlock()
	if s != nil {
		s.Close()
	}
}

// NewTestServer creates an empty fake, starts it and stops it when the test
// ends. It returns the fake and its base URL.
func NewTestServer(t testing.TB) (*Fake, string) {
	t.Helper()
	f := New()
	u := f.Start()
	t.Cleanup(f.Close)
	return f, u
}

// recorder remembers the status written through it.
type recorder struct {
	http.ResponseWriter
	status   int
	bytes    int64
	hijacked bool
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (for Hijack).
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ServeHTTP handles one request: log it, apply latency and faults, then
// answer as Alation would.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w}
	body, tooBig := readBody(r)

	f.mu.Lock()
	idx, gen := len(f.requests), f.logGen
	f.requests = append(f.requests, Request{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Token:    r.Header.Get("Token"),
		Body:     string(body),
		Start:    time.Now(),
	})
	f.requests[idx].Authorization = r.Header.Get("Authorization")
	f.inFlight++
	if f.inFlight > f.maxInFlight {
		f.maxInFlight = f.inFlight
	}
	before, latency, closed, prefix := f.beforeHandle, f.latency, f.closed, f.pathPrefix
	f.mu.Unlock()

	defer func() {
		if p := recover(); p != nil && !rec.hijacked && rec.status == 0 {
			writeError(rec, http.StatusInternalServerError, fmt.Sprintf("alationfake internal error: %v", p))
		}
		f.mu.Lock()
		f.inFlight--
		if gen == f.logGen && idx < len(f.requests) {
			f.requests[idx].Status = rec.status
			f.requests[idx].Bytes = rec.bytes
			f.requests[idx].End = time.Now()
		}
		f.mu.Unlock()
	}()

	if before != nil {
		before(r)
	}
	if !sleep(r.Context(), closed, latency) {
		shuttingDown(rec, r)
		return
	}
	if f.serveRedirect(rec, r) {
		return
	}
	if fault, ok := f.nextFault(r.URL.Path); ok {
		if done := f.serveFault(rec, r, fault, closed); done {
			return
		}
	}
	api, ok := underPrefix(r, prefix)
	if !ok {
		writeHTML(rec, http.StatusNotFound, notFoundPage)
		return
	}
	if tooBig {
		writeError(rec, http.StatusRequestEntityTooLarge, "Request body is too large.")
		return
	}
	f.route(rec, api, body)
}

// readBody reads at most maxBodyBytes of the request body.
func readBody(r *http.Request) (body []byte, tooBig bool) {
	if r.Body == nil {
		return nil, false
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return b, false
	}
	if len(b) > maxBodyBytes {
		return b[:maxBodyBytes], true
	}
	return b, false
}

// sleep waits d, returning false if the request's context ends or the fake is
// closed first.
func sleep(ctx context.Context, closed <-chan struct{}, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-closed:
		return false
	}
}

// shuttingDown answers a request whose wait was cut short. If the client
// has gone there is no one to answer; otherwise the fake is closing and says
// so like a proxy would, rather than letting an empty 200 through.
func shuttingDown(w http.ResponseWriter, r *http.Request) {
	if r.Context().Err() == nil {
		writeHTML(w, http.StatusServiceUnavailable, lbPage(http.StatusServiceUnavailable))
	}
}

// nextFault takes the next queued fault for path, or draws a random one.
func (f *Fake) nextFault(path string) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if q := f.queued[path]; len(q) > 0 {
		fault := q[0]
		if len(q) == 1 {
			delete(f.queued, path)
		} else {
			f.queued[path] = q[1:]
		}
		return fault, true
	}
	if f.randFraction > 0 && f.rng != nil && f.rng.Float64() < f.randFraction {
		st := f.randStatuses[f.rng.Intn(len(f.randStatuses))]
		fault := Fault{Status: st}
		if st == http.StatusTooManyRequests {
			fault.RetryAfter = "0"
		}
		return fault, true
	}
	return Fault{}, false
}

// serveFault answers with the fault. It returns false when the request must
// still be handled normally (a Status of zero).
func (f *Fake) serveFault(w *recorder, r *http.Request, fault Fault, closed <-chan struct{}) bool {
	if !sleep(r.Context(), closed, fault.Delay) {
		shuttingDown(w, r)
		return true
	}
	if fault.CloseConnection {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			w.hijacked = true
			_ = conn.Close()
			return true
		}
		// Not hijackable (HTTP/2 or a ResponseRecorder): the nearest
		// thing is a gateway error with a non-JSON body.
		writeHTML(w, http.StatusBadGateway, lbPage(http.StatusBadGateway))
		return true
	}
	if fault.Status == 0 {
		return false
	}
	if fault.Status < 200 || fault.Status > 999 {
		fault.Status = http.StatusInternalServerError
	}
	if fault.RetryAfter != "" {
		w.Header().Set("Retry-After", fault.RetryAfter)
	}
	switch {
	case fault.Body == "" && fault.Status >= 500:
		writeHTML(w, fault.Status, lbPage(fault.Status))
	case fault.Body == "":
		text := http.StatusText(fault.Status)
		if text == "" {
			text = "Error"
		}
		writeError(w, fault.Status, text+".")
	default:
		ct := fault.ContentType
		if ct == "" {
			ct = "text/html; charset=utf-8"
			if t := bytes.TrimSpace([]byte(fault.Body)); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
				ct = "application/json"
			}
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(fault.Status)
		_, _ = io.WriteString(w, fault.Body)
	}
	return true
}

// lbPage is the kind of page a load balancer sends for a 5xx.
func lbPage(status int) string {
	text := map[int]string{
		500: "Internal Server Error",
		502: "Bad Gateway",
		503: "Service Temporarily Unavailable",
		504: "Gateway Time-out",
	}[status]
	if text == "" {
		text = http.StatusText(status)
	}
	return fmt.Sprintf("<html><body><h1>%d %s</h1></body></html>", status, text)
}

// route dispatches to the endpoint handlers.
func (f *Fake) route(w *recorder, r *http.Request, body []byte) {
	p := r.URL.Path
	switch p {
	case "/api/v1/table/sync/":
		f.endpoint(w, r, true, http.MethodPost, func(uid int64) { f.handleSync(w, r, body, uid) })
	case "/integration/v1/createAPIAccessToken/":
		f.endpoint(w, r, false, http.MethodPost, func(int64) { f.handleCreateToken(w, r, body) })
	case "/integration/v1/validateAPIAccessToken/":
		f.endpoint(w, r, false, http.MethodPost, func(int64) { f.handleValidateToken(w, r, body) })
	case "/oauth/v2/token/", "/oauth/v2/token":
		f.endpoint(w, r, false, http.MethodPost, func(int64) { f.handleOAuthToken(w, r, body) })
	case "/integration/v2/table/":
		f.endpoint(w, r, true, http.MethodGet, func(int64) { f.handleTables(w, r) })
	case "/full_version":
		f.endpoint(w, r, false, http.MethodGet, func(int64) { f.handleVersion(w) })
	case "/integration/v2/schema/":
		f.endpoint(w, r, true, http.MethodGet, func(int64) { f.handleSchemas(w, r) })
	case "/integration/v2/datasource/":
		f.endpoint(w, r, true, http.MethodGet, func(uid int64) { f.handleDataSources(w, r, false, uid) })
	case "/integration/v1/datasource/":
		f.endpoint(w, r, true, http.MethodGet, func(uid int64) { f.handleDataSources(w, r, true, uid) })
	default:
		for _, v := range []struct {
			prefix string
			legacy bool
		}{{"/integration/v2/datasource/", false}, {"/integration/v1/datasource/", true}} {
			if id, ok := idPath(p, v.prefix); ok {
				f.endpoint(w, r, true, http.MethodGet, func(uid int64) { f.handleDataSource(w, r, id, v.legacy, uid) })
				return
			}
		}
		writeHTML(w, http.StatusNotFound, notFoundPage)
	}
}

// idPath matches "<prefix><digits>/" and returns the number.
func idPath(p, prefix string) (int64, bool) {
	rest, ok := strings.CutPrefix(p, prefix)
	if !ok {
		return 0, false
	}
	digits, ok := strings.CutSuffix(rest, "/")
	if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	id, err := strconv.ParseInt(digits, 10, 64)
	return id, err == nil
}

// endpoint authenticates when needed, checks the method (HEAD counts as GET)
// and runs h with the caller's user id.
func (f *Fake) endpoint(w *recorder, r *http.Request, auth bool, method string, h func(userID int64)) {
	var uid int64
	if auth {
		var ok bool
		if uid, ok = f.authenticate(w, r); !ok {
			return
		}
	}
	m := r.Method
	if m == http.MethodHead && method == http.MethodGet {
		m = http.MethodGet
	}
	if m != method {
		allow := method
		if method == http.MethodGet {
			allow = "GET, HEAD"
		}
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", r.Method))
		return
	}
	h(uid)
}

const notFoundPage = `<!DOCTYPE html>
<html><head><title>Not Found</title></head>
<body><h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>
`

// writeJSON sends v as JSON without escaping HTML characters, as Django does.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"detail":"alationfake could not encode the response.","code":"500000"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeError sends Alation's usual error body: {"detail", "code"}.
func writeError(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]string{"detail": detail, "code": fmt.Sprintf("%d000", status)})
}

// writeHTML sends an HTML page.
func writeHTML(w http.ResponseWriter, status int, page string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, page)
}
