package alation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

const retryMsg = "Retrying Alation request"

func faults(n int, f alationfake.Fault) []alationfake.Fault {
	out := make([]alationfake.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// 429, 502, 503 and 504 are retried MaxRetries times; then Alation's last
// answer is the error. (A sync's 500 is retried once: see below.)
func TestRetry_RetryableStatusesRunOut(t *testing.T) {
	const maxRetries = 2
	for _, status := range []int{429, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			w := newWorld(t)
			log := &capLogger{}
			c := newClient(t, w.url, w.static(), withRetries(maxRetries), withLogger(log))
			w.fake.QueueFaults(pathSyncTable, faults(maxRetries+1, alationfake.Fault{Status: status})...)
			_, err := c.SyncTable(t.Context(), orders)
			ae := asAPIError(t, err)
			if ae.StatusCode != status || ae.Attempts != maxRetries+1 {
				t.Fatalf("APIError %+v", ae)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("after %d attempts", maxRetries+1)) {
				t.Fatalf("error %q does not count attempts", err)
			}
			if n := w.fake.RequestCount("POST", pathSyncTable); n != maxRetries+1 {
				t.Fatalf("%d requests, want %d", n, maxRetries+1)
			}
			warns := log.find("WARN", retryMsg)
			if len(warns) != maxRetries {
				t.Fatalf("%d retry warnings, want %d", len(warns), maxRetries)
			}
			for i, e := range warns {
				if e.Fields["status"] != status || e.Fields["attempt"] != i+1 || e.Fields["path"] != pathSyncTable || e.Fields["max_retries"] != maxRetries {
					t.Fatalf("warning %d: %v", i, e.Fields)
				}
			}
		})
	}
}

// A sync answered 500 (Alation could not reach the database) is retried
// once whatever MaxRetries: each try is another database connection.
func TestRetry_SyncServerErrorRetriedOnce(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static(), withRetries(4))
	_, err := c.SyncTable(t.Context(), SyncTableInput{DatasourceID: 11, Schema: "HR", Table: "EMPLOYEES"})
	if ae := asAPIError(t, err); ae.StatusCode != 500 || ae.Attempts != 2 {
		t.Fatalf("APIError %+v", ae)
	}
	if n := w.fake.RequestCount("POST", pathSyncTable); n != 2 {
		t.Fatalf("%d syncs sent, want 2", n)
	}
	// A 500 followed by a success is still a success.
	w.fake.ResetLog()
	w.fake.QueueFaults(pathSyncTable, alationfake.Fault{Status: 500})
	if _, err := c.SyncTable(t.Context(), orders); err != nil {
		t.Fatal(err)
	}
}

// A read answered 500 keeps the usual policy: MaxRetries retries.
func TestRetry_ReadServerErrorRetriedAsUsual(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static(), withRetries(3))
	w.fake.QueueFaults(pathTables, faults(4, alationfake.Fault{Status: 500})...)
	if _, err := c.GetTable(t.Context(), 1); asAPIError(t, err).Attempts != 4 {
		t.Fatalf("error %v", err)
	}
	if n := w.fake.RequestCount("GET", pathTables); n != 4 {
		t.Fatalf("%d reads sent, want 4", n)
	}
}

func TestRetry_RecoversBeforeRunningOut(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static(), withRetries(3))
	w.fake.QueueFaults(pathSyncTable,
		alationfake.Fault{Status: 503},
		alationfake.Fault{Status: 429, RetryAfter: "0"},
		alationfake.Fault{CloseConnection: true})
	got, err := c.SyncTable(t.Context(), orders)
	if err != nil || got.Name != "ORDERS" {
		t.Fatalf("got %+v, %v", got, err)
	}
	if n := w.fake.RequestCount("POST", pathSyncTable); n != 4 {
		t.Fatalf("%d requests, want 4", n)
	}
	if n := w.fake.SyncCount(testDS, testSchema, "ORDERS"); n != 1 {
		t.Fatalf("SyncCount %d", n)
	}
}

func TestRetry_DroppedConnections(t *testing.T) {
	w := newWorld(t)
	log := &capLogger{}
	c := newClient(t, w.url, w.static(), withRetries(2), withLogger(log))
	w.fake.QueueFaults(pathSyncTable, faults(3, alationfake.Fault{CloseConnection: true})...)
	_, err := c.SyncTable(t.Context(), orders)
	re := asRequestError(t, err)
	if re.Attempts != 3 || re.LastStatus != 0 || re.TimedOut() || re.Method != "POST" || re.Path != pathSyncTable {
		t.Fatalf("RequestError %+v", re)
	}
	if !strings.Contains(err.Error(), "(after 3 attempts)") {
		t.Fatalf("error %q", err)
	}
	if n := w.fake.RequestCount("POST", pathSyncTable); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}
	for _, e := range log.find("WARN", retryMsg) {
		if e.Fields["status"] != "network error" {
			t.Fatalf("warning %v", e.Fields)
		}
	}
}

// Statuses that another try cannot fix are never retried, whatever
// MaxRetries says. 401 and 403 with a static token included.
func TestRetry_PermanentStatusesNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 405, 409, 422, 501, 505} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			w := newWorld(t)
			c := newClient(t, w.url, w.static(), withRetries(5))
			w.fake.QueueFaults(pathSyncTable, alationfake.Fault{Status: status})
			_, err := c.SyncTable(t.Context(), orders)
			ae := asAPIError(t, err)
			if ae.StatusCode != status || ae.Attempts != 1 {
				t.Fatalf("APIError %+v", ae)
			}
			if n := w.fake.RequestCount("", pathSyncTable); n != 1 {
				t.Fatalf("%d requests, want 1", n)
			}
			if strings.Contains(err.Error(), "attempts") {
				t.Fatalf("a single attempt is counted in %q", err)
			}
		})
	}
}

func TestRetry_MaxRetries(t *testing.T) {
	cases := []struct {
		maxRetries, wantAttempts int
	}{
		{-1, 1},
		{-100, 1},
		{0, DefaultMaxRetries + 1},
		{1, 2},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.maxRetries), func(t *testing.T) {
			w := newWorld(t)
			c := newClient(t, w.url, w.static(), withRetries(tc.maxRetries))
			w.fake.QueueFaults(pathSyncTable, faults(10, alationfake.Fault{Status: 503})...)
			_, err := c.SyncTable(t.Context(), orders)
			ae := asAPIError(t, err)
			if ae.Attempts != tc.wantAttempts {
				t.Fatalf("Attempts %d, want %d", ae.Attempts, tc.wantAttempts)
			}
			if n := w.fake.RequestCount("POST", pathSyncTable); n != tc.wantAttempts {
				t.Fatalf("%d requests, want %d", n, tc.wantAttempts)
			}
		})
	}
}

// Retry-After is honoured in both of its forms. The wait the client chose is
// read from its WARN log, never measured.
func TestRetry_RetryAfter(t *testing.T) {
	cases := []struct {
		name       string
		status     int
		retryAfter func() string
		check      func(wait time.Duration) bool
	}{
		{"zero seconds", 429, func() string { return "0" }, func(d time.Duration) bool { return d == 0 }},
		{"seconds", 503, func() string { return "1" }, func(d time.Duration) bool { return d == time.Second }},
		{"HTTP date", 429, func() string { return time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat) }, func(d time.Duration) bool { return d > time.Second && d <= 3*time.Second }},
		{"HTTP date in the past", 503, func() string { return time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat) }, func(d time.Duration) bool { return d == 0 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			log := &capLogger{}
			// Waits far from anything Retry-After asks, so that ignoring it
			// shows.
			c := newClient(t, w.url, w.static(), withLogger(log), func(cfg *Config) {
				cfg.RetryWaitMin, cfg.RetryWaitMax = 7*time.Millisecond, 7*time.Millisecond
			})
			ra := tc.retryAfter()
			w.fake.QueueFaults(pathSyncTable, alationfake.Fault{Status: tc.status, RetryAfter: ra})
			if _, err := c.SyncTable(t.Context(), orders); err != nil {
				t.Fatal(err)
			}
			warns := log.find("WARN", retryMsg)
			if len(warns) != 1 {
				t.Fatalf("%d retry warnings", len(warns))
			}
			f := warns[0].Fields
			wait, err := time.ParseDuration(fmt.Sprint(f["wait"]))
			if err != nil || f["retry_after"] != ra || f["status"] != tc.status || !tc.check(wait) {
				t.Fatalf("Retry-After %q: logged %v", ra, f)
			}
		})
	}
}

// Without Retry-After the waits grow, stay within RetryWaitMax, and are
// jittered.
func TestJitteredBackoff(t *testing.T) {
	minW, maxW := 10*time.Millisecond, 300*time.Millisecond
	for attempt := range 70 {
		ceiling := maxW
		if attempt < 5 {
			ceiling = minW << attempt
		}
		for range 50 {
			d := jitteredBackoff(minW, maxW, attempt)
			if d < ceiling/2 || d > ceiling {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, d, ceiling/2, ceiling)
			}
		}
	}
	// Extreme settings neither overflow nor go negative.
	for _, m := range []time.Duration{1, time.Hour, 1 << 40} {
		for _, attempt := range []int{0, 29, 30, 63, 64, 1000} {
			if d := jitteredBackoff(m, 1<<62, attempt); d < 0 || d > 1<<62 {
				t.Fatalf("min %v attempt %d: %v", m, attempt, d)
			}
		}
	}
}

// A deadline ends retrying with a *RequestError that says so, with the
// count of attempts and the last status seen.
func TestRetry_DeadlineDuringRetries(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static(), withRetries(1000), func(cfg *Config) {
		cfg.RetryWaitMin, cfg.RetryWaitMax = 10*time.Millisecond, 20*time.Millisecond
	})
	w.fake.SetRandomFaults(1, []int{503}, 1)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	_, err := c.SyncTable(ctx, orders)
	re := asRequestError(t, err)
	if !re.TimedOut() || !errors.Is(err, context.DeadlineExceeded) || re.LastStatus != 503 {
		t.Fatalf("RequestError %+v", re)
	}
	sent := w.fake.RequestCount("POST", pathSyncTable)
	if re.Attempts < 2 || (re.Attempts != sent && re.Attempts != sent+1) {
		t.Fatalf("Attempts %d, the fake saw %d", re.Attempts, sent)
	}
	msg := err.Error()
	for _, part := range []string{"the operation's timeout expired", fmt.Sprintf("after %d attempts", re.Attempts), "last answer HTTP 503"} {
		if !strings.Contains(msg, part) {
			t.Fatalf("%q lacks %q", msg, part)
		}
	}
}

func TestRetry_DeadlineDuringRequest(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static())
	w.fake.QueueFaults(pathSyncTable, alationfake.Fault{Delay: time.Minute})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := c.SyncTable(ctx, orders)
	re := asRequestError(t, err)
	if !re.TimedOut() || re.Attempts != 1 || re.LastStatus != 0 {
		t.Fatalf("RequestError %+v", re)
	}
	if msg := err.Error(); !strings.Contains(msg, "the operation's timeout expired (after 1 attempt)") {
		t.Fatalf("error %q", msg)
	}
}

func TestRetry_Cancelled(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static(), withRetries(1000))
	w.fake.SetRandomFaults(1, []int{502}, 1)
	ctx, cancel := context.WithCancel(t.Context())
	w.fake.SetBeforeHandle(func(*http.Request) {
		if w.fake.RequestCount("", pathSyncTable) >= 3 {
			cancel()
		}
	})
	_, err := c.SyncTable(ctx, orders)
	re := asRequestError(t, err)
	if re.TimedOut() || !errors.Is(err, context.Canceled) {
		t.Fatalf("RequestError %+v", re)
	}
}
