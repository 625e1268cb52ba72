package alation

import (
	"errors"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// The wordings every refusal is tested in: Alation's real words are unknown.
var wordings = []alationfake.ErrorWording{alationfake.WordingDocumented, alationfake.WordingTerse("Not found."), alationfake.WordingFieldKeyed}

func terse(wd alationfake.ErrorWording) bool { return wd.String() == "terse" }

// refusal is a sync the emulator refuses, and what it must be read as.
type refusal struct {
	name   string
	setup  func(w *world) (SyncTableInput, Credentials)
	status int
	// cause is what the refusal means; byWords is true when only Alation's
	// words can tell it, so a terse answer leaves it unknown.
	cause   SyncCause
	byWords bool
	// reads are the catalog reads it may cost: schema listings and data
	// source look-ups by id. A 403 costs one schema listing: the read that
	// tells a refused token from a refused request (confirmRefusal).
	schemaReads, dataSourceReads int
}

func refusals() []refusal {
	admin := func(w *world) Credentials { return w.static() }
	in := func(ds int64, schema, table string) SyncTableInput {
		return SyncTableInput{DatasourceID: ds, Schema: schema, Table: table}
	}
	return []refusal{
		{name: "table missing at the source", status: 404, cause: CauseTableNotInSource, schemaReads: 1,
			setup: func(w *world) (SyncTableInput, Credentials) { return in(testDS, testSchema, "NOT_YET"), admin(w) }},
		{name: "data source unknown", status: 404, cause: CauseDataSourceUnknown, schemaReads: 2, dataSourceReads: 2,
			setup: func(w *world) (SyncTableInput, Credentials) { return in(99, testSchema, "ORDERS"), admin(w) }},
		{name: "schema unknown", status: 404, cause: CauseSchemaNotCatalogued, schemaReads: 2,
			setup: func(w *world) (SyncTableInput, Credentials) {
				w.fake.AddSourceSchema(testDS, "ANALYTICS.NEW")
				w.fake.AddSourceTable(testDS, "ANALYTICS.NEW", "EVENTS", "TABLE")
				return in(testDS, "ANALYTICS.NEW", "EVENTS"), admin(w)
			}},
		{name: "schema excluded", status: 400, cause: CauseSchemaExcluded, byWords: true,
			setup: func(w *world) (SyncTableInput, Credentials) {
				return in(testDS, "ANALYTICS.STAGING", "RAW_ORDERS"), admin(w)
			}},
		{name: "not admin", status: 403, cause: CauseNotAdmin, byWords: true, schemaReads: 1,
			setup: func(w *world) (SyncTableInput, Credentials) {
				return orders, Credentials{AccessToken: w.fake.IssueAccessToken(nonAdminID, time.Hour)}
			}},
		{name: "service account cannot see the table", status: 403, cause: CauseServiceAccount, byWords: true, schemaReads: 1,
			setup: func(w *world) (SyncTableInput, Credentials) { return in(testDS, testSchema, "SALARIES"), admin(w) }},
		{name: "missing field", status: 400, cause: CauseInvalidValue, byWords: true,
			setup: func(w *world) (SyncTableInput, Credentials) { return in(testDS, testSchema, ""), admin(w) }},
	}
}

// Each refusal, in each wording, is read for what it means: from the
// status and the catalog where a read can tell, from a field-keyed body's
// fields, and from the words only where nothing else can.
func TestSyncFailure_everyWording(t *testing.T) {
	for _, wd := range wordings {
		for _, rc := range refusals() {
			t.Run(wd.String()+"/"+rc.name, func(t *testing.T) {
				w := newWorld(t)
				w.fake.SetErrorWording(wd)
				in, creds := rc.setup(w)
				c := newClient(t, w.url, creds)
				_, err := c.SyncTableWaiting(t.Context(), in, 0)
				var f *SyncFailure
				if !errors.As(err, &f) || f.Err.StatusCode != rc.status {
					t.Fatalf("err = %v, want a *SyncFailure with status %d", err, rc.status)
				}
				want := rc.cause
				if rc.byWords && terse(wd) {
					want = CauseUnknown
				}
				if f.Cause != want || f.FromCatalog != (rc.status == 404) || f.LookupErr != nil || f.Input != in {
					t.Fatalf("read as %+v, want cause %s", f, want)
				}
				if got := w.fake.RequestCount("GET", pathSchemas); got != rc.schemaReads {
					t.Errorf("%d schema reads, want %d", got, rc.schemaReads)
				}
				if got := w.fake.RequestCount("GET", "/integration/v2/datasource/99/") + w.fake.RequestCount("GET", "/integration/v1/datasource/99/"); got != rc.dataSourceReads {
					t.Errorf("%d data source reads, want %d", got, rc.dataSourceReads)
				}
				if got := w.fake.RequestCount("POST", pathSyncTable); got != 1 {
					t.Errorf("%d syncs, want 1", got)
				}
			})
		}
	}
}

// A field-keyed 400 is quoted in full, the fields named.
func TestSyncFailure_fieldKeyedBody(t *testing.T) {
	w := newWorld(t)
	w.fake.SetErrorWording(alationfake.WordingFieldKeyed)
	c := newClient(t, w.url, w.static())
	_, err := c.SyncTable(t.Context(), SyncTableInput{DatasourceID: testDS})
	var ae *APIError
	if !errors.As(err, &ae) || !slices.Equal(ae.Fields, []string{"schema", "table"}) ||
		ae.Detail != "schema: This field is required.; table: This field is required." || ae.Message() != ae.Detail {
		t.Fatalf("err = %v (%+v)", err, ae)
	}
}

// The schema of a new table is not in the catalog yet: the data source's
// schemas, read once, are kept for the message's hints.
func TestSyncFailure_schemaNotCatalogued(t *testing.T) {
	w := newWorld(t)
	w.fake.SetErrorWording(alationfake.WordingTerse("Not found."))
	c := newClient(t, w.url, w.static())
	_, err := c.SyncTableWaiting(t.Context(), SyncTableInput{DatasourceID: testDS, Schema: "analytics.public", Table: "ORDERS"}, time.Minute)
	var f *SyncFailure
	if !errors.As(err, &f) || f.Cause != CauseSchemaNotCatalogued {
		t.Fatalf("err = %v", err)
	}
	names := []string{}
	for _, s := range f.Schemas {
		names = append(names, s.Name)
	}
	if !slices.Contains(names, testSchema) || f.SchemasTruncated {
		t.Fatalf("schemas %v (truncated %v), want %s among them", names, f.SchemasTruncated, testSchema)
	}
	// Waiting cannot add a schema: one sync, not one per pause.
	if got := w.fake.RequestCount("POST", pathSyncTable); got != 1 {
		t.Fatalf("%d syncs, want 1: the wait must not wait on a schema the catalog lacks", got)
	}
}

// wait_for_table_timeout waits on a table missing from the source whatever
// Alation's words, and reads the catalog once however long it waits.
func TestSyncTableWaiting_everyWording(t *testing.T) {
	for _, wd := range wordings {
		t.Run(wd.String(), func(t *testing.T) {
			w := newWorld(t)
			w.fake.SetErrorWording(wd)
			var syncs atomic.Int32
			w.fake.SetBeforeHandle(func(r *http.Request) {
				if r.URL.Path == pathSyncTable && syncs.Add(1) == 4 {
					w.fake.AddSourceTable(testDS, testSchema, "LAGGING", "TABLE")
				}
			})
			c := newClient(t, w.url, w.static())
			in := SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "LAGGING"}
			if _, err := c.SyncTableWaiting(t.Context(), in, time.Minute); err != nil {
				t.Fatal(err)
			}
			if got := syncs.Load(); got != 4 {
				t.Errorf("%d syncs, want 4 (three 404s, then the table)", got)
			}
			if got := w.fake.RequestCount("GET", pathSchemas); got != 1 {
				t.Errorf("%d schema reads while waiting, want 1", got)
			}
		})
	}
}

// A wait that runs out keeps what the first 404 was read as.
func TestSyncTableWaiting_runsOut(t *testing.T) {
	w := newWorld(t)
	w.fake.SetErrorWording(alationfake.WordingTerse("Not found."))
	c := newClient(t, w.url, w.static())
	_, err := c.SyncTableWaiting(t.Context(), SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "NEVER"}, 30*time.Millisecond)
	var waited *TableWaitError
	var f *SyncFailure
	if !errors.As(err, &waited) || !errors.As(err, &f) || !IsTableNotInSource(err) || !f.FromCatalog {
		t.Fatalf("err = %v", err)
	}
	if syncs := w.fake.RequestCount("POST", pathSyncTable); syncs < 2 || waited.Attempts != syncs {
		t.Errorf("%d syncs for %d attempts, want several and the same", syncs, waited.Attempts)
	}
	if got := w.fake.RequestCount("GET", pathSchemas); got != 1 {
		t.Errorf("%d schema reads, want 1", got)
	}
}

// A sync that succeeds costs the sync alone.
func TestSyncTableWaiting_successReadsNothing(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static())
	if _, err := c.SyncTableWaiting(t.Context(), orders, time.Minute); err != nil {
		t.Fatal(err)
	}
	if n := len(w.fake.Requests()); n != 1 {
		t.Fatalf("%d requests, want the sync alone", n)
	}
}

// When the catalog cannot be read, Alation's words are the hint: the wait
// still works on "table not found", and does not start on a terse 404.
// The read is tried once, not retried.
func TestSyncFailure_catalogUnreadable(t *testing.T) {
	for _, wd := range []alationfake.ErrorWording{alationfake.WordingDocumented, alationfake.WordingTerse("Not found.")} {
		t.Run(wd.String(), func(t *testing.T) {
			w := newWorld(t)
			w.fake.SetErrorWording(wd)
			w.fake.QueueFaults(pathSchemas, alationfake.Fault{Status: 503})
			c := newClient(t, w.url, w.static())
			_, err := c.SyncTableWaiting(t.Context(), SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "NEVER"}, 30*time.Millisecond)
			var f *SyncFailure
			if !errors.As(err, &f) || f.FromCatalog || StatusCode(f.LookupErr) != 503 {
				t.Fatalf("err = %v (%+v)", err, f)
			}
			syncs := w.fake.RequestCount("POST", pathSyncTable)
			if terse(wd) {
				if f.Cause != CauseUnknown || syncs != 1 {
					t.Errorf("cause %s after %d syncs, want unknown after 1", f.Cause, syncs)
				}
			} else if f.Cause != CauseTableNotInSource || syncs < 2 {
				t.Errorf("cause %s after %d syncs, want the table, waited on", f.Cause, syncs)
			}
			if got := w.fake.RequestCount("GET", pathSchemas); got != 1 {
				t.Errorf("%d schema reads, want 1", got)
			}
		})
	}
}

// Bodies in Django REST framework's validation shape are quoted field by
// field, secrets masked; other bodies are not taken for them.
func TestNewAPIError_fieldKeyed(t *testing.T) {
	c := &Client{}
	c.addSecret("s3cr3t-value")
	cases := []struct {
		body, detail string
		fields       []string
	}{
		{`{"table": ["This field is required."]}`, "table: This field is required.", []string{"table"}},
		{`{"table": ["a", "b"], "schema": ["c"]}`, "schema: c; table: a b", []string{"schema", "table"}},
		{`{"non_field_errors": ["Bad request."], "table": ["x"]}`, "Bad request.; table: x", []string{"table"}},
		{`{"table": ["token s3cr3t-value is bad"]}`, "table: token *** is bad", []string{"table"}},
		{`{"status": "error"}`, "", nil},
		{`{"table": [], "x": {"y": ["nested"]}}`, "", nil},
	}
	for _, tc := range cases {
		e := newAPIError("POST", pathSyncTable, 400, http.Header{"Content-Type": {"application/json"}}, []byte(tc.body), c.redact)
		if e.Detail != tc.detail || !slices.Equal(e.Fields, tc.fields) {
			t.Errorf("%s: detail %q, fields %v; want %q, %v", tc.body, e.Detail, e.Fields, tc.detail, tc.fields)
		}
		if tc.detail == "" && e.Excerpt == "" {
			t.Errorf("%s: neither a detail nor an excerpt", tc.body)
		}
	}
}
