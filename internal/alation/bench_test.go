package alation

// Benchmarks of the client's hot path: what one alation_table_sync costs the
// provider besides the network. Run them with
//
//	go test ./internal/alation/ -run '^$' -bench . -benchmem
//
// Wall-clock numbers are never asserted; these report ns/op and allocs/op.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

const (
	benchDS     int64 = 8
	benchSchema       = "ANALYTICS.PUBLIC"
)

var benchInput = SyncTableInput{DatasourceID: benchDS, Schema: benchSchema, Table: "ORDERS"}

// benchSyncAnswer is a sync answer as Alation sends it, with two custom
// fields (a rich-text one and a people picker) like a stewarded table has.
const benchSyncAnswer = `{"id":17194,"url":"/table/17194/","name":"ORDERS","schema_name":"ANALYTICS.PUBLIC",` +
	`"title":"Orders","description":"<p>One row per order.</p>","ds_id":8,"is_view":false,` +
	`"custom_fields":[{"field_id":4,"field_name":"Steward notes","value":"Reviewed in Q3"},` +
	`{"field_id":8,"field_name":"Steward","value":[{"otype":"user","oid":12}]}],` +
	`"schema_id":701,"synonyms":null,"db_comment":null}` + "\n"

// benchTableItem renders one table as GET /integration/v2/table/ lists it.
func benchTableItem(id int) string {
	return fmt.Sprintf(`{"id":%d,"name":"T%04d","title":"","description":"","ds_id":8,"key":"8.ANALYTICS.PUBLIC.T%04d",`+
		`"url":"/table/%d/","custom_fields":[],"table_type":"TABLE","schema_id":701,"schema_name":"ANALYTICS.PUBLIC",`+
		`"table_comment":null,"base_table_key":null,"sql":null,"partition_columns":[],"partition_definition":null}`,
		id, id-17000, id-17000, id)
}

// benchTableList is a v2 table list page of n items.
func benchTableList(n int) []byte {
	items := make([]string, n)
	for i := range items {
		items[i] = benchTableItem(17000 + i)
	}
	return []byte("[" + strings.Join(items, ",") + "]\n")
}

// BenchmarkEncodeSyncRequest is what callHeader does with a sync's body.
func BenchmarkEncodeSyncRequest(b *testing.B) {
	b.ReportAllocs()
	var in any = benchInput // callHeader marshals r.json, an interface
	for b.Loop() {
		if _, err := json.Marshal(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeSyncResponse decodes a sync answer into SyncedTable.
func BenchmarkDecodeSyncResponse(b *testing.B) {
	data := []byte(benchSyncAnswer)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var out SyncedTable
		if err := decodeJSON(data, &out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeTableList decodes a v2 table list: one item is what a
// refresh (GetTable) reads per resource; 100 is a default page.
func BenchmarkDecodeTableList(b *testing.B) {
	for _, n := range []int{1, 100} {
		data := benchTableList(n)
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var out []CatalogTable
				if err := decodeJSON(data, &out); err != nil {
					b.Fatal(err)
				}
				if len(out) != n {
					b.Fatalf("decoded %d tables, want %d", len(out), n)
				}
			}
		})
	}
}

// BenchmarkRedactAndMask is the TRACE body logging work logTransport does on
// every request and response, whatever the log level.
func BenchmarkRedactAndMask(b *testing.B) {
	c := &Client{}
	c.addSecret("alationfake-demo-admin-access-token-0000000")
	body := benchSyncAnswer
	b.ReportAllocs()
	for b.Loop() {
		_ = maskSecretFields(c.redact(body))
	}
}

// benchClient serves an emulator in-process with n source tables and returns
// a client with a static token and the given logger (nil: none).
func benchClient(b *testing.B, n int, log Logger) (*alationfake.Fake, *Client) {
	b.Helper()
	f, u := alationfake.NewTestServer(b)
	f.AddUser(1, true)
	f.AddDataSource(alationfake.DataSource{ID: benchDS, Title: "Bench", DBType: "snowflake"})
	f.AddSchema(benchDS, benchSchema, false)
	for i := range n {
		f.AddSourceTable(benchDS, benchSchema, fmt.Sprintf("T%04d", i), "TABLE")
	}
	tok := f.IssueAccessToken(1, 24*time.Hour)
	c, err := New(Config{BaseURL: u, Credentials: Credentials{AccessToken: tok}, Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	return f, c
}

// discardLogger is enabled at every level and drops what it gets, so the
// fields are built as they are for the provider's logger.
type discardLogger struct{}

func (discardLogger) Trace(context.Context, string, map[string]any) {}
func (discardLogger) Debug(context.Context, string, map[string]any) {}
func (discardLogger) Warn(context.Context, string, map[string]any)  {}

// BenchmarkSyncTableRoundTrip is one SyncTable against the in-process
// emulator over loopback HTTP: encode, send, the emulator's work, decode.
// The emulator's request log grows by one entry per op, so it is reset
// every 10000 ops.
func BenchmarkSyncTableRoundTrip(b *testing.B) {
	for _, lg := range []struct {
		name string
		log  Logger
	}{{"log=nop", nil}, {"log=discard", discardLogger{}}} {
		b.Run(lg.name, func(b *testing.B) {
			f, c := benchClient(b, 1, lg.log)
			ctx := context.Background()
			in := SyncTableInput{DatasourceID: benchDS, Schema: benchSchema, Table: "T0000"}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := c.SyncTable(ctx, in); err != nil {
					b.Fatal(err)
				}
				if i++; i%10000 == 0 {
					f.ResetLog()
				}
			}
			b.StopTimer()
			checkConnectionReuse(b, f.Connections(), b.N)
		})
	}
}

// BenchmarkSyncTableParallel syncs from many goroutines at once, as
// Terraform does at -parallelism=10, through the client's concurrency cap.
func BenchmarkSyncTableParallel(b *testing.B) {
	const tables = 64
	f, c := benchClient(b, tables, nil)
	ctx := context.Background()
	b.ReportAllocs()
	b.SetParallelism(5) // 5 × GOMAXPROCS goroutines: above the cap of 10 on 2 cores
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			in := SyncTableInput{DatasourceID: benchDS, Schema: benchSchema, Table: fmt.Sprintf("T%04d", i%tables)}
			if _, err := c.SyncTable(ctx, in); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.StopTimer()
	checkConnectionReuse(b, f.Connections(), b.N)
}

// checkConnectionReuse reports the connections the emulator accepted and
// fails only when they were plainly not reused (more than twice the cap and
// more than one per two requests). A few above the cap are expected: a slot
// of the cap is freed when a body is closed, which can be just before the
// transport has put its connection back in the idle pool.
func checkConnectionReuse(b *testing.B, conns, requests int) {
	b.Helper()
	b.ReportMetric(float64(conns), "conns")
	if conns > 2*DefaultMaxConcurrentRequests && conns > requests/2 {
		b.Errorf("%d connections for %d requests: connections are not reused", conns, requests)
	}
}

// BenchmarkGetTableRoundTrip is one refresh read: GET /integration/v2/table/?id=.
func BenchmarkGetTableRoundTrip(b *testing.B) {
	f, c := benchClient(b, 1, nil)
	ctx := context.Background()
	synced, err := c.SyncTable(ctx, SyncTableInput{DatasourceID: benchDS, Schema: benchSchema, Table: "T0000"})
	if err != nil {
		b.Fatal(err)
	}
	id := int64(synced.ID)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.GetTable(ctx, id); err != nil {
			b.Fatal(err)
		}
		if i++; i%10000 == 0 {
			f.ResetLog()
		}
	}
}

// BenchmarkListTablesPaged is a listing of three pages of 1,000 rows: what
// paging itself costs besides decoding (keeping track of the rows and pages
// read, to notice a loop). The emulator's work is in the figures too.
func BenchmarkListTablesPaged(b *testing.B) {
	f, c := benchClient(b, 0, nil)
	for i := range 3000 {
		f.AddCatalogTable(benchDS, benchSchema, fmt.Sprintf("T%04d", i), "TABLE")
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		n := 0
		for _, err := range c.StreamTables(ctx, TableFilter{DSID: benchDS, SchemaName: benchSchema}, MaxPageSize) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 3000 {
			b.Fatalf("%d rows", n)
		}
		if i++; i%1000 == 0 {
			f.ResetLog()
		}
	}
}
