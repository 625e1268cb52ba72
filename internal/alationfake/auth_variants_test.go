package alationfake

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// getWith sends a GET with the given headers.
func getWith(t *testing.T, u string, headers map[string]string) result {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
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

// oauthToken mints a JWT for a fresh OAuth client.
func oauthToken(t *testing.T, f *Fake, u string) string {
	t.Helper()
	f.AddOAuthClient("svc", "pw", 1)
	r := postOAuth(t, u, url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {"pw"}}, "", "")
	return field(t, r.object(t), "access_token")
}

// Each OAuth header mode accepts the JWT where it says, and only there; an
// API access token is read from TOKEN in every mode.
func TestAuth_OAuthTokenHeader(t *testing.T) {
	cases := []struct {
		mode                OAuthTokenHeader
		token, bearer, both int
		tokenHas, bearerHas string
	}{
		{OAuthHeaderEither, 200, 200, 200, "", ""},
		{OAuthHeaderBearer, 403, 200, 200, "Invalid token.", ""},
		{OAuthHeaderToken, 200, 403, 200, "", "Authentication credentials were not provided."},
	}
	for _, tc := range cases {
		t.Run(string(tc.mode), func(t *testing.T) {
			f, u, static := adminFake(t)
			if err := f.SetOAuthTokenHeader(tc.mode); err != nil {
				t.Fatal(err)
			}
			jwt := oauthToken(t, f, u)
			got := []result{
				getWith(t, u+tablesPath, map[string]string{"TOKEN": jwt}),
				getWith(t, u+tablesPath, map[string]string{"Authorization": "Bearer " + jwt}),
				getWith(t, u+tablesPath, map[string]string{"TOKEN": jwt, "Authorization": "Bearer " + jwt}),
			}
			for i, want := range []int{tc.token, tc.bearer, tc.both} {
				if got[i].status != want {
					t.Errorf("form %d: status %d, want %d (%s)", i, got[i].status, want, got[i].body)
				}
			}
			if tc.tokenHas != "" {
				got[0].wantError(t, 403, tc.tokenHas)
			}
			if tc.bearerHas != "" {
				got[1].wantError(t, 403, tc.bearerHas)
			}
			if r := getJSON(t, u+tablesPath, static); r.status != 200 {
				t.Errorf("API access token in TOKEN: %d", r.status)
			}
		})
	}
	f, _ := NewTestServer(t)
	if f.SetOAuthTokenHeader("Authorization") == nil {
		t.Error("an unknown header mode was accepted")
	}
}

// The token endpoint answers under the spellings its mode serves; the other
// gets the HTML 404 of an unknown path.
func TestAuth_OAuthTokenPaths(t *testing.T) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {"pw"}}
	for _, tc := range []struct {
		mode           OAuthTokenPaths
		slash, noSlash int
	}{{OAuthPathBoth, 200, 200}, {OAuthPathSlash, 200, 404}, {OAuthPathNoSlash, 404, 200}} {
		t.Run(string(tc.mode), func(t *testing.T) {
			f, u := NewTestServer(t)
			f.AddOAuthClient("svc", "pw", 1)
			if err := f.SetOAuthTokenPaths(tc.mode); err != nil {
				t.Fatal(err)
			}
			for path, want := range map[string]int{"/oauth/v2/token/": tc.slash, "/oauth/v2/token": tc.noSlash} {
				resp, err := http.PostForm(u+path, form)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
				}
				if want == 404 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
					t.Errorf("%s: 404 as %q", path, resp.Header.Get("Content-Type"))
				}
			}
		})
	}
	f, _ := NewTestServer(t)
	if f.SetOAuthTokenPaths("trailing") == nil {
		t.Error("an unknown path mode was accepted")
	}
}

// Every failed authentication gets the one status of the mode: 403 by
// default, 401 when set.
func TestAuth_RefusalStatusIsShared(t *testing.T) {
	for _, status := range []int{403, 401} {
		f, u, tok := adminFake(t)
		if status == 401 {
			f.SetExpiredTokenStatus(401)
		}
		getJSON(t, u+tablesPath, "").wantError(t, status, "not provided")
		getJSON(t, u+tablesPath, "made-up").wantError(t, status, "Invalid token.")
		f.ExpireAccessTokens()
		getJSON(t, u+tablesPath, tok).wantError(t, status, "has expired")
	}
}

// In HTML mode every credential refusal is a gateway's page with the
// status Alation would have sent.
func TestAuth_HTMLTokenFailures(t *testing.T) {
	f, u, tok := adminFake(t)
	f.SetHTMLTokenFailures(true)
	f.AddOAuthClient("svc", "pw", 1)
	f.ExpireAccessTokens()
	rs := map[string]result{
		"expired":      getJSON(t, u+tablesPath, tok),
		"invalid":      getJSON(t, u+tablesPath, "made-up"),
		"mint":         mint(t, u, "bogus", 1),
		"oauth client": postOAuth(t, u, url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {"wrong"}}, "", ""),
	}
	want := map[string]int{"expired": 403, "invalid": 403, "mint": 401, "oauth client": 401}
	for name, r := range rs {
		if r.status != want[name] || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "<html>") {
			t.Errorf("%s: %d %q %s", name, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
	// A valid token still works.
	if r := getJSON(t, u+tablesPath, f.IssueAccessToken(1, time.Hour)); r.status != 200 {
		t.Errorf("fresh token: %d", r.status)
	}
}

func TestAuth_RefreshTokenRefusal(t *testing.T) {
	for _, tc := range []struct {
		mode   RefreshTokenRefusal
		status int
	}{{RefusalStatus401, 401}, {RefusalStatus400, 400}, {RefusalStatusFailed, 200}} {
		t.Run(string(tc.mode), func(t *testing.T) {
			f, u := NewTestServer(t)
			f.AddUser(1, true)
			if err := f.SetRefreshTokenRefusal(tc.mode); err != nil {
				t.Fatal(err)
			}
			r := mint(t, u, "bogus", 1)
			if tc.mode == RefusalStatusFailed {
				m := r.object(t)
				if r.status != 200 || m["status"] != "failed" || m["message"] != "Refresh token provided is invalid." || m["api_access_token"] != nil {
					t.Fatalf("%d %s", r.status, r.body)
				}
			} else {
				r.wantError(t, tc.status, "Refresh token provided is invalid.")
			}
			// A good refresh token still mints.
			if r := mint(t, u, f.IssueRefreshToken(1, time.Hour), 1); r.status != 201 {
				t.Fatalf("good refresh token: %d", r.status)
			}
			if f.MintCount() != 1 {
				t.Fatalf("MintCount = %d", f.MintCount())
			}
		})
	}
	f, _ := NewTestServer(t)
	if f.SetRefreshTokenRefusal("403") == nil {
		t.Error("an unknown refusal mode was accepted")
	}
}

var urlSafe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Tokens have the shapes Alation hands out, so that redaction is tested on
// them: 43 and 86 URL-safe characters, and JWTs for OAuth.
func TestAuth_TokenShapes(t *testing.T) {
	f, u := NewTestServer(t)
	f.AddUser(1, true)
	static := f.IssueAccessToken(1, time.Hour)
	refresh := f.IssueRefreshToken(1, time.Hour)
	minted := field(t, mint(t, u, refresh, 1).object(t), "api_access_token")
	for name, tok := range map[string]string{"static": static, "minted": minted} {
		if len(tok) != 43 || !urlSafe.MatchString(tok) {
			t.Errorf("%s access token %q: want 43 URL-safe characters", name, tok)
		}
	}
	if len(refresh) != 86 || !urlSafe.MatchString(refresh) {
		t.Errorf("refresh token %q: want 86 URL-safe characters", refresh)
	}
	jwt := oauthToken(t, f, u)
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("OAuth token %q is not a JWT", jwt)
	}
	var header, claims map[string]any
	for i, out := range []*map[string]any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil || json.Unmarshal(b, out) != nil {
			t.Fatalf("JWT part %d %q: %v", i, parts[i], err)
		}
	}
	if header["typ"] != "JWT" || header["alg"] == nil || claims["exp"] == nil || claims["client_id"] != "svc" {
		t.Errorf("JWT header %v, claims %v", header, claims)
	}
	if !urlSafe.MatchString(parts[2]) || len(parts[2]) < 43 {
		t.Errorf("JWT signature %q", parts[2])
	}
	if tok2 := f.IssueAccessToken(1, time.Hour); tok2 == static {
		t.Error("two tokens alike")
	}
}
