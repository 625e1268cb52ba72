// Package alationfake is an in-memory emulator of the parts of the Alation
// REST API that the provider uses: the table metadata sync trigger, the three
// ways of obtaining an access token, and the Integration API listings of data
// sources, schemas and tables.
//
// It is meant for unit tests, Terraform acceptance tests driven through the
// real Terraform CLI, demos and benchmarks. A Fake is an http.Handler; Start
// serves it on a loopback port. Everything is guarded by one mutex, so a Fake
// may be used from many goroutines at once, and no request can make it panic.
//
// Test code arranges the world (data sources, schemas, tables that exist in
// the database, tables already in the catalog, users and credentials), can
// inject faults and latency, and inspects the request log afterwards.
package alationfake

import (
	"fmt"
	mrand "math/rand"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// First Alation id handed to a table that enters the catalog.
const firstTableID = 17000

// First Alation id handed to a schema.
const firstSchemaID = 700

// Default lifetime of tokens minted through createAPIAccessToken and the
// OAuth token endpoint.
const defaultMintedTTL = 24 * time.Hour

// Fixed credentials created by SeedDemo, so that scripts and demos can rely on
// them, in the shapes of Alation's own (43 and 86 URL-safe characters). They
// only ever grant access to a fake running on loopback.
const (
	DemoUserID            int64 = 1
	DemoAccessToken             = "alationfake-demo-admin-access-token-0000000"
	DemoRefreshToken            = "alationfake-demo-admin-refresh-token-0000000000000000000000000000000000000000000000000"
	DemoOAuthClientID           = "demo-client"
	DemoOAuthClientSecret       = "demo-secret"
	DemoNonAdminUserID    int64 = 2
	DemoNonAdminToken           = "alationfake-demo-steward-access-token-00000"
)

// DataSource describes a data source registered in Alation.
type DataSource struct {
	ID          int64
	Title       string
	Description string
	DBType      string
	Host        string
	Port        int64
	URI         string
	DBName      string
	IsVirtual   bool
	// Legacy marks an older native connector: it is listed under
	// /integration/v1/datasource/ only. Otherwise it is an OCF connector,
	// listed under /integration/v2/datasource/ only.
	Legacy bool
	// Unreachable makes every sync against this source fail with 500, as if
	// Alation could not open a connection to the database.
	Unreachable bool
	// Hidden hides the source from the listings unless they are asked with
	// include_hidden=true, as Alation does; GET by id still finds it.
	Hidden bool
	// Private marks a source visible only to its viewers (reported only).
	Private bool
	// ConnectorID is the OCF connector's id, reported by the v2 endpoints
	// only (omitted when zero).
	ConnectorID int64
}

// Table is a catalog table as the Integration API v2 reports it.
type Table struct {
	ID           int64
	Name         string
	Title        string
	Description  string
	DSID         int64
	SchemaID     int64
	SchemaName   string
	TableType    string // "TABLE" or "VIEW"; see SetCatalogTableType
	Key          string // "<ds_id>.<schema>.<name>"
	URL          string // "/table/<id>/"
	CustomFields []any
	// Details are the fields only some tables have; see SetTableDetails.
	Details TableDetails
}

// TableDetails are the table fields an extraction fills in for some tables
// only: a nil pointer (or nil slice) is reported as null (or []).
type TableDetails struct {
	TableComment        *string
	BaseTableKey        *string // for views, synonyms, external tables...
	SQL                 *string // a view's definition
	PartitionColumns    []string
	PartitionDefinition *string
}

func (d TableDetails) clone() TableDetails {
	d.PartitionColumns = slices.Clone(d.PartitionColumns)
	return d
}

// schema is a schema known to the catalog.
type schema struct {
	id          int64
	dsID        int64
	name        string
	title       string
	description string
	excluded    bool
}

// tableKey names a table in a data source.
type tableKey struct {
	dsID   int64
	schema string
	table  string
}

// schemaKey names a schema in a data source.
type schemaKey struct {
	dsID   int64
	schema string
}

type tokenKind int

const (
	accessToken tokenKind = iota
	refreshToken
)

// token is any credential the fake knows about.
type token struct {
	value   string
	kind    tokenKind
	userID  int64
	created time.Time
	expires time.Time
	jwt     bool // an OAuth access token (see SetOAuthTokenHeader)
}

type oauthClient struct {
	secret string
	userID int64
}

// Fake is the emulator. Create it with New or NewTestServer.
type Fake struct {
	mu sync.Mutex

	// release is what GET /full_version tells; empty answers 404.
	release string

	// Clock: the real clock plus whatever Advance added.
	clockOffset time.Duration

	// The world.
	dataSources   map[int64]*DataSource
	schemas       map[int64]*schema
	schemaByName  map[schemaKey]int64
	nextSchemaID  int64
	sourceTables  map[tableKey]string // value: "TABLE" or "VIEW"
	denied        map[tableKey]bool
	tables        map[int64]*Table
	tableByKey    map[tableKey]int64
	nextTableID   int64
	users         map[int64]Role
	tokens        map[string]*token
	oauthClients  map[string]oauthClient
	mintedTTL     time.Duration
	expiredStatus int
	auth          authVariants
	// strictTableType makes a sync whose table_type is not what the
	// database reports answer 404 (see SetStrictTableType).
	strictTableType bool
	// syncAnswer is how much a successful sync says (see SetSyncAnswer).
	syncAnswer SyncAnswer
	// uncatalogued are schemas of the database that no metadata
	// extraction has catalogued yet (see AddSourceSchema).
	uncatalogued map[schemaKey]bool
	// wording is how the sync words its refusals (see SetErrorWording).
	wording ErrorWording
	// hiddenRefusal is how include_hidden=true is refused to a user who
	// is not a Server Admin (see SetIncludeHiddenRefusal).
	hiddenRefusal IncludeHiddenRefusal
	// lenientParams accepts unknown query parameters (see SetStrictParams).
	lenientParams bool
	// catalogLimit caps a whole listing, all pages together (see
	// SetCatalogLimit); 0 caps each call only.
	catalogLimit int
	// nullPartitionColumns lists a table without partition columns with
	// partition_columns: null (see SetNullPartitionColumns).
	nullPartitionColumns bool

	// Faults and latency.
	latency      time.Duration
	listingCost  ListingCost
	queued       map[string][]Fault
	randFraction float64
	randStatuses []int
	rng          *mrand.Rand
	beforeHandle func(*http.Request)

	// Log and counters.
	requests    []Request
	logGen      int
	syncCounts  map[tableKey]int
	mintCount   int
	inFlight    int
	maxInFlight int
	connections int

	// Serving.
	pathPrefix string
	pagingLink PagingLink
	pagingLoop PagingLoop
	redirects  []redirect
	server     *httptest.Server
	closed     chan struct{}
}

// New returns a Fake with an empty catalog, no users and the real clock.
func New() *Fake {
	return &Fake{
		release:       DefaultRelease,
		dataSources:   map[int64]*DataSource{},
		schemas:       map[int64]*schema{},
		schemaByName:  map[schemaKey]int64{},
		nextSchemaID:  firstSchemaID,
		uncatalogued:  map[schemaKey]bool{},
		sourceTables:  map[tableKey]string{},
		denied:        map[tableKey]bool{},
		tables:        map[int64]*Table{},
		tableByKey:    map[tableKey]int64{},
		nextTableID:   firstTableID,
		users:         map[int64]Role{},
		tokens:        map[string]*token{},
		oauthClients:  map[string]oauthClient{},
		mintedTTL:     defaultMintedTTL,
		expiredStatus: 403,
		auth:          defaultAuthVariants,
		queued:        map[string][]Fault{},
		syncCounts:    map[tableKey]int{},
		closed:        make(chan struct{}),
	}
}

// now is the fake's clock. Callers hold f.mu.
func (f *Fake) now() time.Time {
	return time.Now().Add(f.clockOffset)
}

// Advance moves the fake's clock forward by d. Token expiry is judged on this
// clock.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clockOffset += d
}

// AddDataSource registers (or replaces) a data source.
func (f *Fake) AddDataSource(ds DataSource) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := ds
	f.dataSources[ds.ID] = &c
}

// AddSchema registers a schema of a data source and returns its id. The name
// may have two parts ("main.dbo"). An excluded schema makes syncs answer 400.
// Adding an existing schema again updates its excluded flag and keeps its id.
func (f *Fake) AddSchema(dsID int64, schemaName string, excluded bool) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.ensureSchema(dsID, schemaName)
	s.excluded = excluded
	return s.id
}

// ensureSchema returns the schema, creating it when needed. Callers hold f.mu.
func (f *Fake) ensureSchema(dsID int64, name string) *schema {
	k := schemaKey{dsID, name}
	if id, ok := f.schemaByName[k]; ok {
		return f.schemas[id]
	}
	s := &schema{id: f.nextSchemaID, dsID: dsID, name: name}
	delete(f.uncatalogued, k)
	f.nextSchemaID++
	f.schemas[s.id] = s
	f.schemaByName[k] = s.id
	return s
}

// normType maps anything but "VIEW" to "TABLE".
func normType(t string) string {
	if strings.EqualFold(t, "VIEW") {
		return "VIEW"
	}
	return "TABLE"
}

// AddSourceTable makes a table or view exist in the database without being in
// the catalog yet. The schema is registered (not excluded) when unknown,
// unless AddSourceSchema made it a schema no extraction has catalogued.
func (f *Fake) AddSourceTable(dsID int64, schemaName, table, tableType string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.uncatalogued[schemaKey{dsID, schemaName}] {
		f.ensureSchema(dsID, schemaName)
	}
	f.sourceTables[tableKey{dsID, schemaName, table}] = normType(tableType)
}

// DenySourceTable hides a table from the data source's service account: a
// sync of it answers 403.
func (f *Fake) DenySourceTable(dsID int64, schemaName, table string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.denied[tableKey{dsID, schemaName, table}] = true
}

// DropSourceTable removes a table from the database. A later sync answers 404;
// the catalog entry, if any, stays as it was.
func (f *Fake) DropSourceTable(dsID int64, schemaName, table string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.sourceTables, tableKey{dsID, schemaName, table})
}

// AddCatalogTable makes a table exist both in the database and in the
// catalog, and returns its Alation id. If it is already catalogued, the
// existing id is returned.
func (f *Fake) AddCatalogTable(dsID int64, schemaName, table, tableType string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := tableKey{dsID, schemaName, table}
	tt := normType(tableType)
	f.ensureSchema(dsID, schemaName)
	f.sourceTables[k] = tt
	return f.catalogue(k, tt).ID
}

// catalogue returns the catalog entry for k, creating it with type tt when
// absent; an existing entry gets its type updated. Callers hold f.mu.
func (f *Fake) catalogue(k tableKey, tt string) *Table {
	if id, ok := f.tableByKey[k]; ok {
		t := f.tables[id]
		if t.TableType == "TABLE" || t.TableType == "VIEW" { // a SYNONYM stays one
			t.TableType = tt
		}
		return t
	}
	s := f.ensureSchema(k.dsID, k.schema)
	t := &Table{
		ID:           f.nextTableID,
		Name:         k.table,
		DSID:         k.dsID,
		SchemaID:     s.id,
		SchemaName:   k.schema,
		TableType:    tt,
		Key:          fmt.Sprintf("%d.%s.%s", k.dsID, k.schema, k.table),
		URL:          fmt.Sprintf("/table/%d/", f.nextTableID),
		CustomFields: []any{},
	}
	f.nextTableID++
	f.tables[t.ID] = t
	f.tableByKey[k] = t.ID
	return t
}

// RemoveCatalogTable deletes a table from the catalog (drift). The table stays
// in the database; a new sync catalogues it again under a new id.
func (f *Fake) RemoveCatalogTable(id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tables[id]
	if !ok {
		return
	}
	delete(f.tables, id)
	delete(f.tableByKey, tableKey{t.DSID, t.SchemaName, t.Name})
}

// SetTableTitle changes a catalog table's title and description, as a data
// steward would in the UI.
func (f *Fake) SetTableTitle(id int64, title, description string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.tables[id]; ok {
		t.Title = title
		t.Description = description
	}
}

// SetTableCustomFields replaces a catalog table's custom_fields items. They
// must be encodable as JSON.
func (f *Fake) SetTableCustomFields(id int64, fields []any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.tables[id]; ok {
		if fields == nil {
			fields = []any{}
		}
		t.CustomFields = slices.Clone(fields)
	}
}

// SetTableDetails replaces a catalog table's optional fields (comment,
// view SQL, partitioning...), as a metadata extraction would.
func (f *Fake) SetTableDetails(id int64, d TableDetails) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.tables[id]; ok {
		t.Details = d.clone()
	}
}

// CatalogTable returns a copy of a catalog table.
func (f *Fake) CatalogTable(id int64) (Table, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tables[id]
	if !ok {
		return Table{}, false
	}
	c := *t
	c.CustomFields = slices.Clone(t.CustomFields)
	c.Details = t.Details.clone()
	return c, true
}

// CatalogTableCount is the number of tables in the catalog.
func (f *Fake) CatalogTableCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.tables)
}

// SeedDemo fills the fake with a small, realistic catalog and credentials and
// returns the admin's static access token (DemoAccessToken).
//
//   - user 1 (a Server Admin): static token DemoAccessToken, refresh token
//     DemoRefreshToken, OAuth client DemoOAuthClientID/DemoOAuthClientSecret;
//     user 2 (a Viewer): static token DemoNonAdminToken.
//   - ds 8 "Snowflake Prod" (OCF), schema "ANALYTICS.PUBLIC": source tables
//     ORDERS and CUSTOMERS (a view), ORDER_ITEMS already catalogued;
//     "ANALYTICS.STAGING" excluded; "ANALYTICS.FINANCE" with SALARIES hidden
//     from the service account.
//   - ds 3 "Postgres Ops" (legacy), schema "public": events, users
//     (catalogued), active_users (a view).
//   - ds 14 "Databricks Lakehouse" (OCF), schema "main.sales": orders, returns.
//   - ds 11 "Oracle HR" (legacy, unreachable), schema "HR": EMPLOYEES.
//   - ds 15 "Sandbox" (legacy), hidden from listings without include_hidden.
func (f *Fake) SeedDemo() string {
	f.AddDataSource(DataSource{ID: 8, Title: "Snowflake Prod", Description: "Production analytics warehouse.",
		DBType: "snowflake", Host: "acme.snowflakecomputing.com", Port: 443,
		URI: "snowflake://acme.snowflakecomputing.com:443/?warehouse=ANALYTICS_WH", DBName: "ANALYTICS"})
	f.AddSchema(8, "ANALYTICS.PUBLIC", false)
	f.AddSourceTable(8, "ANALYTICS.PUBLIC", "ORDERS", "TABLE")
	f.AddSourceTable(8, "ANALYTICS.PUBLIC", "CUSTOMERS", "VIEW")
	items := f.AddCatalogTable(8, "ANALYTICS.PUBLIC", "ORDER_ITEMS", "TABLE")
	f.SetTableTitle(items, "Order items", "<p>One row per line of an order.</p>\n")
	f.AddSchema(8, "ANALYTICS.STAGING", true)
	f.AddSourceTable(8, "ANALYTICS.STAGING", "RAW_ORDERS", "TABLE")
	f.AddSchema(8, "ANALYTICS.FINANCE", false)
	f.AddSourceTable(8, "ANALYTICS.FINANCE", "SALARIES", "TABLE")
	f.DenySourceTable(8, "ANALYTICS.FINANCE", "SALARIES")

	f.AddDataSource(DataSource{ID: 3, Title: "Postgres Ops", Description: "Operational database.",
		DBType: "postgresql", Host: "pg-ops.internal", Port: 5432,
		URI: "postgresql://pg-ops.internal:5432/ops", DBName: "ops", Legacy: true})
	f.AddSchema(3, "public", false)
	f.AddSourceTable(3, "public", "events", "TABLE")
	f.AddCatalogTable(3, "public", "users", "TABLE")
	f.AddSourceTable(3, "public", "active_users", "VIEW")

	f.AddDataSource(DataSource{ID: 14, Title: "Databricks Lakehouse", Description: "Unity Catalog workspace.",
		DBType: "databricks", Host: "dbc-1234.cloud.databricks.com", Port: 443,
		URI: "databricks://dbc-1234.cloud.databricks.com:443/main", DBName: "main"})
	f.AddSchema(14, "main.sales", false)
	f.AddSourceTable(14, "main.sales", "orders", "TABLE")
	f.AddSourceTable(14, "main.sales", "returns", "TABLE")

	f.AddDataSource(DataSource{ID: 11, Title: "Oracle HR", Description: "Behind a firewall Alation cannot pass.",
		DBType: "oracle", Host: "oracle-hr.internal", Port: 1521,
		URI: "oracle://oracle-hr.internal:1521/HR", DBName: "HR", Legacy: true, Unreachable: true})
	f.AddSchema(11, "HR", false)
	f.AddSourceTable(11, "HR", "EMPLOYEES", "TABLE")

	// Hidden: listed only to a Server Admin asking include_hidden=true.
	f.AddDataSource(DataSource{ID: 15, Title: "Sandbox", Description: "Hidden from Alation's lists of sources.",
		DBType: "postgresql", Host: "sandbox.internal", Port: 5432, URI: "postgresql://sandbox.internal:5432/sandbox",
		DBName: "sandbox", Legacy: true, Hidden: true})

	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[DemoUserID] = RoleServerAdmin
	f.users[DemoNonAdminUserID] = RoleViewer
	const year = 365 * 24 * time.Hour
	f.addToken(DemoAccessToken, accessToken, DemoUserID, year)
	f.addToken(DemoRefreshToken, refreshToken, DemoUserID, 60*24*time.Hour)
	f.addToken(DemoNonAdminToken, accessToken, DemoNonAdminUserID, year)
	f.oauthClients[DemoOAuthClientID] = oauthClient{secret: DemoOAuthClientSecret, userID: DemoUserID}
	return DemoAccessToken
}
