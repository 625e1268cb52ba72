package alation

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
)

// Errors no retry heals are told apart from those that may.
func TestCannotHeal(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "alation.exmaple.com", IsNotFound: true}}, "does not resolve"},
		{fmt.Errorf("wrapped: %w", &net.DNSError{Err: "server misbehaving", Name: "alation.example.com", IsTemporary: true}), ""},
		{errors.New("http: server gave HTTP response to HTTPS client"), "plain HTTP"},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, ""},
	} {
		if got := unreachableReason(tc.err); (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("unreachableReason(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// An https:// base_url for a plain-HTTP server: the credentials check makes
// one attempt, the failure is kept for the run, and later calls fail at once
// with one full report, then pointers.
func TestCheckCredentials_UnreachableForGood(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, strings.Replace(w.url, "http://", "https://", 1), w.static(), withRetries(4))
	err := c.CheckCredentials(t.Context())
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || reqErr.Attempts != 1 {
		t.Fatalf("check: %v, want one attempt", err)
	}
	if !IsBlockingFailure(err) {
		t.Fatalf("check error %v does not block the run", err)
	}
	var first, later *UnreachableError
	if !errors.As(c.BlockingFailure(), &first) || !first.FirstReport || !strings.Contains(first.Reason, "plain HTTP") {
		t.Fatalf("first: %+v", first)
	}
	_, err = c.SyncTable(t.Context(), orders)
	if !errors.As(err, &later) || later.FirstReport {
		t.Fatalf("later: %v", err)
	}
	if n := len(w.fake.Requests()); n != 0 {
		t.Fatalf("the emulator logged %d HTTP requests", n)
	}
}
