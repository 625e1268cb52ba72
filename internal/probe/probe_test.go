package probe

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

func run(t *testing.T, cfg Config) map[string]string {
	t.Helper()
	rows, err := Run(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r.Check] = r.Result
	}
	t.Logf("\n%s", Markdown(rows))
	return got
}

func expect(t *testing.T, got map[string]string, check string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(got[check], p) {
			t.Errorf("%s: %q lacks %q", check, got[check], p)
		}
	}
}

// Without a table, the probe only reads: the emulator's catalog is as it was.
func TestProbe_readsOnly(t *testing.T) {
	f, url := alationfake.NewTestServer(t)
	token := f.SeedDemo()
	before := f.CatalogTableCount()
	got := run(t, Config{Client: alation.Config{BaseURL: url, Credentials: alation.Credentials{AccessToken: token}}})
	expect(t, got, "Alation version", alationfake.DefaultRelease)
	expect(t, got, "credentials", "api_access_token: accepted")
	expect(t, got, "invalid token gets", "HTTP 40")
	expect(t, got, "error body (GET /integration/v2/datasource/0/)", "HTTP 404", "keys code, detail")
	expect(t, got, "paging link", "a path: /integration/v2/table/")
	expect(t, got, "role", "a Server Admin")
	expect(t, got, "sync", "not tried")
	if f.CatalogTableCount() != before {
		t.Fatal("the probe changed the catalog without a table to sync")
	}
	for _, r := range f.Requests() {
		if r.Method != "GET" && (r.Path != "/api/v1/table/sync/" || r.Body != "{}" || r.Status == 201) {
			t.Errorf("without a table, the probe sent %s %s %q (answered %d)", r.Method, r.Path, r.Body, r.Status)
		}
	}
	for check, result := range got {
		if strings.Contains(result, token) {
			t.Errorf("%s shows the token: %s", check, result)
		}
	}
}

// With minted tokens: neither the refresh token nor what it minted shows;
// with a table, the sync's answer and time are reported.
func TestProbe_mintedTokenAndSync(t *testing.T) {
	f, url := alationfake.NewTestServer(t)
	f.SeedDemo()
	refresh := f.IssueRefreshToken(alationfake.DemoUserID, time.Hour)
	got := run(t, Config{
		Client: alation.Config{BaseURL: url, Credentials: alation.Credentials{RefreshToken: refresh, UserID: alationfake.DemoUserID}},
		Table:  &alation.SyncTableInput{DatasourceID: 3, Schema: "public", Table: "events"},
	})
	expect(t, got, "credentials", "refresh_token: accepted")
	var synced string
	for check, result := range got {
		if strings.HasPrefix(check, "sync of ") {
			synced = result
		}
		if strings.Contains(result, refresh) {
			t.Errorf("%s shows the refresh token: %s", check, result)
		}
	}
	if !strings.Contains(synced, "HTTP 201") || !strings.Contains(synced, " in ") || !strings.Contains(synced, "keys ") {
		t.Errorf("sync row %q", synced)
	}
	for _, r := range f.Requests() {
		for _, result := range got {
			if r.Token != "" && strings.Contains(result, r.Token) {
				t.Errorf("a report row shows a minted token: %s", result)
			}
		}
	}
}

// The probe tells the variants the emulator plays apart.
func TestProbe_variants(t *testing.T) {
	f, url := alationfake.NewTestServer(t)
	token := f.SeedDemo()
	f.SetRelease("")
	got := run(t, Config{Client: alation.Config{BaseURL: url, Credentials: alation.Credentials{AccessToken: token}}})
	expect(t, got, "Alation version", "not told", "HTTP 404")
}

// oauthConfig is the probe's configuration with the demo OAuth client.
func oauthConfig(url string) Config {
	return Config{Client: alation.Config{BaseURL: url, Credentials: alation.Credentials{
		ClientID: alationfake.DemoOAuthClientID, ClientSecret: alationfake.DemoOAuthClientSecret}}}
}

// Each OAuth header and token path mode the emulator plays reads
// differently in the report.
func TestProbe_oauthVariants(t *testing.T) {
	cases := []struct {
		header alationfake.OAuthTokenHeader
		paths  alationfake.OAuthTokenPaths
		want   []string
	}{
		{alationfake.OAuthHeaderEither, alationfake.OAuthPathBoth, []string{"either accepted", "TOKEN alone: HTTP 200; Authorization: Bearer alone: HTTP 200", "POST /oauth/v2/token/"}},
		{alationfake.OAuthHeaderBearer, alationfake.OAuthPathSlash, []string{"only Authorization: Bearer accepted", "TOKEN alone: HTTP 403; Authorization: Bearer alone: HTTP 200", "POST /oauth/v2/token/"}},
		{alationfake.OAuthHeaderToken, alationfake.OAuthPathNoSlash, []string{"only TOKEN accepted", "TOKEN alone: HTTP 200; Authorization: Bearer alone: HTTP 403", "minted at POST /oauth/v2/token"}},
	}
	for _, tc := range cases {
		t.Run(string(tc.header)+" "+string(tc.paths), func(t *testing.T) {
			f, url := alationfake.NewTestServer(t)
			f.SeedDemo()
			if err := f.SetOAuthTokenHeader(tc.header); err != nil {
				t.Fatal(err)
			}
			if err := f.SetOAuthTokenPaths(tc.paths); err != nil {
				t.Fatal(err)
			}
			got := run(t, oauthConfig(url))
			expect(t, got, "credentials", "client_credentials: accepted")
			expect(t, got, "access token shape", "a JWT")
			expect(t, got, "OAuth token header", tc.want...)
			if tc.paths == alationfake.OAuthPathNoSlash && strings.Contains(got["OAuth token header"], "/oauth/v2/token/") {
				t.Errorf("the report names the path that answered 404: %s", got["OAuth token header"])
			}
		})
	}
}

// The status and body form of a refused token tell the emulator's modes
// apart; a refused refresh token shows how the mint refused it.
func TestProbe_refusalVariants(t *testing.T) {
	for _, tc := range []struct {
		status int
		html   bool
		want   []string
	}{
		{403, false, []string{"HTTP 403", "application/json", "keys code, detail"}},
		{401, false, []string{"HTTP 401", "application/json", "keys code, detail"}},
		{403, true, []string{"HTTP 403", "text/html", "an HTML page"}},
		{401, true, []string{"HTTP 401", "text/html", "an HTML page"}},
	} {
		t.Run(fmt.Sprintf("%d html=%v", tc.status, tc.html), func(t *testing.T) {
			f, url := alationfake.NewTestServer(t)
			token := f.SeedDemo()
			f.SetExpiredTokenStatus(tc.status)
			f.SetHTMLTokenFailures(tc.html)
			got := run(t, Config{Client: alation.Config{BaseURL: url, Credentials: alation.Credentials{AccessToken: token}}})
			expect(t, got, "invalid token gets", tc.want...)
		})
	}
	for _, tc := range []struct {
		refusal alationfake.RefreshTokenRefusal
		want    []string
	}{
		{alationfake.RefusalStatus401, []string{"not accepted", "HTTP 401", "Refresh token provided is invalid."}},
		{alationfake.RefusalStatus400, []string{"not accepted", "HTTP 400", "Refresh token provided is invalid."}},
		{alationfake.RefusalStatusFailed, []string{"not accepted", `HTTP 200 OK with "status": "failed"`, "Refresh token provided is invalid."}},
	} {
		t.Run("refresh token "+string(tc.refusal), func(t *testing.T) {
			f, url := alationfake.NewTestServer(t)
			f.SeedDemo()
			if err := f.SetRefreshTokenRefusal(tc.refusal); err != nil {
				t.Fatal(err)
			}
			got := run(t, Config{Client: alation.Config{BaseURL: url, Credentials: alation.Credentials{RefreshToken: "revoked-refresh-token", UserID: alationfake.DemoUserID}}})
			expect(t, got, "credentials", tc.want...)
		})
	}
}

// Each mode the emulator plays for roles, listings and query parameters
// (the alationfake command's flags) gets its own report.
func TestProbe_modes(t *testing.T) {
	for _, c := range []struct {
		name  string
		setUp func(f *alationfake.Fake)
		want  map[string][]string
	}{
		{"server admin", nil, map[string][]string{
			"role": {"a Server Admin"}, "include_hidden=true (Server Admins only)": {"allowed and honoured"},
			"unknown query parameter": {"HTTP 400", "400006"}}},
		{"catalog admin, 403", func(f *alationfake.Fake) { f.AddUserWithRole(alationfake.DemoUserID, alationfake.RoleCatalogAdmin) }, map[string][]string{
			"role": {"such as a Catalog Admin"}, "include_hidden=true (Server Admins only)": {"refused", "HTTP 403"},
			"sync permission (empty body, syncs nothing)": {"past the permission check"}}},
		{"catalog admin, 400", func(f *alationfake.Fake) {
			f.AddUserWithRole(alationfake.DemoUserID, alationfake.RoleCatalogAdmin)
			f.SetIncludeHiddenRefusal(alationfake.HiddenRefused400)
		}, map[string][]string{"role": {"such as a Catalog Admin"}, "include_hidden=true (Server Admins only)": {"refused", "HTTP 400", "400006"}}},
		{"catalog admin, ignored", func(f *alationfake.Fake) {
			f.AddUserWithRole(alationfake.DemoUserID, alationfake.RoleCatalogAdmin)
			f.SetIncludeHiddenRefusal(alationfake.HiddenIgnored)
		}, map[string][]string{"role": {"whether it is a Server Admin cannot be told"},
			"include_hidden=true (Server Admins only)": {"accepted (HTTP 200), but no hidden source listed"}}},
		{"viewer", func(f *alationfake.Fake) { f.AddUserWithRole(alationfake.DemoUserID, alationfake.RoleViewer) }, map[string][]string{
			"role": {"not an admin", "cannot work"}, "sync permission (empty body, syncs nothing)": {"refused, not an admin", "HTTP 403"}}},
		{"1,500 tables", func(f *alationfake.Fake) { bulk(f, 1500) }, map[string][]string{
			"listing past 1,000 rows": {"yes: the page after 1,000 rows has 50"}}},
		{"1,500 tables, whole-listing cap", func(f *alationfake.Fake) { bulk(f, 1500); f.SetCatalogLimit(1000) }, map[string][]string{
			"listing past 1,000 rows": {"no: 1,000 rows, no next page", "a cap on the whole listing"}}},
		{"lenient parameters", func(f *alationfake.Fake) { f.SetStrictParams(false) }, map[string][]string{
			"unknown query parameter": {"ignored (HTTP 200)"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, url := alationfake.NewTestServer(t)
			token := f.SeedDemo()
			if c.setUp != nil {
				c.setUp(f)
			}
			got := run(t, Config{Client: alation.Config{BaseURL: url, Credentials: alation.Credentials{AccessToken: token}}})
			for check, parts := range c.want {
				expect(t, got, check, parts...)
			}
		})
	}
}

// bulk catalogues n more tables, as the command's -bulk-tables does.
func bulk(f *alationfake.Fake, n int) {
	for i := range n {
		f.AddCatalogTable(8, "ANALYTICS.BULK", fmt.Sprintf("BULK_%05d", i), "TABLE")
	}
}
