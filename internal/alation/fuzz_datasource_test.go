package alation

import (
	"encoding/json"
	"testing"
)

// FuzzDataSourceListDecode: any body decodes into data sources or fails
// cleanly, never panics, and a null or unreadable field is null, never a
// half-set value.
func FuzzDataSourceListDecode(f *testing.F) {
	for _, seed := range []string{
		`[{"id": 8, "title": "Snowflake Prod", "dbtype": "snowflake", "host": "acme", "port": 443, "is_virtual": false, "connector_id": 12}]`,
		`[{"id": "3", "title": "Postgres", "port": "5432", "is_virtual": "false", "deleted": null}]`,
		`[{"id": 1.5, "port": "x", "is_hidden": 1, "private": "yes"}]`,
		`[]`, `null`, `{}`, `[null]`, `<html>502</html>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var list []DataSource
		if json.Unmarshal(body, &list) != nil {
			return
		}
		for _, ds := range list {
			for _, n := range []NullInt{ds.Port, ds.ConnectorID} {
				if !n.Valid && n.Value != 0 {
					t.Fatalf("null int with value %d in %q", n.Value, body)
				}
			}
			for _, b := range []NullBool{ds.IsVirtual, ds.IsHidden, ds.Private, ds.Deleted, ds.DeploymentSetupComplete} {
				if !b.Valid && b.Value {
					t.Fatalf("null bool that is true in %q", body)
				}
			}
			_ = ds.String()
		}
	})
}
