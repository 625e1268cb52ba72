package alation_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// hiddenWorld holds a visible and a hidden source under each API.
func hiddenWorld(t *testing.T, role alationfake.Role, refusal alationfake.IncludeHiddenRefusal) (*alationfake.Fake, *alation.Client) {
	t.Helper()
	fake, c := lookupWorldAs(t, role)
	fake.SetIncludeHiddenRefusal(refusal)
	fake.AddDataSource(alationfake.DataSource{ID: 8, Title: "Snowflake Prod"})
	fake.AddDataSource(alationfake.DataSource{ID: 9, Title: "Staging", Hidden: true})
	fake.AddDataSource(alationfake.DataSource{ID: 3, Title: "Postgres Ops", Legacy: true})
	return fake, c
}

// listingQueries are the query strings of the data source listings, in
// order.
func listingQueries(fake *alationfake.Fake) []string {
	var out []string
	for _, r := range fake.Requests() {
		if strings.HasSuffix(r.Path, "/datasource/") {
			out = append(out, strings.TrimPrefix(r.Path, "/integration/")+"?"+r.RawQuery)
		}
	}
	return out
}

// A Catalog Admin's (or a Viewer's) look-up by title works whichever way
// Alation refuses include_hidden: a refusal is asked again without it, once,
// and never again; a hidden source not found says it was not searched. An
// answer that leaves hidden sources out silently cannot be told from one
// without hidden sources: the error says hidden sources may be missing.
func TestFindDataSourceByTitle_notServerAdmin(t *testing.T) {
	for _, role := range []alationfake.Role{alationfake.RoleCatalogAdmin, alationfake.RoleViewer} {
		for _, refusal := range alationfake.IncludeHiddenRefusals {
			t.Run(fmt.Sprintf("%s/%s", role, refusal), func(t *testing.T) {
				fake, c := hiddenWorld(t, role, refusal)
				for _, title := range []string{"Snowflake Prod", "Postgres Ops"} {
					ds, err := c.FindDataSourceByTitle(t.Context(), title)
					if err != nil {
						t.Fatalf("%s: %v", title, err)
					}
					if ds.Title != title {
						t.Fatalf("found %s for %q", ds, title)
					}
				}
				want := []string{"v2/datasource/?include_hidden=true", "v1/datasource/?include_hidden=true",
					"v2/datasource/?include_hidden=true", "v1/datasource/?include_hidden=true"}
				wantHidden := alation.HiddenMaybeSearched
				switch refusal {
				case alationfake.HiddenRefused403: // about the role: not asked again anywhere
					want = []string{"v2/datasource/?include_hidden=true", "v2/datasource/?", "v1/datasource/?", "v2/datasource/?", "v1/datasource/?"}
					wantHidden = alation.HiddenNotSearched
				case alationfake.HiddenRefused400: // maybe about the endpoint: not asked again there
					want = []string{"v2/datasource/?include_hidden=true", "v2/datasource/?", "v1/datasource/?include_hidden=true", "v1/datasource/?",
						"v2/datasource/?", "v1/datasource/?"}
					wantHidden = alation.HiddenNotSearched
				}
				if got := listingQueries(fake); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("listings %v, want %v", got, want)
				}
				if c.HiddenSourcesRefused() != (wantHidden == alation.HiddenNotSearched) {
					t.Errorf("HiddenSourcesRefused() = %v", c.HiddenSourcesRefused())
				}
				_, err := c.FindDataSourceByTitle(t.Context(), "Staging")
				var nf *alation.DataSourceNotFoundError
				if !errors.As(err, &nf) || nf.Hidden != wantHidden || len(nf.Listed) != 2 {
					t.Fatalf("a hidden source: %v (%+v), want hidden search %v", err, nf, wantHidden)
				}
				// GET by id finds a hidden source whatever the role.
				if ds, err := c.GetDataSource(t.Context(), 9); err != nil || ds.Title != "Staging" {
					t.Fatalf("by id: %v, %v", ds, err)
				}
			})
		}
	}
}

// A Server Admin's listing searches hidden sources, and says so.
func TestFindDataSourceByTitle_serverAdminSearchesHidden(t *testing.T) {
	fake, c := hiddenWorld(t, alationfake.RoleServerAdmin, alationfake.HiddenRefused403)
	if ds, err := c.FindDataSourceByTitle(t.Context(), "Staging"); err != nil || int64(ds.ID) != 9 {
		t.Fatalf("%v, %v", ds, err)
	}
	_, err := c.FindDataSourceByTitle(t.Context(), "Nope")
	var nf *alation.DataSourceNotFoundError
	if !errors.As(err, &nf) || nf.Hidden != alation.HiddenSearched {
		t.Fatalf("%v (%+v)", err, nf)
	}
	if n := len(listingQueries(fake)); n != 4 {
		t.Fatalf("%d listings, want 4 (two look-ups, two APIs)", n)
	}
}

// A 403 for include_hidden is not taken for refused credentials: a minted
// token is not renewed for it, and the client goes on working. A token
// that really expired is refused again without include_hidden, and that
// refusal is the error: two requests, not a loop.
func TestFindDataSourceByTitle_refusalIsNotCredentials(t *testing.T) {
	fake, url := alationfake.NewTestServer(t)
	fake.AddUserWithRole(1, alationfake.RoleCatalogAdmin)
	fake.AddDataSource(alationfake.DataSource{ID: 8, Title: "Snowflake Prod"})
	c, err := alation.New(alation.Config{BaseURL: url, MaxRetries: -1, RetryWaitMin: time.Millisecond,
		Credentials: alation.Credentials{RefreshToken: fake.IssueRefreshToken(1, time.Hour), UserID: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.FindDataSourceByTitle(t.Context(), "Snowflake Prod"); err != nil {
		t.Fatal(err)
	}
	if n := fake.MintCount(); n != 1 {
		t.Fatalf("%d mints, want 1: a refused include_hidden renews no token", n)
	}
	if _, err := c.GetDataSource(t.Context(), 8); err != nil {
		t.Fatalf("after the refusal: %v", err)
	}

	fake2, c2 := lookupWorldAs(t, alationfake.RoleServerAdmin)
	fake2.SetExpiredTokenStatus(403)
	fake2.ExpireAccessTokens()
	_, err = c2.ListDataSources(t.Context(), alation.APIv2)
	if alation.StatusCode(err) != 403 {
		t.Fatalf("an expired token: %v", err)
	}
	if got := listingQueries(fake2); fmt.Sprint(got) != "[v2/datasource/?include_hidden=true v2/datasource/?]" {
		t.Fatalf("listings %v", got)
	}
}

// A 400 for include_hidden from one endpoint (one that does not take it)
// does not stop a Server Admin's other listing from searching hidden
// sources.
func TestFindDataSourceByTitle_400IsPerEndpoint(t *testing.T) {
	fake, c := lookupWorldAs(t, alationfake.RoleServerAdmin)
	fake.AddDataSource(alationfake.DataSource{ID: 4, Title: "Old hidden", Legacy: true, Hidden: true})
	fake.QueueFaults("/integration/v2/datasource/", alationfake.Fault{Status: 400,
		Body: `{"detail": "Invalid query parameters: [include_hidden]", "code": "400006"}`})
	if ds, err := c.FindDataSourceByTitle(t.Context(), "Old hidden"); err != nil || int64(ds.ID) != 4 {
		t.Fatalf("%v, %v", ds, err)
	}
	if got := listingQueries(fake); fmt.Sprint(got) != "[v2/datasource/?include_hidden=true v2/datasource/? v1/datasource/?include_hidden=true]" {
		t.Fatalf("listings %v", got)
	}
}
