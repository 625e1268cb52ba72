package provider

import (
	"fmt"
	"strconv"
	"strings"
)

// importID is a parsed import ID: either tableID, or the three names.
type importID struct {
	tableID      int64
	datasourceID int64
	schema       string
	table        string
}

const importIDHelp = `Use Alation's table id ("17194") or DATASOURCE_ID/SCHEMA/TABLE ("8/main.dbo/foobar"; the table is everything after the second slash).`

// String gives the ID back in the form a person wrote it.
func (id importID) String() string {
	if id.tableID != 0 {
		return strconv.FormatInt(id.tableID, 10)
	}
	return fmt.Sprintf("%d/%s/%s", id.datasourceID, id.schema, id.table)
}

// importIDFromIdentity checks an import block's identity as the ID form's
// three names are checked.
func importIDFromIdentity(ident tableIdentityModel) (importID, error) {
	if ident.DatasourceID.IsNull() || ident.Schema.IsNull() || ident.Table.IsNull() {
		return importID{}, fmt.Errorf("the import identity needs datasource_id, schema and table")
	}
	return parseImportID(importID{datasourceID: ident.DatasourceID.ValueInt64(), schema: ident.Schema.ValueString(), table: ident.Table.ValueString()}.String())
}

// parseImportID reads "17194" or "8/main.dbo/foobar". Schemas hold dots,
// never slashes, so the table name is everything after the second slash.
func parseImportID(raw string) (importID, error) {
	if raw == "" {
		return importID{}, fmt.Errorf("the import ID is empty. %s", importIDHelp)
	}
	if !strings.Contains(raw, "/") {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id < 1 {
			return importID{}, fmt.Errorf("%q is neither a table id (a whole number, at least 1) nor DATASOURCE_ID/SCHEMA/TABLE. %s", raw, importIDHelp)
		}
		return importID{tableID: id}, nil
	}
	parts := strings.SplitN(raw, "/", 3)
	if len(parts) != 3 {
		return importID{}, fmt.Errorf("%q has one slash; it needs two. %s", raw, importIDHelp)
	}
	ds, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || ds < 1 {
		return importID{}, fmt.Errorf("%q starts with %q, which is not a data source id (a whole number, at least 1). %s", raw, parts[0], importIDHelp)
	}
	if strings.TrimSpace(parts[1]) == "" || strings.TrimSpace(parts[2]) == "" {
		return importID{}, fmt.Errorf("%q has an empty schema or table name. %s", raw, importIDHelp)
	}
	return importID{datasourceID: ds, schema: parts[1], table: parts[2]}, nil
}
