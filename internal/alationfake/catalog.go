package alationfake

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Page sizes of the Integration API listings.
const (
	defaultPageSize = 100
	maxPageSize     = 1000
)

// tableItem is a table as GET /integration/v2/table/ lists it.
type tableItem struct {
	ID                  int64   `json:"id"`
	Name                string  `json:"name"`
	Title               string  `json:"title"`
	Description         string  `json:"description"`
	DSID                int64   `json:"ds_id"`
	Key                 string  `json:"key"`
	URL                 string  `json:"url"`
	CustomFields        []any   `json:"custom_fields"`
	TableType           string  `json:"table_type"`
	SchemaID            int64   `json:"schema_id"`
	SchemaName          string  `json:"schema_name"`
	TableComment        *string `json:"table_comment"`
	BaseTableKey        *string `json:"base_table_key"`
	SQL                 *string `json:"sql"`
	PartitionColumns    []any   `json:"partition_columns"`
	PartitionDefinition *string `json:"partition_definition"`
}

// schemaItem is a schema as GET /integration/v2/schema/ lists it.
type schemaItem struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	DSID         int64  `json:"ds_id"`
	Key          string `json:"key"`
	URL          string `json:"url"`
	CustomFields []any  `json:"custom_fields"`
}

// dataSourceItem is a data source as the v1 and v2 listings show it.
type dataSourceItem struct {
	ID                      int64  `json:"id"`
	Title                   string `json:"title"`
	Description             string `json:"description"`
	DBType                  string `json:"dbtype"`
	Host                    string `json:"host"`
	Port                    int64  `json:"port"`
	URI                     string `json:"uri"`
	DBName                  string `json:"dbname"`
	IsVirtual               bool   `json:"is_virtual"`
	IsHidden                bool   `json:"is_hidden"`
	Private                 bool   `json:"private"`
	DeploymentSetupComplete bool   `json:"deployment_setup_complete"`
	OType                   string `json:"otype"`
	URL                     string `json:"url"`
	ConnectorID             *int64 `json:"connector_id,omitempty"`
}

// listQuery is a parsed listing query string.
type listQuery struct {
	vals  url.Values
	limit int
	skip  int
}

// parseListQuery reads limit and skip; defLimit applies when limit is absent.
func parseListQuery(r *http.Request, defLimit int) (listQuery, *apiErr) {
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return listQuery{}, badRequest("Malformed query string.")
	}
	q := listQuery{vals: vals, limit: defLimit}
	if vals.Has("limit") {
		n, err := strconv.Atoi(vals.Get("limit"))
		if err != nil || n < 1 {
			return q, badRequest("Invalid value for limit: a positive integer is required.")
		}
		q.limit = min(n, maxPageSize)
	}
	if vals.Has("skip") {
		n, err := strconv.Atoi(vals.Get("skip"))
		if err != nil || n < 0 {
			return q, badRequest("Invalid value for skip: a non-negative integer is required.")
		}
		q.skip = n
	}
	return q, nil
}

// intFilter reads an optional integer filter.
func (q listQuery) intFilter(name string) (val int64, present bool, e *apiErr) {
	if !q.vals.Has(name) {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(q.vals.Get(name)), 10, 64)
	if err != nil {
		return 0, true, badRequest("Invalid value for %s: a valid integer is required.", name)
	}
	return n, true, nil
}

// strLookups are the Django-style lookups accepted on text fields.
var strLookups = []string{"", "__exact", "__iexact", "__contains", "__icontains",
	"__startswith", "__istartswith", "__endswith", "__iendswith"}

// strMatcher returns a predicate that applies every text lookup given for field.
func (q listQuery) strMatcher(field string) func(string) bool {
	type lookup struct{ op, val string }
	var ls []lookup
	for _, op := range strLookups {
		if q.vals.Has(field + op) {
			ls = append(ls, lookup{op, q.vals.Get(field + op)})
		}
	}
	return func(s string) bool {
		for _, l := range ls {
			ok := false
			switch l.op {
			case "", "__exact":
				ok = s == l.val
			case "__iexact":
				ok = strings.EqualFold(s, l.val)
			case "__contains":
				ok = strings.Contains(s, l.val)
			case "__icontains":
				ok = strings.Contains(strings.ToLower(s), strings.ToLower(l.val))
			case "__startswith":
				ok = strings.HasPrefix(s, l.val)
			case "__istartswith":
				ok = strings.HasPrefix(strings.ToLower(s), strings.ToLower(l.val))
			case "__endswith":
				ok = strings.HasSuffix(s, l.val)
			case "__iendswith":
				ok = strings.HasSuffix(strings.ToLower(s), strings.ToLower(l.val))
			}
			if !ok {
				return false
			}
		}
		return true
	}
}

// intMatcher reads integer filters; the predicate accepts values equal to
// every one given.
func (q listQuery) intMatcher(names ...string) (map[string]int64, *apiErr) {
	m := map[string]int64{}
	for _, n := range names {
		v, ok, e := q.intFilter(n)
		if e != nil {
			return nil, e
		}
		if ok {
			m[n] = v
		}
	}
	return m, nil
}

// eqIfSet reports whether filter name is absent or equal to v.
func eqIfSet(m map[string]int64, name string, v int64) bool {
	want, ok := m[name]
	return !ok || want == v
}

// writePage sends the requested slice of items, after the server time f's
// ListingCost gives it, and, when more remain, the X-Next-Page header
// pointing at the next slice: linkBase, then r's path and the query. A
// PagingLoop changes the slice and the link.
func writePage[T any](f *Fake, w http.ResponseWriter, r *http.Request, q listQuery, items []T, linkBase string) {
	items = items[:f.listable(len(items))]
	start := min(q.skip, len(items))
	end := len(items)
	if q.limit > 0 && q.limit < end-start {
		end = start + q.limit
	}
	next := ""
	if end < len(items) {
		next = withSkip(q, end)
	}
	start, end, next = loopPage(f.currentPagingLoop(), q, start, end, len(items), next)
	if next != "" {
		w.Header().Set("X-Next-Page", linkBase+r.URL.Path+"?"+next)
	}
	out := items[start:end]
	if out == nil {
		out = []T{}
	}
	if !f.waitListing(r, len(out)) {
		shuttingDown(w, r)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// handleTables implements GET /integration/v2/table/.
func (f *Fake) handleTables(w http.ResponseWriter, r *http.Request) {
	q, e := parseListQuery(r, defaultPageSize)
	if e = firstErr(e, f.unknownParams(r, tableParams)); e != nil {
		writeAPIErr(w, e)
		return
	}
	ints, e := q.intMatcher("id", "ds_id", "schema_id")
	if e != nil {
		writeError(w, e.status, e.detail)
		return
	}
	nameOK, schemaOK := q.strMatcher("name"), q.strMatcher("schema_name")

	f.mu.Lock()
	items := make([]tableItem, 0)
	for _, t := range f.tables {
		if !eqIfSet(ints, "id", t.ID) || !eqIfSet(ints, "ds_id", t.DSID) ||
			!eqIfSet(ints, "schema_id", t.SchemaID) || !nameOK(t.Name) || !schemaOK(t.SchemaName) {
			continue
		}
		var partitionColumns []any // null when nullPartitionColumns has none
		if len(t.Details.PartitionColumns) > 0 || !f.nullPartitionColumns {
			partitionColumns = make([]any, 0, len(t.Details.PartitionColumns))
		}
		for _, c := range t.Details.PartitionColumns {
			partitionColumns = append(partitionColumns, c)
		}
		items = append(items, tableItem{
			ID: t.ID, Name: t.Name, Title: t.Title, Description: t.Description, DSID: t.DSID,
			Key: t.Key, URL: t.URL, CustomFields: slices.Clone(nonNil(t.CustomFields)),
			TableType: t.TableType, SchemaID: t.SchemaID, SchemaName: t.SchemaName,
			TableComment: t.Details.TableComment, BaseTableKey: t.Details.BaseTableKey, SQL: t.Details.SQL,
			PartitionColumns: partitionColumns, PartitionDefinition: t.Details.PartitionDefinition,
		})
	}
	f.mu.Unlock()
	slices.SortFunc(items, func(a, b tableItem) int { return cmp.Compare(a.ID, b.ID) })
	writePage(f, w, r, q, items, f.linkBase(r))
}

// handleSchemas implements GET /integration/v2/schema/.
func (f *Fake) handleSchemas(w http.ResponseWriter, r *http.Request) {
	q, e := parseListQuery(r, defaultPageSize)
	if e = firstErr(e, f.unknownParams(r, schemaParams)); e != nil {
		writeAPIErr(w, e)
		return
	}
	ints, e := q.intMatcher("id", "ds_id")
	if e != nil {
		writeError(w, e.status, e.detail)
		return
	}
	nameOK := q.strMatcher("name")

	f.mu.Lock()
	items := make([]schemaItem, 0)
	for _, s := range f.schemas {
		if !eqIfSet(ints, "id", s.id) || !eqIfSet(ints, "ds_id", s.dsID) || !nameOK(s.name) {
			continue
		}
		items = append(items, schemaItem{
			ID: s.id, Name: s.name, Title: s.title, Description: s.description, DSID: s.dsID,
			Key: fmt.Sprintf("%d.%s", s.dsID, s.name), URL: fmt.Sprintf("/schema/%d/", s.id),
			CustomFields: []any{},
		})
	}
	f.mu.Unlock()
	slices.SortFunc(items, func(a, b schemaItem) int { return cmp.Compare(a.ID, b.ID) })
	writePage(f, w, r, q, items, f.linkBase(r))
}

func dataSourceView(ds *DataSource) dataSourceItem {
	item := dataSourceItem{
		ID: ds.ID, Title: ds.Title, Description: ds.Description, DBType: ds.DBType,
		Host: ds.Host, Port: ds.Port, URI: ds.URI, DBName: ds.DBName, IsVirtual: ds.IsVirtual,
		IsHidden: ds.Hidden, Private: ds.Private,
		DeploymentSetupComplete: true, OType: "data", URL: fmt.Sprintf("/data/%d/", ds.ID),
	}
	if !ds.Legacy && ds.ConnectorID != 0 {
		item.ConnectorID = &ds.ConnectorID
	}
	return item
}

// boolParam reads a Django REST boolean query parameter; absent is false.
func (q listQuery) boolParam(name string) (bool, *apiErr) {
	if !q.vals.Has(name) {
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(q.vals.Get(name))) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off", "":
		return false, nil
	}
	return false, badRequest("Invalid value for %s: must be true or false.", name)
}

// handleDataSources lists data sources: legacy ones for the v1 endpoint, OCF
// ones for v2. The v1 list is unpaged unless limit or skip is given. Hidden
// sources are listed only with include_hidden=true, which only a Server
// Admin may ask for (see roles.go); private ones only to admins.
func (f *Fake) handleDataSources(w http.ResponseWriter, r *http.Request, legacy bool, userID int64) {
	def := defaultPageSize
	if legacy {
		def = 0 // everything
	}
	q, e := parseListQuery(r, def)
	if e = firstErr(e, f.unknownParams(r, dataSourceParams)); e != nil {
		writeAPIErr(w, e)
		return
	}
	includeHidden, e := q.boolParam("include_hidden")
	if e != nil {
		writeError(w, e.status, e.detail)
		return
	}
	if includeHidden {
		if includeHidden, e = f.includeHidden(userID); e != nil {
			writeAPIErr(w, e)
			return
		}
	}
	f.mu.Lock()
	items := make([]dataSourceItem, 0)
	for _, ds := range f.dataSources {
		if ds.Legacy == legacy && (includeHidden || !ds.Hidden) && f.seesDataSource(userID, ds) {
			items = append(items, dataSourceView(ds))
		}
	}
	f.mu.Unlock()
	slices.SortFunc(items, func(a, b dataSourceItem) int { return cmp.Compare(a.ID, b.ID) })
	writePage(f, w, r, q, items, f.linkBase(r))
}

// handleDataSource answers GET /integration/v{1,2}/datasource/<id>/.
func (f *Fake) handleDataSource(w http.ResponseWriter, r *http.Request, id int64, legacy bool, userID int64) {
	if e := f.unknownParams(r, nil); e != nil {
		writeAPIErr(w, e)
		return
	}
	f.mu.Lock()
	ds, ok := f.dataSources[id]
	var item dataSourceItem
	if ok && ds.Legacy == legacy && f.seesDataSource(userID, ds) {
		item = dataSourceView(ds)
	} else {
		ok = false
	}
	f.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "Not found.")
		return
	}
	writeJSON(w, http.StatusOK, item)
}
