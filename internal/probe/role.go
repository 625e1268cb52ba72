package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Alation has no documented endpoint that tells a token's role. Two
// answers tell it: the listing of hidden data sources, which only Server
// Admins may ask for, and the sync's permission check, which Django REST
// framework makes before it reads the body, so an empty body that can sync
// nothing shows whether this user may sync.

const pathV1DataSources = "/integration/v1/datasource/"

// role reports include_hidden, the sync's permission and the role they
// point to.
func (p *prober) role(ctx context.Context) []Row {
	hidden, honoured, refused := p.includeHidden(ctx)
	sync, maySync, refusedSync := p.syncPermission(ctx)
	var role string
	switch {
	case honoured:
		role = "a Server Admin (lists hidden data sources)"
	case refusedSync:
		role = "not an admin, such as a Viewer: the sync refuses it, so alation_table_sync cannot work with these credentials"
	case maySync && refused:
		role = "an admin who is not a Server Admin, such as a Catalog Admin: it may sync; data source look-ups by title do not search hidden sources"
	case maySync:
		role = "may sync; whether it is a Server Admin cannot be told (no hidden data source was listed)"
	default:
		role = "cannot tell"
	}
	return []Row{hidden, sync, {"role", role}}
}

// includeHidden asks the v1 listing for hidden sources, and compares with
// the listing without: honoured means more (or hidden) sources came back,
// refused that Alation said no.
func (p *prober) includeHidden(ctx context.Context) (row Row, honoured, refused bool) {
	const check = "include_hidden=true (Server Admins only)"
	with := p.get(ctx, pathV1DataSources, url.Values{"include_hidden": {"true"}})
	if with.err != nil || with.status != http.StatusOK {
		return Row{check, "refused: " + with.describe()}, false, with.err == nil
	}
	var listed []struct {
		Hidden bool `json:"is_hidden"`
	}
	if err := json.Unmarshal(with.body, &listed); err != nil {
		return Row{check, "HTTP 200, but not a list: " + with.describe()}, false, false
	}
	var plain []json.RawMessage
	without := p.get(ctx, pathV1DataSources, nil)
	_ = json.Unmarshal(without.body, &plain)
	for _, ds := range listed {
		if ds.Hidden {
			return Row{check, fmt.Sprintf("allowed and honoured (HTTP 200): %d sources, %d without it, hidden ones among them", len(listed), len(plain))}, true, false
		}
	}
	return Row{check, fmt.Sprintf("accepted (HTTP 200), but no hidden source listed (%d sources, %d without it): "+
		"either there is none, or Alation left them out without saying so", len(listed), len(plain))}, false, false
}

// syncPermission posts an empty body to the sync, which cannot sync
// anything: a 403 is the permission check, a 400 the body's validation,
// reached only past that check.
func (p *prober) syncPermission(ctx context.Context) (row Row, maySync, refused bool) {
	const check = "sync permission (empty body, syncs nothing)"
	a := p.do(ctx, "POST", "/api/v1/table/sync/", nil, p.authHeaders(), []byte("{}"))
	switch {
	case a.err != nil:
		return Row{check, a.describe()}, false, false
	case a.status == http.StatusForbidden:
		return Row{check, "refused, not an admin: " + a.describe()}, false, true
	case a.status == http.StatusBadRequest:
		return Row{check, "past the permission check (HTTP 400 for the empty body): an admin, or Alation reads the body first: " + a.describe()}, true, false
	}
	return Row{check, a.describe()}, false, false
}

// pastTheCap asks for the row after the first 1,000 directly, when a full
// page of 1,000 came without a next link.
func (p *prober) pastTheCap(ctx context.Context) string {
	a := p.get(ctx, pathTables, url.Values{"limit": {"1"}, "skip": {"1000"}})
	var rows []json.RawMessage
	if a.err != nil || a.status != http.StatusOK || json.Unmarshal(a.body, &rows) != nil {
		return "no next page after 1,000 rows, and skip=1000 failed: " + a.describe()
	}
	if len(rows) > 0 {
		return "no next page after 1,000 rows, yet skip=1000 lists more: the link stops at the cap, the rows do not"
	}
	return "no: 1,000 rows, no next page, and nothing at skip=1000: a cap on the whole listing (alation.api.catalog.limit), or exactly 1,000 tables"
}
