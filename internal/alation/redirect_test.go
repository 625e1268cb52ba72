package alation

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// A redirect to another host is never followed, whatever carries the
// credentials (the TOKEN header, a mint's JSON or form body) and whatever
// the status: the other host gets no request at all, the redirect is not
// retried, and the error names both hosts.
func TestRedirects_NeverToAnotherHost(t *testing.T) {
	cases := []struct {
		name   string
		path   string // redirected on the world's fake
		status int
		creds  func(w *world) Credentials
		call   func(ctx context.Context, c *Client) error
	}{
		{"refresh-token mint 307", pathCreateToken, http.StatusTemporaryRedirect, refreshCreds, syncOrders},
		{"OAuth mint 308", pathOAuthToken, http.StatusPermanentRedirect, oauthCreds, syncOrders},
		{"sync 307", pathSyncTable, http.StatusTemporaryRedirect, (*world).static, syncOrders},
		{"table read 302", pathTables, http.StatusFound, (*world).static, func(ctx context.Context, c *Client) error {
			_, err := c.GetTable(ctx, 17000)
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			other, otherURL := alationfake.NewTestServer(t)
			setUpWorld(other, otherURL) // an Alation that would accept everything
			w.fake.SetRedirect(tc.path, tc.status, otherURL+tc.path)
			c := newClient(t, w.url, tc.creds(w), withRetries(3))
			err := tc.call(t.Context(), c)
			var re *RedirectError
			if !errors.As(err, &re) {
				t.Fatalf("want a *RedirectError, got %T: %v", err, err)
			}
			if re.StatusCode != tc.status || re.From != w.url || re.To != otherURL || !strings.HasPrefix(re.Path, tc.path) {
				t.Fatalf("RedirectError %+v", re)
			}
			for _, part := range []string{w.url, otherURL, "proxy", "base_url"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error lacks %q: %v", part, err)
				}
			}
			if n := len(other.Requests()); n != 0 || other.Connections() != 0 {
				t.Fatalf("the other host got %d requests over %d connections", n, other.Connections())
			}
			if n := w.fake.RequestCount("", tc.path); n != 1 {
				t.Fatalf("%d requests to %s, want one, not retried", n, tc.path)
			}
		})
	}
}

// Within base_url's host a redirect is followed, a 307 or 308 sending the
// body and the credentials again: here every path moved from /old/ to /.
func TestRedirects_SameHostFollowed(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for name, creds := range map[string]func(*world) Credentials{"refresh token": refreshCreds, "OAuth": oauthCreds, "static": (*world).static} {
			t.Run(name+" "+http.StatusText(status), func(t *testing.T) {
				w := newWorld(t)
				w.fake.SetRedirect("/old/", status, "/")
				c := newClient(t, w.url+"/old", creds(w))
				got, err := c.SyncTable(t.Context(), orders)
				if err != nil || got.Name != "ORDERS" {
					t.Fatalf("got %+v, %v", got, err)
				}
				if _, err := c.GetTable(t.Context(), int64(got.ID)); err != nil {
					t.Fatal(err)
				}
				for _, r := range w.fake.Requests() {
					moved := strings.HasPrefix(r.Path, "/old/")
					if (moved && r.Status != status) || (!moved && r.Status/100 != 2) || (r.Method == "POST" && r.Body == "") {
						t.Errorf("%s %s: %d, body %q", r.Method, r.Path, r.Status, r.Body)
					}
				}
			})
		}
	}
}

func TestSameOrigin(t *testing.T) {
	cases := []struct {
		a, b string
		same bool
	}{
		{"https://a.example/x", "https://A.EXAMPLE:443/y?z", true},
		{"http://a.example", "http://a.example:80", true},
		{"https://a.example", "https://a.example:8443", false},
		{"https://a.example", "http://a.example", false},
		{"https://a.example", "https://b.example", false},
		{"http://127.0.0.1:80", "http://localhost:80", false},
	}
	for _, tc := range cases {
		a, _ := url.Parse(tc.a)
		b, _ := url.Parse(tc.b)
		if got := sameOrigin(a, b); got != tc.same {
			t.Errorf("sameOrigin(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
}

func refreshCreds(w *world) Credentials {
	return Credentials{RefreshToken: w.fake.IssueRefreshToken(adminID, time.Hour), UserID: adminID}
}

func oauthCreds(w *world) Credentials {
	w.fake.AddOAuthClient("svc-account", "svc-secret", adminID)
	return Credentials{ClientID: "svc-account", ClientSecret: "svc-secret"}
}

func syncOrders(ctx context.Context, c *Client) error {
	_, err := c.SyncTable(ctx, orders)
	return err
}
