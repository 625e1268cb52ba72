package alation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

func TestCredentialsMode(t *testing.T) {
	const (
		at = "access-token"
		rt = "refresh-token"
		id = "client-id"
		cs = "client-secret"
	)
	cases := []struct {
		name  string
		creds Credentials
		mode  AuthMode
		errs  []string // substrings of the error
	}{
		{"none", Credentials{}, "", []string{"no credentials"}},
		{"access token", Credentials{AccessToken: at}, AuthAccessToken, nil},
		{"refresh token", Credentials{RefreshToken: rt, UserID: 42}, AuthRefreshToken, nil},
		{"client credentials", Credentials{ClientID: id, ClientSecret: cs}, AuthClientCredentials, nil},
		{"refresh token alone", Credentials{RefreshToken: rt}, "", []string{"refresh_token is set but user_id is not"}},
		{"refresh token, user 0", Credentials{RefreshToken: rt, UserID: 0}, "", []string{"user_id is not"}},
		{"refresh token, negative user", Credentials{RefreshToken: rt, UserID: -3}, "", []string{"user_id is not"}},
		{"user id alone", Credentials{UserID: 42}, "", []string{"user_id is set but refresh_token is not"}},
		{"client id alone", Credentials{ClientID: id}, "", []string{"client_id is set but client_secret is not"}},
		{"client secret alone", Credentials{ClientSecret: cs}, "", []string{"client_secret is set but client_id is not"}},
		{"access and refresh", Credentials{AccessToken: at, RefreshToken: rt, UserID: 42}, "", []string{"more than one", "api_access_token", "refresh_token"}},
		{"access and oauth", Credentials{AccessToken: at, ClientID: id, ClientSecret: cs}, "", []string{"more than one", "api_access_token", "client_credentials"}},
		{"refresh and oauth", Credentials{RefreshToken: rt, UserID: 42, ClientID: id, ClientSecret: cs}, "", []string{"more than one", "refresh_token", "client_credentials"}},
		{"all three", Credentials{AccessToken: at, RefreshToken: rt, UserID: 42, ClientID: id, ClientSecret: cs}, "", []string{"more than one", "api_access_token", "refresh_token", "client_credentials"}},
		{"complete and half", Credentials{AccessToken: at, ClientID: id}, "", []string{"client_id is set but client_secret is not"}},
		{"two halves", Credentials{RefreshToken: rt, ClientSecret: cs}, "", []string{"user_id is not", "client_secret is set but client_id is not"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mode, err := tc.creds.Mode()
			if mode != tc.mode {
				t.Fatalf("mode %q, want %q", mode, tc.mode)
			}
			if (err != nil) != (tc.errs != nil) {
				t.Fatalf("error %v", err)
			}
			for _, s := range tc.errs {
				if !strings.Contains(err.Error(), s) {
					t.Fatalf("error %q lacks %q", err, s)
				}
			}
			for _, secret := range []string{at, rt, cs} {
				if err != nil && strings.Contains(err.Error(), secret) {
					t.Fatalf("error %q shows a secret", err)
				}
			}
		})
	}
}

// authMode sets up one minting mode on the fake and returns its credentials.
type authMode struct {
	name  string
	creds func(w *world) Credentials
	path  string // the mint endpoint
}

var mintingModes = []authMode{
	{"refresh token", func(w *world) Credentials {
		return Credentials{RefreshToken: w.fake.IssueRefreshToken(adminID, 60*24*time.Hour), UserID: adminID}
	}, pathCreateToken},
	{"oauth", func(w *world) Credentials {
		w.fake.AddOAuthClient("svc-account", "a+b/c=d&e f%", adminID)
		return Credentials{ClientID: "svc-account", ClientSecret: "a+b/c=d&e f%"}
	}, pathOAuthToken},
}

func TestRefreshTokenMinting(t *testing.T) {
	w := newWorld(t)
	rt := w.fake.IssueRefreshToken(adminID, time.Hour)
	c := newClient(t, w.url, Credentials{RefreshToken: rt, UserID: adminID})
	ctx := t.Context()
	for range 3 {
		if _, err := c.SyncTable(ctx, orders); err != nil {
			t.Fatal(err)
		}
	}
	reqs := w.fake.Requests()
	if len(reqs) != 4 || w.fake.MintCount() != 1 {
		t.Fatalf("%d requests, %d mints", len(reqs), w.fake.MintCount())
	}
	mint := reqs[0]
	var body map[string]any
	if err := json.Unmarshal([]byte(mint.Body), &body); err != nil {
		t.Fatalf("mint body %q: %v", mint.Body, err)
	}
	if mint.Method != "POST" || mint.Path != pathCreateToken || mint.Token != "" || body["refresh_token"] != rt || body["user_id"] != float64(adminID) || mint.Status != 201 {
		t.Fatalf("mint request %+v, body %v", mint, body)
	}
	minted := reqs[1].Token
	if minted == "" || minted == rt {
		t.Fatalf("sync sent token %q", minted)
	}
	for _, r := range reqs[1:] {
		if r.Token != minted || r.Status != 201 {
			t.Fatalf("sync %+v", r)
		}
	}
}

func TestOAuthMinting(t *testing.T) {
	w := newWorld(t)
	secret := "a+b/c=d&e f%"
	w.fake.AddOAuthClient("svc-account", secret, adminID)
	c := newClient(t, w.url, Credentials{ClientID: "svc-account", ClientSecret: secret})
	if _, err := c.SyncTable(t.Context(), orders); err != nil {
		t.Fatal(err)
	}
	reqs := w.fake.Requests()
	if len(reqs) != 2 || w.fake.MintCount() != 1 {
		t.Fatalf("%d requests, %d mints", len(reqs), w.fake.MintCount())
	}
	form, err := url.ParseQuery(reqs[0].Body)
	if err != nil || reqs[0].Path != pathOAuthToken || reqs[0].Token != "" {
		t.Fatalf("mint request %+v: %v", reqs[0], err)
	}
	if form.Get("grant_type") != "client_credentials" || form.Get("client_id") != "svc-account" || form.Get("client_secret") != secret || len(form) != 3 {
		t.Fatalf("form %v", form)
	}
	if reqs[1].Token == "" || reqs[1].Status != 201 {
		t.Fatalf("sync %+v", reqs[1])
	}
}

// Both SDKs treat a 2xx answer with "status": "failed" as a failure: it is
// a refusal, remembered for the run like a 401. An answer without a token
// is unreadable, and the next call asks again.
func TestMinting_FailedAnswers(t *testing.T) {
	cases := []struct {
		mode    authMode
		body    string
		refusal bool
		want    []string
	}{
		{mintingModes[0], `{"status": "failed", "message": "Refresh token has expired."}`, true, []string{`HTTP 200 OK with "status": "failed"`, "Refresh token has expired."}},
		{mintingModes[0], `{"status": "FAILED"}`, true, []string{`with "status": "failed"`}},
		{mintingModes[0], `{"api_access_token": "abcdefgh", "status": "failed"}`, true, []string{`with "status": "failed"`}},
		{mintingModes[1], `{"status": "failed"}`, true, []string{`with "status": "failed"`}},
		{mintingModes[0], `{"token_status": "ACTIVE"}`, false, []string{"no access token was minted", "no api_access_token"}},
		{mintingModes[1], `{"token_type": "Bearer"}`, false, []string{"no access token was minted", "no access_token"}},
	}
	for _, tc := range cases {
		t.Run(tc.mode.name+" "+tc.body, func(t *testing.T) {
			w := newWorld(t)
			c := newClient(t, w.url, tc.mode.creds(w))
			w.fake.QueueFaults(tc.mode.path, alationfake.Fault{Status: 200, Body: tc.body})
			_, err := c.SyncTable(t.Context(), orders)
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Fatalf("error %q lacks %q", err, s)
				}
			}
			if n := w.fake.RequestCount("", pathSyncTable); n != 0 {
				t.Fatalf("synced %d times without a token", n)
			}
			_, again := c.SyncTable(t.Context(), orders)
			if !tc.refusal {
				if re := asResponseError(t, err); re.Path != tc.mode.path || again != nil {
					t.Fatalf("ResponseError %+v; next call: %v", re, again)
				}
				return
			}
			ae := asAPIError(t, err)
			if !ae.Minting || !ae.StatusFailed || !ae.RefusesCredentials() || !IsBlockingFailure(err) || ae.Path != tc.mode.path {
				t.Fatalf("APIError %+v", ae)
			}
			var earlier *RefusedEarlierError
			if !errors.As(again, &earlier) || earlier.First != ae || w.fake.RequestCount("", tc.mode.path) != 1 {
				t.Fatalf("next call: %v, after %d mints", again, w.fake.RequestCount("", tc.mode.path))
			}
		})
	}
}

func TestMinting_RefusedRefreshToken(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, Credentials{RefreshToken: "not-a-refresh-token", UserID: adminID})
	_, err := c.SyncTable(t.Context(), orders)
	ae := asAPIError(t, err)
	if ae.StatusCode != 401 || ae.Detail != "Refresh token provided is invalid." || ae.Path != pathCreateToken || ae.Attempts != 1 {
		t.Fatalf("APIError %+v", ae)
	}
	if !strings.HasPrefix(err.Error(), "minting an access token from the refresh token: ") {
		t.Fatalf("error %q", err)
	}
	if n := w.fake.RequestCount("", pathCreateToken); n != 1 {
		t.Fatalf("%d mint requests: a refused refresh token must not be retried", n)
	}
	if w.fake.RequestCount("", pathSyncTable) != 0 || w.fake.MintCount() != 0 {
		t.Fatal("synced without a token")
	}
	// A refused mint is remembered: the next call fails at once, pointing
	// to the first refusal, without asking Alation again.
	_, err = c.SyncTable(t.Context(), orders)
	var earlier *RefusedEarlierError
	if !errors.As(err, &earlier) || earlier.First != ae || w.fake.RequestCount("", pathCreateToken) != 1 {
		t.Fatalf("second call: %v", err)
	}
}

// A mint that failed for another reason than a refusal caches nothing: the
// next call asks again.
func TestMinting_FailedMintNotCached(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, mintingModes[0].creds(w), withRetries(-1))
	w.fake.QueueFaults(pathCreateToken, alationfake.Fault{Status: http.StatusBadGateway})
	if _, err := c.SyncTable(t.Context(), orders); StatusCode(err) != http.StatusBadGateway {
		t.Fatalf("first call: %v", err)
	}
	if _, err := c.SyncTable(t.Context(), orders); err != nil || w.fake.RequestCount("", pathCreateToken) != 2 {
		t.Fatalf("second call: %v", err)
	}
}

// syncConcurrently runs n syncs at once and fails the test on any error.
func syncConcurrently(t *testing.T, c *Client, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-start
			if _, err := c.SyncTable(t.Context(), orders); err != nil {
				errs <- err
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestMinting_SingleFlight(t *testing.T) {
	for _, m := range mintingModes {
		t.Run(m.name, func(t *testing.T) {
			w := newWorld(t)
			c := newClient(t, w.url, m.creds(w))
			syncConcurrently(t, c, 50)
			if n := w.fake.MintCount(); n != 1 {
				t.Fatalf("%d mints for 50 concurrent calls on a fresh client, want 1", n)
			}
			if n := w.fake.RequestCount("", m.path); n != 1 {
				t.Fatalf("%d mint requests, want 1", n)
			}
		})
	}
}

// Expired tokens, answered 401 or 403: exactly one new mint for any number
// of concurrent callers, and every call succeeds.
func TestMinting_RenewsExpiredTokenOnce(t *testing.T) {
	for _, m := range mintingModes {
		for _, status := range []int{401, 403} {
			t.Run(m.name+" "+statusName(status), func(t *testing.T) {
				w := newWorld(t)
				w.fake.SetExpiredTokenStatus(status)
				log := &capLogger{}
				c := newClient(t, w.url, m.creds(w), withLogger(log))
				if _, err := c.SyncTable(t.Context(), orders); err != nil {
					t.Fatal(err)
				}
				w.fake.ExpireAccessTokens()
				syncConcurrently(t, c, 50)
				if n := w.fake.MintCount(); n != 2 {
					t.Fatalf("%d mints, want 2", n)
				}
				refused := 0
				for _, r := range w.fake.Requests() {
					if r.Status == status {
						refused++
					}
				}
				if refused == 0 {
					t.Fatal("the fake refused nothing: the test did not exercise renewal")
				}
				if n := len(log.find("DEBUG", "Alation refused the access token; minting a new one and retrying once")); n != refused {
					t.Fatalf("%d renewal logs for %d refusals", n, refused)
				}
			})
		}
	}
}

func statusName(status int) string { return fmt.Sprint(status) }

// A minted token that is refused again after renewal is a real refusal:
// one renewal, then the error.
func TestMinting_RefusedAfterRenewal(t *testing.T) {
	w := newWorld(t)
	rt := w.fake.IssueRefreshToken(nonAdminID, time.Hour)
	c := newClient(t, w.url, Credentials{RefreshToken: rt, UserID: nonAdminID})
	_, err := c.SyncTable(t.Context(), orders)
	ae := asAPIError(t, err)
	if ae.StatusCode != 403 || !strings.Contains(ae.Detail, "not an admin") {
		t.Fatalf("APIError %+v", ae)
	}
	if w.fake.MintCount() != 2 || w.fake.RequestCount("", pathSyncTable) != 2 {
		t.Fatalf("%d mints, %d syncs; want 2 and 2", w.fake.MintCount(), w.fake.RequestCount("", pathSyncTable))
	}
}

func TestStaticToken_RefusedIsFinal(t *testing.T) {
	for _, status := range []int{401, 403} {
		t.Run(statusName(status), func(t *testing.T) {
			w := newWorld(t)
			w.fake.SetExpiredTokenStatus(status)
			w.fake.ExpireAccessTokens()
			c := newClient(t, w.url, w.static(), withRetries(5))
			_, err := c.SyncTable(t.Context(), orders)
			ae := asAPIError(t, err)
			if ae.StatusCode != status || ae.Detail != "The API access token has expired." || ae.Attempts != 1 {
				t.Fatalf("APIError %+v", ae)
			}
			if n := w.fake.RequestCount("", pathSyncTable); n != 1 {
				t.Fatalf("%d requests, want 1", n)
			}
			if w.fake.MintCount() != 0 || w.fake.RequestCount("", pathCreateToken)+w.fake.RequestCount("", pathOAuthToken) != 0 {
				t.Fatal("a static token made the client mint")
			}
		})
	}
}

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// A minted token is renewed once 90% of its lifetime has passed on the
// client's clock, before Alation has any reason to refuse it.
func TestMinting_ProactiveRenewal(t *testing.T) {
	for _, m := range mintingModes {
		t.Run(m.name, func(t *testing.T) {
			w := newWorld(t)
			w.fake.SetMintedTokenTTL(10 * time.Minute)
			clock := &testClock{t: time.Now()}
			c := newClient(t, w.url, m.creds(w), withClock(clock.Now))
			ctx := t.Context()
			if _, err := c.SyncTable(ctx, orders); err != nil {
				t.Fatal(err)
			}
			clock.Advance(8 * time.Minute)
			if _, err := c.SyncTable(ctx, orders); err != nil {
				t.Fatal(err)
			}
			if n := w.fake.MintCount(); n != 1 {
				t.Fatalf("%d mints at 80%% of the lifetime, want 1", n)
			}
			clock.Advance(70 * time.Second) // 91.7%
			if _, err := c.SyncTable(ctx, orders); err != nil {
				t.Fatal(err)
			}
			if n := w.fake.MintCount(); n != 2 {
				t.Fatalf("%d mints past 90%% of the lifetime, want 2", n)
			}
			var syncTokens []string
			for _, r := range w.fake.Requests() {
				if r.Status == 401 || r.Status == 403 {
					t.Fatalf("the fake refused a request: %+v", r)
				}
				if r.Path == pathSyncTable {
					syncTokens = append(syncTokens, r.Token)
				}
			}
			if len(syncTokens) != 3 || syncTokens[0] != syncTokens[1] || syncTokens[2] == syncTokens[1] {
				t.Fatalf("sync tokens %q", syncTokens)
			}
		})
	}
}

// Without a known expiry, the token is kept until Alation refuses it.
func TestMinting_UnknownExpiry(t *testing.T) {
	w := newWorld(t)
	clock := &testClock{t: time.Now()}
	c := newClient(t, w.url, Credentials{RefreshToken: "abcd-refresh", UserID: adminID}, withClock(clock.Now))
	w.fake.QueueFaults(pathCreateToken, alationfake.Fault{Status: 201, Body: `{"api_access_token": "` + w.token + `", "token_expires_at": "soon"}`})
	for range 2 {
		if _, err := c.SyncTable(t.Context(), orders); err != nil {
			t.Fatal(err)
		}
		clock.Advance(1000 * time.Hour)
	}
	if n := w.fake.RequestCount("", pathCreateToken); n != 1 {
		t.Fatalf("%d mint requests, want 1", n)
	}
}

// A caller that waits for another's mint still honours its own deadline,
// and says so as a timed-out *RequestError.
func TestMinting_DeadlineWhileWaitingForMint(t *testing.T) {
	w := newWorld(t)
	rt := w.fake.IssueRefreshToken(adminID, time.Hour)
	c := newClient(t, w.url, Credentials{RefreshToken: rt, UserID: adminID})
	minting := make(chan struct{})
	release := make(chan struct{})
	w.fake.SetBeforeHandle(func(r *http.Request) {
		if r.URL.Path == pathCreateToken {
			close(minting)
			<-release
		}
	})
	first := make(chan error, 1)
	go func() {
		_, err := c.SyncTable(t.Context(), orders)
		first <- err
	}()
	<-minting
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.SyncTable(ctx, orders)
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("the minting caller failed: %v", err)
	}
	var re *RequestError
	if !errors.As(err, &re) || !re.TimedOut() || !strings.Contains(err.Error(), "the operation's timeout expired") {
		t.Fatalf("want a timed-out *RequestError, got %T: %v", err, err)
	}
	if w.fake.MintCount() != 1 {
		t.Fatalf("%d mints", w.fake.MintCount())
	}
}

func TestParseExpiry(t *testing.T) {
	utc := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2026-11-25T20:00:00.000000Z", utc},
		{"2026-11-25T20:00:00Z", utc},
		{"2026-11-25T21:00:00+01:00", utc},
		{"2026-11-25T20:00:00.123456Z", utc.Add(123456 * time.Microsecond)},
		{"2026-11-25T20:00:00.123456", utc.Add(123456 * time.Microsecond)},
		{"2026-11-25T20:00:00", utc},
		{"2026-11-25 20:00:00.5+00:00", utc.Add(500 * time.Millisecond)},
		{"2026-11-25 20:00:00", utc},
		{"", time.Time{}},
		{"soon", time.Time{}},
		{"2026-11-25", time.Time{}},
		{"1764100800", time.Time{}},
	}
	for _, c := range cases {
		if got := parseExpiry(c.in); !got.Equal(c.want) {
			t.Errorf("parseExpiry(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}
