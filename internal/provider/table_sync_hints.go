package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// caseVariantHint looks, when the table is what the data source lacks and
// only then, for catalogued tables of the schema whose name differs from the
// one synced only in case: "orders" for "ORDERS" is the commonest slip. It
// costs one request after that failure and none otherwise; when the look-up
// fails, there is simply no hint. For a schema the catalog lacks, the hint
// comes from the schemas the client read to find that out.
func caseVariantHint(ctx context.Context, client *alation.Client, in alation.SyncTableInput, err error) string {
	var f *alation.SyncFailure
	if errors.As(err, &f) && f.Cause == alation.CauseSchemaNotCatalogued {
		return schemaVariantHint(f)
	}
	if !alation.IsTableNotInSource(err) || ctx.Err() != nil {
		return ""
	}
	variants, _, lookupErr := client.TableCaseVariants(ctx, in.DatasourceID, in.Schema, in.Table)
	if lookupErr != nil {
		tflog.Debug(ctx, "Could not look for the table's name in another case", map[string]any{"table": in.String(), "error": lookupErr.Error()})
		return ""
	}
	if len(variants) == 0 {
		return ""
	}
	return fmt.Sprintf("The catalog has %s in schema %q of data source %d, which differs from %q only in case: "+
		"if that is the table meant, set table to exactly that name.", caseVariantNames(variants), in.Schema, in.DatasourceID, in.Table)
}

// caseVariantNames lists tables for a message: `"ORDERS" (id 17001)`, at
// most maxListed of them.
func caseVariantNames(tables []alation.CatalogTable) string {
	names := make([]string, 0, min(len(tables), maxListed))
	for _, t := range tables[:min(len(tables), maxListed)] {
		names = append(names, fmt.Sprintf("%q (id %d)", t.Name, int64(t.ID)))
	}
	return strings.Join(names, ", ")
}

// schemaVariantHint says what data source f.Input.DatasourceID has instead
// of the schema synced: the same name in another case first.
func schemaVariantHint(f *alation.SyncFailure) string {
	in := f.Input
	var variants []string
	for _, s := range f.Schemas {
		if s.Name != in.Schema && strings.EqualFold(s.Name, in.Schema) && len(variants) < maxListed {
			variants = append(variants, fmt.Sprintf("%q", s.Name))
		}
	}
	switch {
	case len(variants) > 0:
		return fmt.Sprintf("The catalog has schema %s in data source %d, which differs from %q only in case: "+
			"if that is the schema meant, set schema to exactly that name.", strings.Join(variants, ", "), in.DatasourceID, in.Schema)
	case len(f.Schemas) == 0:
		return fmt.Sprintf("Data source %d has no schema in the catalog at all: it may never have been extracted.", in.DatasourceID)
	}
	return fmt.Sprintf("If %q is not the schema meant: the schemas of data source %d in the catalog include %s. "+
		"Sources with two levels above tables take \"database.schema\".", in.Schema, in.DatasourceID, schemasLike(f.Schemas, in.Schema, f.SchemasTruncated))
}
