package alation

import (
	"strings"
	"testing"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// A sync answer that leaves out the entry's url, schema_id or is_view is
// completed by one read by id; a full one costs no read.
func TestSyncTable_thinAnswersAreReadBack(t *testing.T) {
	for _, tc := range []struct {
		name  string
		shape alationfake.SyncAnswer
		reads int
	}{
		{"full", alationfake.SyncAnswerFull, 0},
		{"id as a string", alationfake.SyncAnswerStringID, 0},
		{"id only", alationfake.SyncAnswerIDOnly, 1},
		{"id and url", alationfake.SyncAnswerIDAndURL, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			c := newClient(t, w.url, w.static())
			w.fake.SetSyncAnswer(tc.shape)
			for _, table := range []string{"ORDERS", "CUSTOMERS"} {
				got, err := c.SyncTable(t.Context(), SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: table})
				if err != nil {
					t.Fatal(err)
				}
				entry, _ := w.fake.CatalogTable(int64(got.ID))
				if entry.Name != table || got.URL != entry.URL || int64(got.SchemaID) != w.schemaID || got.IsView == nil ||
					*got.IsView != (table == "CUSTOMERS") || got.Name != table || got.SchemaName != testSchema || int64(got.DSID) != testDS {
					t.Fatalf("%s: %+v (is_view %v), the catalog has %+v", table, got, got.IsView, entry)
				}
			}
			if n := w.fake.RequestCount("GET", pathTables); n != 2*tc.reads {
				t.Errorf("%d reads for two syncs, want %d", n, 2*tc.reads)
			}
		})
	}
}

// A read back that cannot tell (nothing under the id, another table under
// it, a failure) leaves unset what the answer did not say: never a guess.
func TestSyncTable_thinAnswerUnreadStaysUnset(t *testing.T) {
	for name, fault := range map[string]alationfake.Fault{
		"nothing under the id": {Status: 200, Body: `[]`},
		"another table":        {Status: 200, Body: `[{"id": 17000, "name": "OTHER", "ds_id": 8, "schema_name": "ANALYTICS.PUBLIC", "url": "/table/17000/", "schema_id": 9, "table_type": "VIEW"}]`},
		"a failure":            {Status: 404, Body: `{"detail": "Not found."}`},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			c := newClient(t, w.url, w.static())
			w.fake.SetSyncAnswer(alationfake.SyncAnswerIDOnly)
			w.fake.QueueFaults(pathTables, fault)
			got, err := c.SyncTable(t.Context(), orders)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != 17000 || got.URL != "" || got.SchemaID != 0 || got.IsView != nil || got.Name != "" {
				t.Fatalf("got %+v (is_view %v); want only the id", got, got.IsView)
			}
		})
	}
}

// An answer with no usable id is an error that quotes the status, the
// content type and the body, as every other unusable answer does.
func TestSyncTable_noUsableIDQuotesTheAnswer(t *testing.T) {
	for name, shape := range map[string]alationfake.SyncAnswer{"no id": alationfake.SyncAnswerNoID, "id 0": alationfake.SyncAnswerZeroID} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			c := newClient(t, w.url, w.static())
			w.fake.SetSyncAnswer(shape)
			got, err := c.SyncTable(t.Context(), orders)
			if got != nil {
				t.Fatalf("got %+v", got)
			}
			re := asResponseError(t, err)
			if re.StatusCode != 201 || re.ContentType != "application/json" || !strings.Contains(re.Excerpt, `"name":"ORDERS"`) {
				t.Fatalf("ResponseError %+v", re)
			}
			for _, want := range []string{"HTTP 201", `content type "application/json"`, `\"name\":\"ORDERS\"`, "no usable table id"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %s", err, want)
				}
			}
			if n := w.fake.RequestCount("GET", pathTables); n != 0 {
				t.Errorf("%d reads after an answer without an id, want 0", n)
			}
		})
	}
}
