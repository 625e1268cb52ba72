package provider

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// What to do about each refusal of the sync (400, 403, 404), by what it
// means (alation.SyncCause). A cause that nothing could establish gets the
// status's every documented cause, likeliest first.

const (
	excludedAdvice = "The schema is excluded from the catalog in the data source's per-object settings " +
		"(Settings > Per-Object Parameters in Alation). Include it there, or drop this resource."
	tableTypeAdvice = "table_type must be \"TABLE\" or \"VIEW\"."
	notAdminAdvice  = "The token's user must be a Server Admin or Catalog Admin to trigger a sync: use such a user's credentials, " +
		"or ask an Alation admin to grant the role."
	serviceAccountAdvice = "The data source's service account cannot see this table's metadata: grant it access " +
		"(SELECT, or your database's metadata privilege) on the table, then apply again."
	waitHint      = " If the database's metadata lags behind DDL, set wait_for_table_timeout."
	twoLevelsHint = "Sources with two levels above tables (SQL Server, Snowflake, Databricks...) need \"database.schema\"; names are case-sensitive."
)

func badRequestAdvice(e *alation.APIError, cause alation.SyncCause) string {
	switch {
	case cause == alation.CauseSchemaExcluded:
		return excludedAdvice
	case cause == alation.CauseInvalidValue && (slices.Contains(e.Fields, "table_type") || strings.Contains(e.Detail, "table_type")):
		return tableTypeAdvice
	case cause == alation.CauseInvalidValue:
		what := "a value of the request"
		if len(e.Fields) > 0 {
			what = "the value of " + strings.Join(e.Fields, " and ")
		}
		return "Alation found " + what + " missing or invalid. Check datasource_id, schema and table; the provider checks them " +
			"before it sends them, so if they look right, check whether something between the provider and Alation (a proxy) changes request bodies."
	}
	return "Alation's answer does not say what it refused. The provider checks datasource_id, schema, table and table_type before it sends them, " +
		"so the likeliest cause is that " + strings.ToLower(excludedAdvice[:1]) + excludedAdvice[1:] + " Otherwise check datasource_id, schema and table."
}

func forbiddenAdvice(e *alation.APIError, cause alation.SyncCause) string {
	switch {
	case cause == alation.CauseNotAdmin:
		return notAdminAdvice
	case cause == alation.CauseServiceAccount:
		return serviceAccountAdvice
	case e.RefusesCredentials():
		return tokenAdvice(e)
	}
	return "Alation's answer does not say which of three causes it is, and no read of the catalog can tell them apart. Check, in this order: " +
		"that Alation accepts " + credentialSettings[e.AuthMode] + "; " +
		"that the token's user is a Server Admin or Catalog Admin, which triggering a sync needs; " +
		"that the data source's service account can see this table's metadata (SELECT, or your database's metadata privilege)."
}

// notFoundAdvice covers a 404; f is nil when the client did not read the
// catalog (a caller other than the sync).
func notFoundAdvice(f *alation.SyncFailure, cause alation.SyncCause) string {
	var advice string
	switch {
	case cause == alation.CauseTableNotInSource && f != nil && f.FromCatalog:
		advice = fmt.Sprintf("The catalog knows data source %d and its schema %q, so the table is what the data source lacks. ",
			f.Input.DatasourceID, f.Input.Schema) + tableNotFoundAdvice + waitHint
	case cause == alation.CauseTableNotInSource:
		advice = tableNotFoundAdvice + waitHint
	case cause == alation.CauseDataSourceUnknown:
		ds := f.Input.DatasourceID
		advice = fmt.Sprintf("Alation has no data source %d, or none the token's user may see (a private data source is visible "+
			"to its viewers and admins only). Check datasource_id: it is the number in the data source's address in Alation, /data/%d/, "+
			"and data \"alation_datasource\" looks a source up by its title.", ds, ds)
	case cause == alation.CauseSchemaNotCatalogued:
		s, ds := f.Input.Schema, f.Input.DatasourceID
		advice = fmt.Sprintf("Alation does not know schema %q of data source %d yet. A table sync cannot add a schema: run the data source's "+
			"metadata extraction with %q selected once (in Alation: the data source's Settings > Metadata Extraction, select the schema, "+
			"then Run Extraction Now); after that, table syncs in %q work.", s, ds, s, s)
	case cause == alation.CauseDataSourceOrSchema:
		advice = "Check datasource_id and schema; a schema created since the data source's last metadata extraction is unknown to Alation until the next one. " + twoLevelsHint
	default:
		advice = "Either the data source or the schema is not in the catalog (a new schema is, only after a metadata extraction of the data source), " +
			"or the table is not in the data source. Check datasource_id, schema and table (case-sensitive) and that the DDL ran first."
	}
	if f != nil && f.LookupErr != nil {
		advice += fmt.Sprintf(" (The provider could not read the catalog to tell which: %v.)", f.LookupErr)
	}
	return advice
}

// noWaitNote says why a set wait_for_table_timeout did not wait on a 404.
func noWaitNote(err error, f *alation.SyncFailure, wait time.Duration) string {
	var waited *alation.TableWaitError
	if wait <= 0 || f == nil || f.Err.StatusCode != http.StatusNotFound || errors.As(err, &waited) || f.Cause == alation.CauseTableNotInSource {
		return ""
	}
	const prefix = "wait_for_table_timeout did not wait: "
	switch f.Cause {
	case alation.CauseSchemaNotCatalogued:
		return prefix + "only a metadata extraction adds a schema to the catalog, and syncing again does not run one."
	case alation.CauseDataSourceUnknown:
		return prefix + "it waits for a table the data source lacks, not for a data source."
	}
	return prefix + "it waits only while the table is what the data source lacks, and the provider could not tell that it is."
}
