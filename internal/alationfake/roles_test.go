package alationfake

import (
	"fmt"
	"testing"
	"time"
)

// code is an error answer's code.
func (r result) code(t testing.TB) any { t.Helper(); return r.object(t)["code"] }

// A Server Admin lists hidden sources; anyone else asking for them gets the
// refusal the emulator plays, on both listings, and the listing without
// include_hidden still answers. A Viewer does not see private sources.
func TestRoles_includeHiddenAndPrivate(t *testing.T) {
	f, u := NewTestServer(t)
	f.AddDataSource(DataSource{ID: 1, Title: "Visible"})
	f.AddDataSource(DataSource{ID: 2, Title: "Hidden", Hidden: true})
	f.AddDataSource(DataSource{ID: 3, Title: "Private", Private: true})
	f.AddDataSource(DataSource{ID: 4, Title: "Hidden legacy", Hidden: true, Legacy: true})
	token := map[Role]string{}
	for i, role := range Roles {
		f.AddUserWithRole(int64(10+i), role)
		token[role] = f.IssueAccessToken(int64(10+i), time.Hour)
	}
	ids := func(r result) string {
		t.Helper()
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		var out []any
		for _, it := range r.list(t) {
			out = append(out, it["id"])
		}
		return fmt.Sprint(out)
	}
	const v2, v1 = "/integration/v2/datasource/", "/integration/v1/datasource/"
	if got := ids(getJSON(t, u+v2+"?include_hidden=true", token[RoleServerAdmin])); got != "[1 2 3]" {
		t.Errorf("a Server Admin's hidden listing: %s", got)
	}
	if got := ids(getJSON(t, u+v1+"?include_hidden=true", token[RoleServerAdmin])); got != "[4]" {
		t.Errorf("a Server Admin's v1 hidden listing: %s", got)
	}
	for _, role := range []Role{RoleCatalogAdmin, RoleViewer} {
		f.SetIncludeHiddenRefusal(HiddenRefused403)
		for _, p := range []string{v2, v1} {
			getJSON(t, u+p+"?include_hidden=true", token[role]).wantError(t, 403, "permission")
		}
		f.SetIncludeHiddenRefusal(HiddenRefused400)
		r := getJSON(t, u+v2+"?include_hidden=true", token[role])
		if r.status != 400 || r.code(t) != "400006" {
			t.Errorf("%s, 400 variant: %d %s", role, r.status, r.body)
		}
		f.SetIncludeHiddenRefusal(HiddenIgnored)
		want := map[Role]string{RoleCatalogAdmin: "[1 3]", RoleViewer: "[1]"}[role]
		if got := ids(getJSON(t, u+v2+"?include_hidden=true", token[role])); got != want {
			t.Errorf("%s, ignored: %s, want %s", role, got, want)
		}
		if got := ids(getJSON(t, u+v2, token[role])); got != want {
			t.Errorf("%s, without include_hidden: %s, want %s", role, got, want)
		}
	}
	getJSON(t, u+v2+"3/", token[RoleViewer]).wantError(t, 404)
	if r := getJSON(t, u+v2+"3/", token[RoleCatalogAdmin]); r.status != 200 {
		t.Errorf("a Catalog Admin reads a private source by id: %d", r.status)
	}
}

// Admins of either kind may sync; a Viewer is refused 403 before its body
// is read, as Django REST framework checks permissions first.
func TestRoles_sync(t *testing.T) {
	f, u := NewTestServer(t)
	f.AddSourceTable(8, "s", "t", "TABLE")
	f.AddDataSource(DataSource{ID: 8, Title: "ds"})
	for i, role := range Roles {
		f.AddUserWithRole(int64(10+i), role)
		tok := f.IssueAccessToken(int64(10+i), time.Hour)
		r := postJSON(t, u+"/api/v1/table/sync/", tok, `{"datasource_id": 8, "schema": "s", "table": "t"}`)
		empty := postJSON(t, u+"/api/v1/table/sync/", tok, `{}`)
		if role.canSync() {
			if r.status != 201 || empty.status != 400 {
				t.Errorf("%s: sync %d, empty body %d; want 201 and 400", role, r.status, empty.status)
			}
			continue
		}
		r.wantError(t, 403, "not an admin")
		empty.wantError(t, 403, "not an admin")
	}
	if f.SyncCount(8, "s", "t") != 2 {
		t.Errorf("%d syncs, want the two admins'", f.SyncCount(8, "s", "t"))
	}
}

// AddUser keeps its meaning: an admin is a Server Admin, anyone else a
// Viewer.
func TestRoles_addUser(t *testing.T) {
	f := New()
	f.AddUser(1, true)
	f.AddUser(2, false)
	if f.roleOf(1) != RoleServerAdmin || f.roleOf(2) != RoleViewer || f.roleOf(3) != RoleViewer {
		t.Fatalf("roles %v %v %v", f.roleOf(1), f.roleOf(2), f.roleOf(3))
	}
}
