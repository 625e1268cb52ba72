package provider

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseImportID(t *testing.T) {
	ok := map[string]importID{
		"17194":                {tableID: 17194},
		"8/main.dbo/foobar":    {datasourceID: 8, schema: "main.dbo", table: "foobar"},
		"8/public/a/b":         {datasourceID: 8, schema: "public", table: "a/b"}, // the table is everything after the second slash
		"3/ANALYTICS.PUBLIC/X": {datasourceID: 3, schema: "ANALYTICS.PUBLIC", table: "X"},
	}
	for raw, want := range ok {
		got, err := parseImportID(raw)
		if err != nil || got != want {
			t.Errorf("parseImportID(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	for _, raw := range []string{"", "0", "-3", "abc", "8/main.dbo", "x/main.dbo/t", "0/s/t", "8//t", "8/s/", "8/ /t"} {
		if _, err := parseImportID(raw); err == nil {
			t.Errorf("parseImportID(%q) succeeded; want an error", raw)
		} else if !strings.Contains(err.Error(), "DATASOURCE_ID/SCHEMA/TABLE") {
			t.Errorf("parseImportID(%q) error %q does not say what is expected", raw, err)
		}
	}
}

// FuzzParseImportID: any input parses to one well-formed id or errors, and a
// parsed id renders back to an input that parses the same.
func FuzzParseImportID(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw string) {
		id, err := parseImportID(raw)
		if err != nil {
			return
		}
		var again string
		switch {
		case id.tableID > 0 && id.datasourceID == 0 && id.schema == "" && id.table == "":
			again = fmt.Sprint(id.tableID)
		case id.tableID == 0 && id.datasourceID > 0 && strings.TrimSpace(id.schema) != "" && strings.TrimSpace(id.table) != "" && !strings.Contains(id.schema, "/"):
			again = fmt.Sprintf("%d/%s/%s", id.datasourceID, id.schema, id.table)
		default:
			t.Fatalf("parseImportID(%q) = %+v: neither form", raw, id)
		}
		if id2, err := parseImportID(again); err != nil || id2 != id {
			t.Fatalf("round trip of %q via %q: %+v, %v", raw, again, id2, err)
		}
	})
}
