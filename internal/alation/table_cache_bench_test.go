package alation

import (
	"fmt"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// BenchmarkReadTable_refresh measures refreshes of managed tables of a
// schema of catalogued ones, 10 reads at a time as Terraform makes them,
// against an emulator that spends Alation-like server time (50 ms a
// request, 1 ms a row; see internal/benchmark). Each op is one refresh by
// a fresh client, as each Terraform command starts the provider afresh.
// It reports requests and KiB of table rows read per refresh:
//
//	go test ./internal/alation/ -run '^$' -bench ReadTable_refresh -benchtime 3x
func BenchmarkReadTable_refresh(b *testing.B) {
	for _, bc := range []struct{ managed, catalogued int }{
		{3, 3000}, {30, 3000}, {200, 3000}, {10, 250}, {50, 250}, {200, 250},
	} {
		b.Run(fmt.Sprintf("%d_of_%d", bc.managed, bc.catalogued), func(b *testing.B) {
			f, u := alationfake.NewTestServer(b)
			w := setUpWorld(f, u)
			all := stewardedSchema(w, "LANDING.RAW", bc.catalogued)
			managed := make([]int64, bc.managed)
			for i := range managed {
				managed[i] = all[i*bc.catalogued/bc.managed] // spread over the schema
			}
			f.SetListingCost(alationfake.ListingCost{PerRequest: 50 * time.Millisecond, PerRow: time.Millisecond})
			var requests int
			var bytes int64
			for b.Loop() {
				b.StopTimer()
				c, err := New(Config{BaseURL: u, Credentials: w.static()})
				if err != nil {
					b.Fatal(err)
				}
				f.ResetLog()
				b.StartTimer()
				refresh(b, c, "LANDING.RAW", managed, 10)
				b.StopTimer()
				reqs, n := tableRequests(f)
				requests += len(reqs)
				bytes += n
				b.StartTimer()
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(bytes)/1024/float64(b.N), "KiB/op")
		})
	}
}
