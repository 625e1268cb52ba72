package alation

import (
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// The check is one request for a static token, and the mint itself for the
// minting modes, whose token the next call then uses.
func TestCheckCredentials_accepted(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static())
	if err := c.CheckCredentials(t.Context()); err != nil {
		t.Fatal(err)
	}
	reqs := w.fake.Requests()
	if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Path != pathSchemas || reqs[0].RawQuery != "limit=1" || reqs[0].Token != w.token {
		t.Fatalf("requests %+v, want one GET %s?limit=1 with the token", reqs, pathSchemas)
	}
	for _, m := range mintingModes {
		t.Run(m.name, func(t *testing.T) {
			w := newWorld(t)
			c := newClient(t, w.url, m.creds(w))
			if err := c.CheckCredentials(t.Context()); err != nil {
				t.Fatal(err)
			}
			if _, err := c.SyncTable(t.Context(), orders); err != nil {
				t.Fatal(err)
			}
			if n := len(w.fake.Requests()); n != 2 || w.fake.MintCount() != 1 {
				t.Fatalf("%d requests and %d mints, want the mint and the sync", n, w.fake.MintCount())
			}
		})
	}
}

// A refusal is an *APIError that says which mode was refused, and whether
// it was the mint; after it, no call is sent.
func TestCheckCredentials_refused(t *testing.T) {
	for _, tc := range []struct {
		name    string
		creds   Credentials
		status  int
		minting bool
	}{
		{"api_access_token", Credentials{AccessToken: "not-a-token"}, http.StatusForbidden, false},
		{"refresh_token", Credentials{RefreshToken: "not-a-refresh-token", UserID: adminID}, http.StatusUnauthorized, true},
		{"client_credentials", Credentials{ClientID: "svc", ClientSecret: "wrong-secret"}, http.StatusUnauthorized, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.fake.AddOAuthClient("svc", "right-secret", adminID)
			c := newClient(t, w.url, tc.creds)
			ae := asAPIError(t, c.CheckCredentials(t.Context()))
			if ae.StatusCode != tc.status || string(ae.AuthMode) != tc.name || ae.Minting != tc.minting {
				t.Fatalf("APIError %+v", ae)
			}
			w.fake.ResetLog()
			_, err := c.SyncTable(t.Context(), orders)
			var earlier *RefusedEarlierError
			if !errors.As(err, &earlier) || earlier.First != ae {
				t.Fatalf("after the refusal: %v, want a *RefusedEarlierError pointing to it", err)
			}
			if n := len(w.fake.Requests()); n != 0 {
				t.Fatalf("%d requests after the refusal, want none", n)
			}
		})
	}
}

// A static token refused mid-run (it expired): the first refusal is the full
// error; the calls that follow fail at once, and so do the calls that were
// already in flight, with the short error.
func TestStaticToken_refusalRemembered(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static())
	if _, err := c.SyncTable(t.Context(), orders); err != nil {
		t.Fatal(err)
	}
	w.fake.ExpireAccessTokens()
	const n = 20
	var full, short int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, err := c.SyncTable(t.Context(), orders)
			var earlier *RefusedEarlierError
			var ae *APIError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.As(err, &earlier):
				short++
			case errors.As(err, &ae) && ae.StatusCode == http.StatusForbidden && ae.AuthMode == AuthAccessToken:
				full++
			default:
				t.Errorf("unexpected error %v", err)
			}
		})
	}
	wg.Wait()
	if full != 1 || short != n-1 {
		t.Fatalf("%d full and %d short errors, want 1 and %d", full, short, n-1)
	}
	sent := w.fake.RequestCount("POST", pathSyncTable)
	if _, err := c.SyncTable(t.Context(), orders); err == nil || w.fake.RequestCount("POST", pathSyncTable) != sent {
		t.Fatalf("a call after the refusal was sent: %v", err)
	}
}

// A 403 that is about permissions, not the token, is not remembered: the
// next call is sent as usual.
func TestStaticToken_permissionRefusalNotRemembered(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, Credentials{AccessToken: w.fake.IssueAccessToken(nonAdminID, 0x7fffffff)})
	for range 2 {
		_, err := c.SyncTable(t.Context(), orders)
		if ae := asAPIError(t, err); ae.StatusCode != http.StatusForbidden || ae.RefusesCredentials() {
			t.Fatalf("APIError %+v", ae)
		}
	}
	if n := w.fake.RequestCount("POST", pathSyncTable); n != 2 {
		t.Fatalf("%d syncs sent, want 2", n)
	}
}

// Alation's answers that refuse the credentials, and those that refuse the
// request.
func TestAPIError_RefusesCredentials(t *testing.T) {
	for _, tc := range []struct {
		e    APIError
		want bool
	}{
		{APIError{StatusCode: 401, Detail: "Token has expired."}, true},
		{APIError{StatusCode: 403, Detail: "Invalid token."}, true},
		{APIError{StatusCode: 403, Detail: "Authentication credentials were not provided."}, true},
		{APIError{StatusCode: 403, Detail: "Only an admin can trigger a table metadata sync; this user is not an admin."}, false},
		{APIError{StatusCode: 403, Detail: "You do not have permission to perform this action."}, false},
		{APIError{StatusCode: 403, Minting: true, Detail: "Forbidden."}, true},
		{APIError{StatusCode: 404, Detail: "Token endpoint not found."}, false},
		{APIError{StatusCode: 404, Minting: true, Detail: "Not found."}, false},
		{APIError{StatusCode: 400, Minting: true, Detail: "Refresh token provided is invalid."}, true},
		{APIError{StatusCode: 400, Detail: "Refresh token provided is invalid."}, false}, // a sync's 400 is about the request
		{APIError{StatusCode: 200, Minting: true, StatusFailed: true, Detail: "Refresh token has expired."}, true},
		{APIError{StatusCode: 403, ContentType: "text/html", Excerpt: "403 Forbidden"}, false}, // until a read confirms it
		{APIError{StatusCode: 403, ContentType: "text/html", Excerpt: "403 Forbidden", TokenRefused: true}, true},
		{APIError{StatusCode: 500, Minting: true}, false},
	} {
		if got := tc.e.RefusesCredentials(); got != tc.want {
			t.Errorf("%d %q (minting %v): %v, want %v", tc.e.StatusCode, tc.e.Detail, tc.e.Minting, got, tc.want)
		}
	}
}

// A check that cannot tell (an outage) is not a refusal and is not
// remembered: the next call is sent.
func TestCheckCredentials_outageIsNotARefusal(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static(), withRetries(-1))
	w.fake.QueueFaults(pathSchemas, alationfake.Fault{Status: http.StatusServiceUnavailable})
	if ae := asAPIError(t, c.CheckCredentials(t.Context())); ae.StatusCode != http.StatusServiceUnavailable || ae.RefusesCredentials() {
		t.Fatalf("APIError %+v", ae)
	}
	if _, err := c.SyncTable(t.Context(), orders); err != nil {
		t.Fatalf("after an outage: %v", err)
	}
}

// Calls queued behind max_concurrent_requests when Alation refuses the
// token are not sent: only the refused one reached Alation.
func TestStaticToken_queuedCallsNotSent(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static(), withCap(1))
	w.fake.ExpireAccessTokens()
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { _, _ = c.SyncTable(t.Context(), orders) })
	}
	wg.Wait()
	if n := w.fake.RequestCount("POST", pathSyncTable); n != 1 {
		t.Fatalf("%d syncs reached Alation, want only the refused one", n)
	}
}
