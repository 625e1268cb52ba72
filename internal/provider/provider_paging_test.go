package provider

import (
	"fmt"
	"testing"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// A data source look-up whose paging repeats itself stops at the
// repetition, with the provider's own error, after no more requests than
// the listing has pages (two here), or one more when only reading a page
// shows that it repeats.
func TestAccDataSourceDatasource_pagingLoopStops(t *testing.T) {
	cases := []struct {
		loop     alationfake.PagingLoop
		requests int
		what     string
	}{
		{alationfake.LoopSamePage, 1, "names a page already read"},
		{alationfake.LoopRepeatRows, 2, "held only rows already listed"},
		{alationfake.LoopBackToFirst, 2, "names a page already read"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint("loop ", tc.loop), func(t *testing.T) {
			c := newTestCatalog(t)
			for id := int64(100); id < 250; id++ { // two pages of v2 sources
				c.fake.AddDataSource(alationfakeDataSource(id))
			}
			c.fake.SetPagingLoop(tc.loop)
			w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
			w.write("main.tf", c.providerBlock()+dataSourceBlock("d", `title = "Source 249"`))
			w.mustRun("init", "-input=false", "-no-color")
			out, err := w.run("plan", "-input=false", "-no-color")
			if err == nil {
				t.Fatalf("plan succeeded:\n%s", out)
			}
			expectOutput(t, out, "Unable to Read Data Source", `look up the data source titled "Source 249"`,
				"Alation's paging repeated itself on GET /integration/v2/datasource/", tc.what,
				fmt.Sprintf("after %d request", tc.requests), "X-Next-Page", "proxy")
			if n := c.fake.RequestCount("GET", "/integration/v2/datasource/"); n != tc.requests {
				t.Errorf("%d requests for the v2 list, want %d", n, tc.requests)
			}
			if n := c.fake.RequestCount("GET", "/integration/v1/datasource/"); n != 0 {
				t.Errorf("%d requests for the v1 list after v2 failed", n)
			}
		})
	}
}

// A refresh whose read by id pages in a loop fails naming the table, after
// the one real page and the one that repeated it.
func TestAccTableSync_refreshPagingLoopStops(t *testing.T) {
	c := newTestCatalog(t)
	w := newCLIWorkdir(t, "1.5.7", "is the oldest CLI supported")
	w.write("main.tf", c.providerBlock()+tableSync("t", testDS, testSchema, "foobar"))
	w.mustRun("init", "-input=false", "-no-color")
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	c.fake.SetPagingLoop(alationfake.LoopRepeatRows)
	c.fake.ResetLog()
	out, err := w.run("plan", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("plan succeeded:\n%s", out)
	}
	expectOutput(t, out, "Unable to Read Table", `"main.dbo"."foobar"`, "Alation's paging repeated itself", "page 2 held only rows already listed", "proxy")
	if n := c.fake.RequestCount("GET", "/integration/v2/table/"); n != 2 {
		t.Errorf("%d table requests, want 2", n)
	}
}
