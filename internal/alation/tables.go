package alation

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
)

// SyncTableInput names one table for the Table Metadata Sync Trigger.
type SyncTableInput struct {
	DatasourceID int64  `json:"datasource_id"`
	Schema       string `json:"schema"`
	Table        string `json:"table"`
	// TableType is "TABLE" or "VIEW"; empty lets Alation default to TABLE.
	TableType string `json:"table_type,omitempty"`
}

func (in SyncTableInput) String() string { return TableName(in.DatasourceID, in.Schema, in.Table) }

// TableName names a table for messages, `ds 8, "main.dbo"."foobar"`: each
// part quoted, so that a trailing space, a dot inside a name or its case
// shows.
func TableName(dsID int64, schema, table string) string {
	return fmt.Sprintf("ds %d, %q.%q", dsID, schema, table)
}

// SyncedTable is the catalog entry the sync endpoint returns. What the
// answer left out, and the read by id that follows a thin answer could not
// tell either, stays unset: URL "", SchemaID 0, IsView nil.
type SyncedTable struct {
	ID           FlexInt       `json:"id"`
	URL          string        `json:"url"`
	Name         string        `json:"name"`
	SchemaName   string        `json:"schema_name"`
	Title        string        `json:"title"`
	Description  string        `json:"description"`
	DSID         FlexInt       `json:"ds_id"`
	IsView       *bool         `json:"is_view"`
	CustomFields []CustomField `json:"custom_fields"`
	SchemaID     FlexInt       `json:"schema_id"`
	Synonyms     FlexStrings   `json:"synonyms"`
	DBComment    FlexString    `json:"db_comment"`
}

// Contradicts reports whether the answer names another table than in's,
// compared exactly as CatalogTable.IsNamed does; a name the answer left
// out contradicts nothing.
func (t *SyncedTable) Contradicts(in SyncTableInput) bool {
	return (t.DSID > 0 && int64(t.DSID) != in.DatasourceID) ||
		(t.SchemaName != "" && t.SchemaName != in.Schema) || (t.Name != "" && t.Name != in.Table)
}

// SyncTable asks Alation to read one table's metadata from its database now
// (POST /api/v1/table/sync/). Alation answers 201 whether or not the table
// was already catalogued, so calling it again is safe. An answer without
// the entry's url, schema_id or is_view costs one read by id to learn them.
func (c *Client) SyncTable(ctx context.Context, in SyncTableInput) (*SyncedTable, error) {
	var out SyncedTable
	var ans answer
	if err := c.call(ctx, request{method: "POST", path: pathSyncTable, json: in, answer: &ans}, &out); err != nil {
		return nil, err
	}
	if out.ID <= 0 {
		return nil, &ResponseError{Method: "POST", Path: pathSyncTable, StatusCode: ans.status,
			ContentType: ans.contentType, Excerpt: Excerpt(ans.body, c.redact), Err: errors.New("the answer has no usable table id")}
	}
	if out.URL == "" || out.SchemaID <= 0 || out.IsView == nil {
		c.readBack(ctx, in, &out)
	}
	return &out, nil
}

// readBack fills in what a thin sync answer left out from the catalog
// entry under its id. An entry that is not the table synced, or a read
// that fails, fills nothing: the sync succeeded, and what Alation did not
// say stays unsaid rather than guessed.
func (c *Client) readBack(ctx context.Context, in SyncTableInput, t *SyncedTable) {
	e, err := c.GetTable(ctx, int64(t.ID))
	if err == nil && !e.IsNamed(in.DatasourceID, in.Schema, in.Table) {
		err = fmt.Errorf("id %d names another catalog entry, %s", t.ID, TableName(int64(e.DSID), e.SchemaName, e.Name))
	}
	if err != nil {
		c.log.Warn(ctx, "The sync's answer left out some of the table's catalog entry, and reading it by id did not tell them", map[string]any{
			"table": in.String(), "id": int64(t.ID), "error": err.Error(),
		})
		return
	}
	if t.URL == "" {
		t.URL = e.URL
	}
	if t.SchemaID <= 0 {
		t.SchemaID = e.SchemaID
	}
	if t.IsView == nil && e.TableType != "" {
		isView := e.TableType == "VIEW"
		t.IsView = &isView
	}
	if t.DSID <= 0 {
		t.DSID = e.DSID
	}
	t.SchemaName = cmp.Or(t.SchemaName, e.SchemaName)
	t.Name = cmp.Or(t.Name, e.Name)
}

// CatalogTable is a table as the Integration API v2 lists it.
type CatalogTable struct {
	ID                  FlexInt       `json:"id"`
	Name                string        `json:"name"`
	Title               string        `json:"title"`
	Description         string        `json:"description"`
	DSID                FlexInt       `json:"ds_id"`
	Key                 string        `json:"key"`
	URL                 string        `json:"url"`
	CustomFields        []CustomField `json:"custom_fields"`
	TableType           string        `json:"table_type"`
	SchemaID            FlexInt       `json:"schema_id"`
	SchemaName          string        `json:"schema_name"`
	TableComment        FlexString    `json:"table_comment"`
	BaseTableKey        FlexString    `json:"base_table_key"`
	SQL                 FlexString    `json:"sql"`
	PartitionColumns    FlexStrings   `json:"partition_columns"`
	PartitionDefinition FlexString    `json:"partition_definition"`
}

// TableFilter selects tables; zero fields are not filtered on.
type TableFilter struct {
	ID         int64
	DSID       int64
	SchemaID   int64
	SchemaName string
	Name       string
}

func (f TableFilter) query() url.Values {
	q := url.Values{}
	setInt := func(k string, v int64) {
		if v != 0 {
			q.Set(k, strconv.FormatInt(v, 10))
		}
	}
	setInt("id", f.ID)
	setInt("ds_id", f.DSID)
	setInt("schema_id", f.SchemaID)
	if f.SchemaName != "" {
		q.Set("schema_name", f.SchemaName)
	}
	if f.Name != "" {
		q.Set("name", f.Name)
	}
	return q
}

// ListTables returns every table matching f, following X-Next-Page.
func (c *Client) ListTables(ctx context.Context, f TableFilter) ([]CatalogTable, error) {
	return listAll[CatalogTable](ctx, c, request{method: "GET", path: pathTables, query: f.query()})
}

// StreamTables yields the tables matching f in Alation's order, reading
// pageSize rows a request (Alation's default, 100, when zero; at most
// MaxPageSize) and following X-Next-Page. A loop that breaks early reads no
// further page: one that wants ten tables of a schema of thousands asks for
// pages of ten and makes one request.
func (c *Client) StreamTables(ctx context.Context, f TableFilter, pageSize int) iter.Seq2[CatalogTable, error] {
	return c.TableListing(ctx, f, pageSize).All()
}

// GetTable reads one table by id; a *NotFoundError when it is not catalogued.
func (c *Client) GetTable(ctx context.Context, id int64) (*CatalogTable, error) {
	tables, err := c.ListTables(ctx, TableFilter{ID: id})
	if err != nil {
		return nil, err
	}
	for i := range tables {
		if int64(tables[i].ID) == id {
			return &tables[i], nil
		}
	}
	return nil, &NotFoundError{Kind: "table", What: fmt.Sprintf("id %d", id)}
}

// FindTable reads one table by data source, schema and exact,
// case-sensitive name. Alation's name filter may match loosely, so the
// answer is checked here too.
func (c *Client) FindTable(ctx context.Context, dsID int64, schema, name string) (*CatalogTable, error) {
	tables, err := c.ListTables(ctx, TableFilter{DSID: dsID, SchemaName: schema, Name: name})
	if err != nil {
		return nil, err
	}
	for i := range tables {
		if tables[i].IsNamed(dsID, schema, name) {
			return &tables[i], nil
		}
	}
	return nil, &NotFoundError{Kind: "table", What: TableName(dsID, schema, name)}
}

// IsNamed reports whether t is the table dsID's schema.name, compared
// exactly as Alation reports them: names are case-sensitive, and a
// two-level schema is one name, "main.dbo".
func (t *CatalogTable) IsNamed(dsID int64, schema, name string) bool {
	return int64(t.DSID) == dsID && t.SchemaName == schema && t.Name == name
}

// pathSchemas lists schemas; only look-up hints use it.
const pathSchemas = "/integration/v2/schema/"

// hintPageSize is the one page a hint look-up reads: Alation's cap per call.
const hintPageSize = 1000

// CatalogSchema is a schema as GET /integration/v2/schema/ lists it.
type CatalogSchema struct {
	ID   FlexInt `json:"id"`
	Name string  `json:"name"`
	DSID FlexInt `json:"ds_id"`
}

// TableHints says why FindTable found nothing, as far as the catalog can
// tell: whether the schema is catalogued, and what is there instead.
type TableHints struct {
	// SchemaFound is true when the data source has a schema of exactly
	// the name looked for.
	SchemaFound bool
	// CaseVariants are the schema's tables whose name differs from the one
	// looked for only in case (set when SchemaFound).
	CaseVariants []CatalogTable
	// Schemas are the data source's schemas (set when !SchemaFound); empty
	// when the data source has none catalogued, or does not exist.
	Schemas []CatalogSchema
	// Truncated means a listing had more than one page and only the first
	// was read, or its one page was a full 1,000 rows, where Alation's cap
	// may have stopped it: the hints may be incomplete.
	Truncated bool
}

// FindTableHints explains a FindTable that found nothing. It reads at most
// one page of each listing (two or three requests), so it stays cheap on
// large catalogs; its answer is advice, not proof.
func (c *Client) FindTableHints(ctx context.Context, dsID int64, schema, name string) (*TableHints, error) {
	found, err := c.schemaNamed(ctx, dsID, schema)
	if err != nil {
		return nil, err
	}
	h := &TableHints{SchemaFound: found}
	if !found {
		h.Schemas, h.Truncated, err = c.schemaPage(ctx, dsID)
		if err != nil {
			return nil, err
		}
		return h, nil
	}
	h.CaseVariants, h.Truncated, err = c.TableCaseVariants(ctx, dsID, schema, name)
	if err != nil {
		return nil, err
	}
	return h, nil
}

// TableCaseVariants lists the catalogued tables of a schema whose name
// differs from name only in case, the commonest reason a table is "not
// found". It reads one page of the schema's tables (one request, at most
// hintPageSize rows); truncated means the schema has more, or may have
// (a full page, where a listing cap would stop it), so the answer is
// advice, not proof.
func (c *Client) TableCaseVariants(ctx context.Context, dsID int64, schema, name string) (variants []CatalogTable, truncated bool, err error) {
	var tables []CatalogTable
	q := url.Values{"ds_id": {strconv.FormatInt(dsID, 10)}, "schema_name": {schema}, "limit": {strconv.Itoa(hintPageSize)}}
	hdr, err := c.callHeader(ctx, request{method: "GET", path: pathTables, query: q}, &tables)
	if err != nil {
		return nil, false, err
	}
	for _, t := range tables {
		if t.Name != name && strings.EqualFold(t.Name, name) {
			variants = append(variants, t)
		}
	}
	return variants, hdr.Get("X-Next-Page") != "" || len(tables) >= hintPageSize, nil
}
