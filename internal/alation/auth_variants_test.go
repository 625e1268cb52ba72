package alation

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// Whichever header the instance reads an OAuth token from, the client's
// calls work: it sends the token in both. Other modes send only TOKEN.
func TestOAuth_everyTokenHeader(t *testing.T) {
	for _, h := range []alationfake.OAuthTokenHeader{alationfake.OAuthHeaderEither, alationfake.OAuthHeaderBearer, alationfake.OAuthHeaderToken} {
		t.Run(string(h), func(t *testing.T) {
			w := newWorld(t)
			if err := w.fake.SetOAuthTokenHeader(h); err != nil {
				t.Fatal(err)
			}
			c := newClient(t, w.url, oauthCreds(w))
			if _, err := c.SyncTable(t.Context(), orders); err != nil {
				t.Fatal(err)
			}
			if _, err := c.FindTable(t.Context(), orders.DatasourceID, orders.Schema, orders.Table); err != nil {
				t.Fatal(err)
			}
			for _, r := range w.fake.Requests() {
				if r.Path == pathOAuthToken {
					if r.Token != "" || r.Authorization != "" {
						t.Fatalf("the mint carried a token: %+v", r)
					}
					continue
				}
				if r.Token == "" || r.Authorization != "Bearer "+r.Token || r.Status/100 != 2 {
					t.Fatalf("request %s %s: TOKEN %q, Authorization %q, status %d", r.Method, r.Path, r.Token, r.Authorization, r.Status)
				}
			}
		})
	}
	t.Run("refresh token sends no Authorization", func(t *testing.T) {
		w := newWorld(t)
		c := newClient(t, w.url, mintingModes[0].creds(w))
		if _, err := c.SyncTable(t.Context(), orders); err != nil {
			t.Fatal(err)
		}
		for _, r := range w.fake.Requests() {
			if r.Authorization != "" {
				t.Fatalf("request %s carried Authorization", r.Path)
			}
		}
	})
}

// The token path is served with or without its trailing slash: the client
// tries the documented one, falls back once on a 404, and keeps the one
// that answered for later mints.
func TestOAuth_tokenPathSpellings(t *testing.T) {
	for _, tc := range []struct {
		mode                  alationfake.OAuthTokenPaths
		slashPosts, noSlashes int // over two mints
	}{
		{alationfake.OAuthPathBoth, 2, 0},
		{alationfake.OAuthPathSlash, 2, 0},
		{alationfake.OAuthPathNoSlash, 1, 2},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			w := newWorld(t)
			if err := w.fake.SetOAuthTokenPaths(tc.mode); err != nil {
				t.Fatal(err)
			}
			c := newClient(t, w.url, oauthCreds(w))
			if _, err := c.SyncTable(t.Context(), orders); err != nil {
				t.Fatal(err)
			}
			w.fake.ExpireAccessTokens() // the second mint
			if _, err := c.SyncTable(t.Context(), orders); err != nil {
				t.Fatal(err)
			}
			slash, noSlash := w.fake.RequestCount("POST", pathOAuthToken), w.fake.RequestCount("POST", pathOAuthTokenNoSlash)
			if slash != tc.slashPosts || noSlash != tc.noSlashes || w.fake.MintCount() != 2 {
				t.Fatalf("%d posts to %s, %d to %s, %d mints; want %d, %d, 2", slash, pathOAuthToken, noSlash, pathOAuthTokenNoSlash,
					w.fake.MintCount(), tc.slashPosts, tc.noSlashes)
			}
		})
	}
	// No token endpoint at all: two attempts, then the 404.
	w := newWorld(t)
	c := newClient(t, w.url, oauthCreds(w))
	w.fake.QueueFaults(pathOAuthToken, alationfake.Fault{Status: 404})
	w.fake.QueueFaults(pathOAuthTokenNoSlash, alationfake.Fault{Status: 404})
	_, err := c.SyncTable(t.Context(), orders)
	if ae := asAPIError(t, err); ae.StatusCode != 404 || !ae.Minting || IsBlockingFailure(err) {
		t.Fatalf("APIError %+v", ae)
	}
	if n := w.fake.RequestCount("", pathOAuthToken) + w.fake.RequestCount("", pathOAuthTokenNoSlash); n != 2 {
		t.Fatalf("%d mint requests, want 2", n)
	}
}

// A refused refresh token, however Alation says it (401, 400, or 2xx with
// "status": "failed"), is minted for exactly once by any number of
// parallel callers: one full error, the others point to it.
func TestMinting_refusalOnceForParallelCallers(t *testing.T) {
	for _, mode := range []alationfake.RefreshTokenRefusal{alationfake.RefusalStatus401, alationfake.RefusalStatus400, alationfake.RefusalStatusFailed} {
		for _, html := range []bool{false, true} {
			name := string(mode)
			if html {
				if mode == alationfake.RefusalStatusFailed {
					continue // a JSON body by definition
				}
				name += " as HTML"
			}
			t.Run(name, func(t *testing.T) {
				w := newWorld(t)
				if err := w.fake.SetRefreshTokenRefusal(mode); err != nil {
					t.Fatal(err)
				}
				w.fake.SetHTMLTokenFailures(html)
				// Hold the mint until every caller has queued behind it.
				release := make(chan struct{})
				w.fake.SetBeforeHandle(func(r *http.Request) {
					if r.URL.Path == pathCreateToken {
						<-release
					}
				})
				c := newClient(t, w.url, Credentials{RefreshToken: "revoked-" + strings.Repeat("r", 78), UserID: adminID})
				const n = 20
				errs := make(chan error, n)
				var wg sync.WaitGroup
				for range n {
					wg.Go(func() {
						_, err := c.SyncTable(t.Context(), orders)
						errs <- err
					})
				}
				time.Sleep(50 * time.Millisecond) // let them queue; the count below does not depend on it
				close(release)
				wg.Wait()
				close(errs)
				full, short := 0, 0
				for err := range errs {
					var earlier *RefusedEarlierError
					var ae *APIError
					switch {
					case errors.As(err, &earlier):
						short++
					case errors.As(err, &ae) && ae.Minting && ae.RefusesCredentials():
						full++
					default:
						t.Errorf("unexpected error %v", err)
					}
				}
				if got := w.fake.RequestCount("", pathCreateToken); got != 1 {
					t.Fatalf("%d mint requests for %d parallel callers, want 1", got, n)
				}
				if full != 1 || short != n-1 || w.fake.RequestCount("", pathSyncTable) != 0 {
					t.Fatalf("%d full and %d short errors, %d syncs", full, short, w.fake.RequestCount("", pathSyncTable))
				}
			})
		}
	}
}

// An expired minted token is renewed once whichever status refuses it, in
// JSON or as a gateway's HTML page.
func TestMinting_renewsOnEveryRefusalForm(t *testing.T) {
	for _, m := range mintingModes {
		for _, status := range []int{403, 401} {
			for _, html := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s %d html=%v", m.name, status, html), func(t *testing.T) {
					w := newWorld(t)
					w.fake.SetExpiredTokenStatus(status)
					w.fake.SetHTMLTokenFailures(html)
					c := newClient(t, w.url, m.creds(w))
					if _, err := c.SyncTable(t.Context(), orders); err != nil {
						t.Fatal(err)
					}
					w.fake.ExpireAccessTokens()
					if _, err := c.SyncTable(t.Context(), orders); err != nil {
						t.Fatal(err)
					}
					if w.fake.MintCount() != 2 || w.fake.RequestCount("", pathSyncTable) != 3 {
						t.Fatalf("%d mints, %d syncs; want 2 and 3", w.fake.MintCount(), w.fake.RequestCount("", pathSyncTable))
					}
				})
			}
		}
	}
}

// A static token refused with a gateway's HTML page: a 401 says it all; a
// 403 is confirmed by one read, and then is a refusal of the credentials,
// remembered for the run.
func TestStaticToken_htmlRefusal(t *testing.T) {
	for _, status := range []int{403, 401} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			w := newWorld(t)
			w.fake.SetExpiredTokenStatus(status)
			w.fake.SetHTMLTokenFailures(true)
			w.fake.ExpireAccessTokens()
			c := newClient(t, w.url, w.static())
			_, err := c.SyncTable(t.Context(), orders)
			ae := asAPIError(t, err)
			if ae.StatusCode != status || ae.Detail != "" || !strings.Contains(ae.Excerpt, http.StatusText(status)) || !IsBlockingFailure(err) {
				t.Fatalf("APIError %+v", ae)
			}
			if !strings.Contains(ae.Message(), "text/html") {
				t.Fatalf("message %q does not say what came back", ae.Message())
			}
			reads := map[int]int{401: 0, 403: 1}[status]
			if got := w.fake.RequestCount("GET", pathSchemas); got != reads {
				t.Fatalf("%d confirming reads, want %d", got, reads)
			}
			if _, err := c.SyncTable(t.Context(), orders); !errors.As(err, new(*RefusedEarlierError)) {
				t.Fatalf("second call: %v", err)
			}
			// The credentials check reads as refused at once too.
			c2 := newClient(t, w.url, w.static())
			if err := c2.CheckCredentials(t.Context()); !IsBlockingFailure(err) || StatusCode(err) != status {
				t.Fatalf("credentials check: %v", err)
			}
		})
	}
}

// A freshly minted token that gets 403 for a permission (not an admin)
// is not a refusal of the credentials: the confirming read succeeds, and
// the next call is sent.
func TestMinting_permission403IsNotARefusal(t *testing.T) {
	for _, html := range []bool{false, true} {
		t.Run(fmt.Sprint("html=", html), func(t *testing.T) {
			w := newWorld(t)
			rt := w.fake.IssueRefreshToken(nonAdminID, time.Hour)
			c := newClient(t, w.url, Credentials{RefreshToken: rt, UserID: nonAdminID})
			if html {
				w.fake.QueueFaults(pathSyncTable, alationfake.Fault{Status: 403, Body: "<html><body><h1>403 Forbidden</h1></body></html>"},
					alationfake.Fault{Status: 403, Body: "<html><body><h1>403 Forbidden</h1></body></html>"})
			}
			_, err := c.SyncTable(t.Context(), orders)
			if StatusCode(err) != 403 || IsBlockingFailure(err) {
				t.Fatalf("err %v (blocking %v)", err, IsBlockingFailure(err))
			}
			if w.fake.MintCount() != 2 || w.fake.RequestCount("GET", pathSchemas) != 1 {
				t.Fatalf("%d mints, %d confirming reads; want 2 and 1", w.fake.MintCount(), w.fake.RequestCount("GET", pathSchemas))
			}
			if _, err := c.SyncTable(t.Context(), orders); errors.As(err, new(*RefusedEarlierError)) {
				t.Fatalf("second call not sent: %v", err)
			}
		})
	}
}

// Tokens of the shapes Alation hands out (43- and 86-character URL-safe
// strings, JWTs) never appear in logs or errors, through minting, renewal,
// refusals and failures.
func TestRedaction_realTokenShapes(t *testing.T) {
	for _, m := range append(mintingModes[:2:2], authMode{"static", func(w *world) Credentials { return w.static() }, ""}) {
		t.Run(m.name, func(t *testing.T) {
			w := newWorld(t)
			log := &capLogger{}
			creds := m.creds(w)
			c := newClient(t, w.url, creds, withLogger(log), withRetries(1))
			ctx := t.Context()
			var errs []error
			_, err := c.SyncTable(ctx, orders)
			errs = append(errs, err)
			if m.path != "" {
				w.fake.ExpireAccessTokens()
			}
			// A failure whose body echoes the token, as a confused proxy might.
			var tok string
			for _, r := range w.fake.Requests() {
				if r.Token != "" {
					tok = r.Token
				}
			}
			w.fake.QueueFaults(pathSyncTable, alationfake.Fault{Status: 502, Body: "<html>bad gateway for token " + tok + "</html>"},
				alationfake.Fault{Status: 400, Body: `{"detail": "bad token ` + tok + `", "token": "` + tok + `"}`})
			_, err = c.SyncTable(ctx, orders)
			errs = append(errs, err)
			_, err = c.FindTable(ctx, orders.DatasourceID, orders.Schema, orders.Table)
			errs = append(errs, err)

			secrets := []string{creds.AccessToken, creds.RefreshToken, creds.ClientSecret}
			for _, r := range w.fake.Requests() {
				secrets = append(secrets, r.Token)
			}
			shapes := map[string]bool{}
			for _, s := range secrets {
				switch {
				case s == "":
					continue
				case strings.Count(s, ".") == 2:
					shapes["JWT"] = true
				default:
					shapes[fmt.Sprint(len(s))] = true
				}
			}
			if (m.name == "oauth" && !shapes["JWT"]) || (m.name != "oauth" && !shapes["43"]) || (m.name == "refresh token" && !shapes["86"]) {
				t.Fatalf("token shapes seen %v: the test did not exercise real shapes", shapes)
			}
			var text []string
			for _, e := range log.all() {
				text = append(text, e.Msg, fmt.Sprint(e.Fields))
			}
			for _, err := range errs {
				if err != nil {
					text = append(text, err.Error())
				}
			}
			if len(log.find("TRACE", "Alation response body")) == 0 {
				t.Fatal("no TRACE body logs: the test saw nothing to check")
			}
			all := strings.Join(text, "\n")
			for _, s := range secrets {
				if s == "" {
					continue
				}
				// The whole secret, and for a JWT its signature alone.
				parts := []string{s}
				if i := strings.LastIndex(s, "."); i > 0 {
					parts = append(parts, s[i+1:])
				}
				for _, p := range parts {
					if strings.Contains(all, p) {
						t.Fatalf("a secret (%d characters) appears in logs or errors", len(p))
					}
				}
			}
		})
	}
}
