package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// listThroughProtocol runs the list resource through the protocol server, without a
// CLI, and returns its results: so every CLI of the matrix runs it.
func listThroughProtocol(t *testing.T, c *testCatalog, limit int64) []tfprotov6.ListResourceResult {
	t.Helper()
	server, schemas := configuredServer(t, c)
	lister, ok := server.(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatal("the provider serves no list resources")
	}
	configType := schemas.ListResourceSchemas["alation_table_sync"].ValueType()
	config := objectValue(configType, map[string]tftypes.Value{
		"datasource_id": tftypes.NewValue(tftypes.Number, testDS), "schema": tftypes.NewValue(tftypes.String, testSchema)})
	stream, err := lister.ListResource(t.Context(), &tfprotov6.ListResourceRequest{
		TypeName: "alation_table_sync", Config: dynamicValue(t, configType, config), Limit: limit})
	if err != nil {
		t.Fatal(err)
	}
	return slices.Collect(stream.Results)
}

// warnings are the results' warning summaries and details.
func warnings(results []tfprotov6.ListResourceResult) []string {
	var out []string
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityWarning {
				out = append(out, d.Summary+": "+d.Detail)
			}
		}
	}
	return out
}

// A listing that Alation's whole-listing cap stops at 1,000 rows, without
// a next page, is reported: every table listed, then a warning that names
// the cap and its admin setting. Without the cap, or short of it, or when
// the list block's limit stops the reading first, there is none.
func TestTableSyncList_capWarning(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogueNumbered(1500)
	c.fake.SetCatalogLimit(1000)
	results := listThroughProtocol(t, c, 5000)
	w := warnings(results)
	if len(results) != 1001 || len(w) != 1 {
		t.Fatalf("%d results, warnings %q; want 1,000 tables and one warning", len(results), w)
	}
	for _, part := range []string{"Table Listing May Be Incomplete", "listed 1000 tables", `schema "main.dbo" of data source 8`,
		"alation.api.catalog.limit", "imported by its ID"} {
		if !strings.Contains(w[0], part) {
			t.Errorf("the warning lacks %q: %s", part, w[0])
		}
	}
	if reqs := c.tableRequests(); len(reqs) != 1 {
		t.Errorf("%d reads of the listing, want the one capped page", len(reqs))
	}

	c.fake.SetCatalogLimit(0)
	if results := listThroughProtocol(t, c, 5000); len(results) != 1500 || len(warnings(results)) != 0 {
		t.Errorf("without the cap: %d results, warnings %q", len(results), warnings(results))
	}
	c.fake.SetCatalogLimit(1000)
	if results := listThroughProtocol(t, c, 10); len(results) != 11 || len(warnings(results)) != 1 ||
		!strings.Contains(warnings(results)[0], "Stopped at Its Limit") {
		t.Errorf("a limit of 10: %d results, warnings %q; want only the limit's warning", len(results), warnings(results))
	}
}

// A limit that the schema's tables do not exceed warns of nothing; one
// they exceed by a single table does, with the name prefix in the words.
func TestTableSyncList_limitWarning(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogueNumbered(13)
	if results := listThroughProtocol(t, c, 13); len(warnings(results)) != 0 {
		t.Errorf("13 tables listed with a limit of 13: warnings %q", warnings(results))
	}
	results := listThroughProtocol(t, c, 12)
	w := warnings(results)
	if len(results) != 13 || len(w) != 1 {
		t.Fatalf("%d results, warnings %q; want 12 tables and a warning", len(results), w)
	}
	for _, part := range []string{"Listed 12 tables", `schema "main.dbo" of data source 8`, "limit", "default limit is 100"} {
		if !strings.Contains(w[0], part) {
			t.Errorf("the warning lacks %q: %s", part, w[0])
		}
	}
}

// A schema that ends short of a whole 1,000 rows gives no warning.
func TestTableSyncList_noCapWarningShortOfTheCap(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogueNumbered(999)
	c.fake.SetCatalogLimit(1000)
	if results := listThroughProtocol(t, c, 5000); len(results) != 999 || len(warnings(results)) != 0 {
		t.Errorf("%d results, warnings %q", len(results), warnings(results))
	}
}

// Through `terraform query` (1.14 and later), the warning reaches the user.
func TestAccTableSyncList_capWarning(t *testing.T) {
	c := newTestCatalog(t)
	c.catalogueNumbered(1200)
	c.fake.SetCatalogLimit(1000)
	w := newCLIWorkdir(t, "1.14.0", "added terraform query")
	w.write("main.tf", c.providerBlock())
	w.write("tables.tfquery.hcl", fmt.Sprintf(`
list "alation_table_sync" "found" {
  provider = alation
  limit    = 5000
  config {
    datasource_id = %d
    schema        = %q
  }
}
`, testDS, testSchema))
	w.mustRun("init", "-input=false", "-no-color")
	out := w.mustRun("query", "-no-color")
	expectOutput(t, out, "Table Listing May Be Incomplete", "listed 1000 tables", "alation.api.catalog.limit")
	if !strings.Contains(out, "8/main.dbo/t0999") || strings.Contains(out, "8/main.dbo/t1000") {
		t.Errorf("the query shows other tables than the 1,000 listed:\n%s", out)
	}
}
