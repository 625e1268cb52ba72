package alationfake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestUnknownPathIsHTML(t *testing.T) {
	_, u, tok := adminFake(t)
	for _, p := range []string{"/", "/api/v1/table/sync", "/api/v2/table/sync/", "/integration/v2/tables/"} {
		r := call(t, http.MethodPost, u+p, tok, "application/json", `{}`)
		if r.status != 404 || r.header.Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(string(r.body), "<html>") {
			t.Errorf("%s: %d %q %s", p, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
}

func TestFaults_Queue(t *testing.T) {
	f, u, tok := adminFake(t)
	f.AddDataSource(DataSource{ID: 1})
	f.AddSourceTable(1, "s", "t", "TABLE")
	body := `{"datasource_id":1,"schema":"s","table":"t"}`
	f.QueueFaults(syncPath,
		Fault{Status: 503},
		Fault{Status: 429, RetryAfter: "1"},
		Fault{Status: 502, Body: `{"detail":"upstream","code":"502000"}`},
		Fault{Status: 400, Body: "plain words", ContentType: "text/plain"},
		Fault{Status: 409},
	)
	f.QueueFaults(syncPath, Fault{Status: 500, Body: "<p>oops</p>"}) // appended

	r := postJSON(t, u+syncPath, tok, body)
	if r.status != 503 || r.header.Get("Content-Type") != "text/html; charset=utf-8" ||
		string(r.body) != "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>" {
		t.Fatalf("503: %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	r = postJSON(t, u+syncPath, tok, body)
	if r.status != 429 || r.header.Get("Retry-After") != "1" {
		t.Fatalf("429: %d %v", r.status, r.header)
	}
	r.wantError(t, 429, "Too Many Requests")
	r = postJSON(t, u+syncPath, tok, body)
	r.wantError(t, 502, "upstream")
	r = postJSON(t, u+syncPath, tok, body)
	if r.status != 400 || r.header.Get("Content-Type") != "text/plain" || string(r.body) != "plain words" {
		t.Fatalf("custom: %d %s", r.status, r.body)
	}
	postJSON(t, u+syncPath, tok, body).wantError(t, 409)
	r = postJSON(t, u+syncPath, tok, body)
	if r.status != 500 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("html body: %d %q", r.status, r.header.Get("Content-Type"))
	}
	// Normal handling resumes.
	if r := postJSON(t, u+syncPath, tok, body); r.status != 201 {
		t.Fatalf("after faults: %d %s", r.status, r.body)
	}
	if got := f.RequestCount(http.MethodPost, syncPath); got != 7 {
		t.Fatalf("RequestCount = %d, want 7 (faults are logged)", got)
	}
	if f.SyncCount(1, "s", "t") != 1 {
		t.Fatalf("SyncCount = %d", f.SyncCount(1, "s", "t"))
	}
	statuses := []int{}
	for _, rq := range f.Requests() {
		statuses = append(statuses, rq.Status)
	}
	if fmt.Sprint(statuses) != "[503 429 502 400 409 500 201]" {
		t.Fatalf("logged statuses %v", statuses)
	}
	// Faults on other paths are not affected, and faults take precedence over auth.
	f.QueueFaults(tablesPath, Fault{Status: 504})
	if r := getJSON(t, u+tablesPath, ""); r.status != 504 {
		t.Fatalf("fault before auth: %d", r.status)
	}
}

func TestFaults_CloseConnection(t *testing.T) {
	f, u, tok := adminFake(t)
	f.QueueFaults(tablesPath, Fault{CloseConnection: true})
	req, _ := http.NewRequest(http.MethodGet, u+tablesPath, nil)
	req.Header.Set("TOKEN", tok)
	// A fresh transport so the client does not retry on a reused connection.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("want a network error, got %d", resp.StatusCode)
	}
	if r := getJSON(t, u+tablesPath, tok); r.status != 200 {
		t.Fatalf("after close: %d", r.status)
	}
	if l := f.Requests(); len(l) != 2 || l[0].Status != 0 || l[1].Status != 200 {
		t.Fatalf("log: %+v", l)
	}

	// Served without a real connection, it degrades to a 502 HTML page.
	f2 := New()
	f2.QueueFaults("/x", Fault{CloseConnection: true})
	rec := httptest.NewRecorder()
	f2.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	if rec.Code != 502 || !strings.Contains(rec.Body.String(), "<html>") {
		t.Fatalf("recorder: %d %s", rec.Code, rec.Body)
	}
}

func TestFaults_DelayHonoursContext(t *testing.T) {
	f, u, tok := adminFake(t)
	f.QueueFaults(tablesPath, Fault{Status: 200, Delay: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u+tablesPath, nil)
	req.Header.Set("TOKEN", tok)
	start := time.Now()
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("delay not cut short")
	}

	// Status 0: delay, then handle normally.
	f.QueueFaults(tablesPath, Fault{Delay: 30 * time.Millisecond})
	start = time.Now()
	if r := getJSON(t, u+tablesPath, tok); r.status != 200 || time.Since(start) < 30*time.Millisecond {
		t.Fatalf("delayed pass-through: %d after %v", r.status, time.Since(start))
	}
}

func TestRandomFaults(t *testing.T) {
	f, u, tok := adminFake(t)
	f.SetRandomFaults(1, []int{429}, 1)
	r := getJSON(t, u+tablesPath, tok)
	if r.status != 429 || r.header.Get("Retry-After") != "0" {
		t.Fatalf("%d %v", r.status, r.header)
	}
	run := func(seed int64) []int {
		f.SetRandomFaults(0.5, []int{500, 503}, seed)
		var out []int
		for range 40 {
			out = append(out, getJSON(t, u+tablesPath, tok).status)
		}
		return out
	}
	a, b := run(7), run(7)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("same seed, different faults")
	}
	counts := map[int]int{}
	for _, s := range a {
		counts[s]++
	}
	if counts[200] == 0 || counts[500]+counts[503] == 0 || counts[200]+counts[500]+counts[503] != 40 {
		t.Fatalf("distribution %v", counts)
	}
	f.SetRandomFaults(0, nil, 0)
	for range 10 {
		if s := getJSON(t, u+tablesPath, tok).status; s != 200 {
			t.Fatalf("faults off: %d", s)
		}
	}
}

func TestLatency(t *testing.T) {
	f, u, tok := adminFake(t)
	f.SetLatency(40 * time.Millisecond)
	start := time.Now()
	getJSON(t, u+tablesPath, tok)
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Fatalf("answered after %v", d)
	}
	f.SetLatency(10 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u+tablesPath, nil)
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("want a timeout")
	}
	// The handler gives up once the client has gone.
	deadline := time.Now().Add(3 * time.Second)
	for {
		l := f.Requests()
		if !l[len(l)-1].End.IsZero() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("handler still sleeping after the client left")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestMaxInFlightAndBeforeHandle(t *testing.T) {
	f, u, tok := adminFake(t)
	const n = 8
	var arrived sync.WaitGroup
	arrived.Add(n)
	release := make(chan struct{})
	f.SetBeforeHandle(func(r *http.Request) {
		if r.URL.Path == tablesPath {
			arrived.Done()
			<-release
		}
	})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { getJSON(t, u+tablesPath, tok) })
	}
	arrived.Wait()
	if got := f.MaxInFlight(); got != n {
		t.Fatalf("MaxInFlight = %d while %d wait", got, n)
	}
	close(release)
	wg.Wait()
	f.SetBeforeHandle(nil)
	getJSON(t, u+tablesPath, tok)
	if got := f.MaxInFlight(); got != n {
		t.Fatalf("MaxInFlight = %d after, want %d", got, n)
	}
	if c := f.Connections(); c < n {
		t.Fatalf("Connections = %d, want at least %d", c, n)
	}
	f.ResetLog()
	if f.MaxInFlight() != 0 || len(f.Requests()) != 0 || f.Connections() != 0 {
		t.Fatal("ResetLog left counters")
	}
}

func TestConnections(t *testing.T) {
	f, u, tok := adminFake(t)
	keep := &http.Client{Transport: &http.Transport{}}
	defer keep.CloseIdleConnections()
	for range 5 {
		req, _ := http.NewRequest(http.MethodGet, u+tablesPath, nil)
		req.Header.Set("TOKEN", tok)
		resp, err := keep.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if c := f.Connections(); c != 1 {
		t.Fatalf("keep-alive: Connections = %d, want 1", c)
	}
	noKeep := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for range 3 {
		resp, err := noKeep.Get(u + tablesPath)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if c := f.Connections(); c != 4 {
		t.Fatalf("Connections = %d, want 4", c)
	}
	// Not started: nothing counted.
	if New().Connections() != 0 {
		t.Fatal("unstarted fake counts connections")
	}
}

func TestRequestLog(t *testing.T) {
	f, u, tok := adminFake(t)
	before := time.Now()
	getJSON(t, u+tablesPath+"?ds_id=8&limit=5", tok)
	postJSON(t, u+syncPath, tok, `{"datasource_id":1,"schema":"s","table":"t"}`)
	l := f.Requests()
	if len(l) != 2 {
		t.Fatalf("%d entries", len(l))
	}
	g, p := l[0], l[1]
	if g.Method != "GET" || g.Path != tablesPath || g.RawQuery != "ds_id=8&limit=5" || g.Token != tok || g.Status != 200 ||
		g.Start.Before(before) || g.End.Before(g.Start) {
		t.Fatalf("GET entry %+v", g)
	}
	if p.Method != "POST" || p.Body != `{"datasource_id":1,"schema":"s","table":"t"}` || p.Status != 404 {
		t.Fatalf("POST entry %+v", p)
	}
	if f.RequestCount("GET", tablesPath) != 1 || f.RequestCount("", syncPath) != 1 || f.RequestCount("GET", syncPath) != 0 {
		t.Fatal("RequestCount")
	}
	l[0].Path = "changed"
	if f.Requests()[0].Path != tablesPath {
		t.Fatal("Requests does not return a copy")
	}
}

func TestBodyTooLarge(t *testing.T) {
	_, u, tok := adminFake(t)
	big := `{"datasource_id":1,"schema":"` + strings.Repeat("x", maxBodyBytes) + `","table":"t"}`
	postJSON(t, u+syncPath, tok, big).wantError(t, 413)
}

func TestStartTwiceAndCloseTwice(t *testing.T) {
	f := New()
	u1 := f.Start()
	if u2 := f.Start(); u1 != u2 || !strings.HasPrefix(u1, "http://127.0.0.1:") {
		t.Fatalf("%q %q", u1, u2)
	}
	f.Close()
	f.Close()
	// It can serve again after Close.
	u3 := f.Start()
	defer f.Close()
	f.SetLatency(time.Millisecond)
	if r := getJSON(t, u3+tablesPath, ""); r.status != 403 {
		t.Fatalf("restarted: %d", r.status)
	}
}

func TestCloseCutsLatencyShort(t *testing.T) {
	f := New()
	u := f.Start()
	f.SetLatency(time.Minute)
	done := make(chan int, 1)
	go func() {
		resp, err := http.Get(u + tablesPath)
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	for f.RequestCount("", tablesPath) == 0 {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	f.Close()
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Close took %v", d)
	}
	if st := <-done; st != 503 {
		t.Fatalf("request cut short by Close got %d, want 503", st)
	}
}

// TestConcurrentUse runs many clients at once; meant for -race.
func TestConcurrentUse(t *testing.T) {
	f, u, tok := adminFake(t)
	f.AddDataSource(DataSource{ID: 1})
	for i := range 20 {
		f.AddSourceTable(1, "s", fmt.Sprint("t", i), "TABLE")
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			for range 5 {
				postJSON(t, u+syncPath, tok, fmt.Sprintf(`{"datasource_id":1,"schema":"s","table":"t%d"}`, i))
				getJSON(t, u+tablesPath+"?ds_id=1", tok)
				f.SetTableTitle(int64(firstTableID+i), "x", "y")
				_ = f.Requests()
			}
		})
	}
	wg.Wait()
	if f.CatalogTableCount() != 20 {
		t.Fatalf("CatalogTableCount = %d", f.CatalogTableCount())
	}
	for i := range 20 {
		if n := f.SyncCount(1, "s", fmt.Sprint("t", i)); n != 5 {
			t.Fatalf("t%d synced %d times", i, n)
		}
	}
}

// FuzzServeHTTP checks that no request makes the fake panic or answer
// without a status.
func FuzzServeHTTP(fz *testing.F) {
	fz.Add("POST", syncPath, "application/json", `{"datasource_id":8,"schema":"ANALYTICS.PUBLIC","table":"ORDERS"}`, DemoAccessToken)
	fz.Add("POST", syncPath, "application/json", `{"datasource_id":1e400,"schema":[],"table":{}}`, DemoAccessToken)
	fz.Add("POST", syncPath, "multipart/form-data; boundary=x", "--x\r\nbad", DemoAccessToken)
	fz.Add("POST", syncPath, "application/json; charset", `{}`, DemoAccessToken)
	fz.Add("POST", syncPath, "application/x-www-form-urlencoded", "datasource_id=%zz", DemoAccessToken)
	fz.Add("GET", tablesPath, "", "", DemoAccessToken)
	fz.Add("GET", "/integration/v2/datasource/8/", "", "", DemoAccessToken)
	fz.Add("POST", oauthPath, "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret", "")
	fz.Add("POST", createTokenPath, "application/json", `{"refresh_token":"alationfake-demo-admin-refresh-token-0000000000000000000000000000000000000000000000000","user_id":1}`, "")
	fz.Add("DELETE", "/integration/v1/datasource/3/", "", "", DemoAccessToken)
	f := New()
	f.SeedDemo()
	fz.Fuzz(func(t *testing.T, method, path, ct, body, token string) {
		req := httptest.NewRequest(http.MethodGet, "/", strings.NewReader(body))
		req.Method = method
		req.URL.Path = path
		req.URL.RawQuery = body // also exercise the query parsers
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Token", token)
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, req)
		if rec.Code < 200 || rec.Code > 599 {
			t.Fatalf("status %d", rec.Code)
		}
		if strings.Contains(rec.Body.String(), "alationfake internal error") {
			t.Fatalf("handler panicked: %s", rec.Body)
		}
	})
}

// BenchmarkSync500 pushes 500 requests (syncs and reads) through a started
// fake, 10 at a time as Terraform would.
func BenchmarkSync500(b *testing.B) {
	f := New()
	tok := f.SeedDemo()
	for i := range 100 {
		f.AddSourceTable(8, "ANALYTICS.PUBLIC", fmt.Sprint("T", i), "TABLE")
	}
	u := f.Start()
	defer f.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 10}}
	do := func(req *http.Request) {
		req.Header.Set("TOKEN", tok)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	for b.Loop() {
		var wg sync.WaitGroup
		work := make(chan int)
		for range 10 {
			wg.Go(func() {
				for i := range work {
					if i%2 == 0 {
						req, _ := http.NewRequest(http.MethodPost, u+syncPath,
							strings.NewReader(fmt.Sprintf(`{"datasource_id":8,"schema":"ANALYTICS.PUBLIC","table":"T%d"}`, i%100)))
						req.Header.Set("Content-Type", "application/json")
						do(req)
					} else {
						req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s%s?ds_id=8&name=T%d", u, tablesPath, i%100), nil)
						do(req)
					}
				}
			})
		}
		for i := range 500 {
			work <- i
		}
		close(work)
		wg.Wait()
		f.ResetLog()
	}
}
