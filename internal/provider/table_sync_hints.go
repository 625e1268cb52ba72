package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// caseVariantHint looks, after Alation's "table not found" and only then, for
// catalogued tables of the schema whose name differs from the one synced only
// in case: "orders" for "ORDERS" is the commonest slip. It costs one request
// after that failure and none otherwise; when the look-up fails, there is
// simply no hint.
func caseVariantHint(ctx context.Context, client *alation.Client, in alation.SyncTableInput, err error) string {
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
