package alationfake

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	createTokenPath   = "/integration/v1/createAPIAccessToken/"
	validateTokenPath = "/integration/v1/validateAPIAccessToken/"
	oauthPath         = "/oauth/v2/token/"
	tablesPath        = "/integration/v2/table/"
)

func TestAuth_TokenHeader(t *testing.T) {
	f, u, admin := adminFake(t)
	getJSON(t, u+tablesPath, "").wantError(t, 403, "Authentication credentials were not provided.")
	getJSON(t, u+tablesPath, "no-such-token").wantError(t, 403, "Invalid token.")
	// A refresh token is not an access token.
	getJSON(t, u+tablesPath, f.IssueRefreshToken(1, time.Hour)).wantError(t, 403, "Invalid token.")

	// The header name is case-insensitive.
	for _, name := range []string{"TOKEN", "token", "Token"} {
		req, _ := http.NewRequest(http.MethodGet, u+tablesPath, nil)
		req.Header[name] = []string{admin} // bypass canonicalisation
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("header %q: status %d", name, resp.StatusCode)
		}
	}
	// Alation does not read the Authorization header.
	req, _ := http.NewRequest(http.MethodGet, u+tablesPath, nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("Authorization header accepted: %d", resp.StatusCode)
	}
}

func TestAuth_ExpiryByClock(t *testing.T) {
	for _, status := range []int{401, 403} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f, u := NewTestServer(t)
			f.AddUser(1, true)
			if status == 401 {
				f.SetExpiredTokenStatus(401)
			}
			f.SetExpiredTokenStatus(500) // ignored
			tok := f.IssueAccessToken(1, time.Hour)
			if r := getJSON(t, u+tablesPath, tok); r.status != 200 {
				t.Fatalf("fresh token: %d", r.status)
			}
			f.Advance(59 * time.Minute)
			if r := getJSON(t, u+tablesPath, tok); r.status != 200 {
				t.Fatalf("token before expiry: %d", r.status)
			}
			f.Advance(2 * time.Minute)
			getJSON(t, u+tablesPath, tok).wantError(t, status, "expired")
		})
	}
}

// mint gets an access token from a refresh token.
func mint(t *testing.T, u, refresh string, userID int64) result {
	t.Helper()
	return postJSON(t, u+createTokenPath, "", fmt.Sprintf(`{"refresh_token":%q,"user_id":%d}`, refresh, userID))
}

func TestCreateAPIAccessToken(t *testing.T) {
	f, u := NewTestServer(t)
	f.AddUser(42, true)
	f.AddUser(7, false)
	refresh := f.IssueRefreshToken(42, 60*24*time.Hour)
	f.SetMintedTokenTTL(2 * time.Hour)

	r := mint(t, u, refresh, 42)
	if r.status != 201 {
		t.Fatalf("mint: %d %s", r.status, r.body)
	}
	m := r.object(t)
	at, _ := m["api_access_token"].(string)
	if at == "" || m["user_id"] != float64(42) || m["token_status"] != "ACTIVE" {
		t.Fatalf("mint answer: %s", r.body)
	}
	created, err1 := time.Parse(tokenTimeLayout, field(t, m, "created_at"))
	expires, err2 := time.Parse(tokenTimeLayout, field(t, m, "token_expires_at"))
	if err1 != nil || err2 != nil || expires.Sub(created) != 2*time.Hour {
		t.Fatalf("times: %v %v %v %v", created, expires, err1, err2)
	}
	if !strings.HasSuffix(field(t, m, "token_expires_at"), "Z") || len(field(t, m, "token_expires_at")) != len("2026-11-25T20:00:00.000000Z") {
		t.Fatalf("token_expires_at = %q", m["token_expires_at"])
	}
	if f.MintCount() != 1 {
		t.Fatalf("MintCount = %d", f.MintCount())
	}
	// The minted token works.
	if r := getJSON(t, u+tablesPath, at); r.status != 200 {
		t.Fatalf("minted token: %d %s", r.status, r.body)
	}
	// It lives for the minted TTL.
	f.Advance(2*time.Hour + time.Second)
	getJSON(t, u+tablesPath, at).wantError(t, 403, "expired")

	// Failures.
	mint(t, u, refresh, 7).wantError(t, 401, "Refresh token provided is invalid.")
	mint(t, u, "bogus", 42).wantError(t, 401, "Refresh token provided is invalid.")
	mint(t, u, at, 42).wantError(t, 401, "Refresh token provided is invalid.")
	postJSON(t, u+createTokenPath, "", `{"user_id":42}`).wantError(t, 400, "refresh_token")
	postJSON(t, u+createTokenPath, "", `{"refresh_token":"x"}`).wantError(t, 400, "user_id")
	postJSON(t, u+createTokenPath, "", `{`).wantError(t, 400)
	getJSON(t, u+createTokenPath, "").wantError(t, 405)
	// The user id may come as a string, as Django would accept.
	if r := postJSON(t, u+createTokenPath, "", fmt.Sprintf(`{"refresh_token":%q,"user_id":"42"}`, refresh)); r.status != 201 {
		t.Fatalf("string user_id: %d %s", r.status, r.body)
	}
	// An expired refresh token.
	f.Advance(61 * 24 * time.Hour)
	mint(t, u, refresh, 42).wantError(t, 401, "Refresh token provided is invalid.")
	if f.MintCount() != 2 {
		t.Fatalf("MintCount = %d, want 2", f.MintCount())
	}
}

func TestValidateAPIAccessToken(t *testing.T) {
	f, u := NewTestServer(t)
	f.AddUser(3, false)
	tok := f.IssueAccessToken(3, time.Hour)
	body := fmt.Sprintf(`{"api_access_token":%q,"user_id":3}`, tok)
	r := postJSON(t, u+validateTokenPath, "", body)
	if m := r.object(t); r.status != 200 || m["token_status"] != "ACTIVE" || m["api_access_token"] != tok {
		t.Fatalf("%d %s", r.status, r.body)
	}
	f.Advance(2 * time.Hour)
	r = postJSON(t, u+validateTokenPath, "", body)
	if m := r.object(t); r.status != 200 || m["token_status"] != "EXPIRED" {
		t.Fatalf("%d %s", r.status, r.body)
	}
	postJSON(t, u+validateTokenPath, "", `{"api_access_token":"nope","user_id":3}`).wantError(t, 401, "invalid")
	postJSON(t, u+validateTokenPath, "", fmt.Sprintf(`{"api_access_token":%q,"user_id":4}`, tok)).wantError(t, 401)
}

func TestExpireAccessTokens(t *testing.T) {
	f, u := NewTestServer(t)
	f.AddUser(1, true)
	static := f.IssueAccessToken(1, 24*time.Hour)
	refresh := f.IssueRefreshToken(1, 24*time.Hour)
	f.AddOAuthClient("svc", "pw", 1)
	minted := field(t, mint(t, u, refresh, 1).object(t), "api_access_token")
	oauth := field(t, postOAuth(t, u, url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {"pw"}}, "", "").
		object(t), "access_token")

	f.ExpireAccessTokens()
	for _, tok := range []string{static, minted, oauth} {
		getJSON(t, u+tablesPath, tok).wantError(t, 403, "expired")
	}
	// Refresh tokens survive; a fresh mint works.
	r := mint(t, u, refresh, 1)
	if r.status != 201 {
		t.Fatalf("mint after expiry: %d %s", r.status, r.body)
	}
	if g := getJSON(t, u+tablesPath, field(t, r.object(t), "api_access_token")); g.status != 200 {
		t.Fatalf("new token: %d", g.status)
	}
	if f.MintCount() != 3 {
		t.Fatalf("MintCount = %d, want 3", f.MintCount())
	}
}

// postOAuth posts a form to the OAuth endpoint, with Basic auth when user is set.
func postOAuth(t *testing.T, u string, form url.Values, user, pass string) result {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u+oauthPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

func TestOAuthClientCredentials(t *testing.T) {
	f, u := NewTestServer(t)
	f.AddUser(5, true)
	f.AddUser(6, false)
	f.AddOAuthClient("svc", "s3cret", 5)
	f.AddOAuthClient("reader", "pw", 6)
	f.SetMintedTokenTTL(90 * time.Minute)

	cc := url.Values{"grant_type": {"client_credentials"}}
	withCreds := url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {"s3cret"}}
	for name, r := range map[string]result{
		"form":  postOAuth(t, u, withCreds, "", ""),
		"basic": postOAuth(t, u, cc, "svc", "s3cret"),
	} {
		m := r.object(t)
		if r.status != 200 || m["token_type"] != "Bearer" || m["expires_in"] != float64(5400) || m["scope"] != "openid" || m["access_token"] == "" {
			t.Fatalf("%s: %d %s", name, r.status, r.body)
		}
		// The token goes in the TOKEN header and may sync (user 5 is an admin).
		f.AddDataSource(DataSource{ID: 1})
		f.AddSourceTable(1, "s", "t", "TABLE")
		if s := postJSON(t, u+syncPath, field(t, m, "access_token"), `{"datasource_id":1,"schema":"s","table":"t"}`); s.status != 201 {
			t.Fatalf("%s: sync with OAuth token: %d %s", name, s.status, s.body)
		}
	}
	if f.MintCount() != 2 {
		t.Fatalf("MintCount = %d", f.MintCount())
	}

	oauthErr := func(r result, status int, code string) {
		t.Helper()
		m := r.object(t)
		if r.status != status || m["error"] != code || m["error_description"] == "" {
			t.Fatalf("want %d %s, got %d %s", status, code, r.status, r.body)
		}
	}
	oauthErr(postOAuth(t, u, cc, "svc", "wrong"), 401, "invalid_client")
	oauthErr(postOAuth(t, u, url.Values{"grant_type": {"client_credentials"}, "client_id": {"nobody"}, "client_secret": {"x"}}, "", ""), 401, "invalid_client")
	oauthErr(postOAuth(t, u, cc, "", ""), 401, "invalid_client")
	oauthErr(postOAuth(t, u, url.Values{"grant_type": {"password"}, "client_id": {"svc"}, "client_secret": {"s3cret"}}, "", ""), 400, "unsupported_grant_type")
	oauthErr(postOAuth(t, u, url.Values{"client_id": {"svc"}, "client_secret": {"s3cret"}}, "", ""), 400, "unsupported_grant_type")
	// JSON is not a form.
	r := postJSON(t, u+oauthPath, "", `{"grant_type":"client_credentials","client_id":"svc","client_secret":"s3cret"}`)
	oauthErr(r, 400, "unsupported_grant_type")

	// A non-admin service account can read but not sync.
	tok := field(t, postOAuth(t, u, cc, "reader", "pw").object(t), "access_token")
	if g := getJSON(t, u+tablesPath, tok); g.status != 200 {
		t.Fatalf("read: %d", g.status)
	}
	postJSON(t, u+syncPath, tok, `{"datasource_id":1,"schema":"s","table":"t"}`).wantError(t, 403, "admin")
	if f.MintCount() != 3 {
		t.Fatalf("MintCount = %d, want 3", f.MintCount())
	}
}

// field returns m[key] as a string, failing the test when it is not one.
func field(t *testing.T, m map[string]any, key string) string {
	t.Helper()
	s, ok := m[key].(string)
	if !ok {
		t.Fatalf("%s is %T (%v), not a string", key, m[key], m[key])
	}
	return s
}
