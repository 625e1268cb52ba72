package probe

import (
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
	expect(t, got, "include_hidden=true (role)", "a Server Admin")
	expect(t, got, "sync", "not tried")
	if f.CatalogTableCount() != before || f.RequestCount("POST", "/api/v1/table/sync/") != 0 {
		t.Fatal("the probe changed the catalog without a table to sync")
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
