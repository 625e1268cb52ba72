package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// What the alation_table_sync resource and action both do, in one place:
// sync a table, report progress, and turn failures into diagnostics.

// The attributes that name a table and shape its sync mean the same in the
// resource and the action, and are checked the same way before any request.
const (
	datasourceIDDoc = "Id of the Alation data source that holds the table."
	schemaDoc       = "The table's schema, as Alation names it. Sources with two levels above tables " +
		"(SQL Server, Snowflake, Redshift, BigQuery, Databricks Unity Catalog...) take both, dot-separated: `\"main.dbo\"`. " +
		"Case-sensitive."
	tableDoc        = "The table's name, case-sensitive."
	tableTypeDoc    = "`\"TABLE\"` (default) or `\"VIEW\"`."
	waitForTableDoc = "Off by default. For databases whose metadata lags behind DDL (read replicas, eventually consistent " +
		"information schemas): how long to keep syncing while the table is what the data source lacks (Alation answers 404 and its " +
		"catalog knows the data source and the schema), such as `\"2m\"`. Only that answer is waited on: not an unknown data source, " +
		"nor a schema that no metadata extraction has catalogued yet."
	defaultTableType = "TABLE"
)

func datasourceIDValidators() []validator.Int64 {
	return []validator.Int64{int64validator.AtLeast(1)}
}

func nameValidators() []validator.String { return []validator.String{nonBlank(), edgeWhitespace{}} }

func tableTypeValidators() []validator.String {
	return []validator.String{stringvalidator.OneOf("TABLE", "VIEW")}
}

func waitForTableValidators() []validator.String {
	return []validator.String{durationBetween(time.Second, time.Hour)}
}

// syncRequest is one sync to make.
type syncRequest struct {
	input alation.SyncTableInput
	// tableTypeSet means the configuration wrote input.TableType, so the
	// catalog entry must be of that kind.
	tableTypeSet bool
	// waitForTable is wait_for_table_timeout; zero syncs once.
	waitForTable time.Duration
	// op names the operation in logs and advice: "create", "update" or
	// "invoke".
	op string
	// progress, when set, receives messages for a person watching the
	// apply (an action's progress events).
	progress func(string)
}

// syncTable makes s against Alation. It returns the synced table, or nil
// and the diagnostic that explains why not, with the client's error when
// the sync itself failed (not when its answer contradicts the
// configuration).
func syncTable(ctx context.Context, client *alation.Client, s syncRequest) (*alation.SyncedTable, diag.Diagnostics, error) {
	table := s.input.String()
	tflog.Info(ctx, "Syncing table metadata into Alation", map[string]any{"table": table, "operation": s.op})
	s.say("Syncing table %s into the Alation catalog", table)
	if s.progress != nil {
		ctx = alation.WithRetryNotify(ctx, func(ev alation.RetryEvent) {
			s.say("Attempt %d for table %s failed with %s; trying again in %s", ev.Attempt, table, ev.Reason, ev.Wait.Round(time.Millisecond))
		})
	}
	synced, err := client.SyncTableWaiting(ctx, s.input, s.waitForTable)
	if err != nil {
		return nil, diag.Diagnostics{syncErrorDiagnostic(s.input, s.op, err, caseVariantHint(ctx, client, s.input, err), s.waitForTable)}, err
	}
	if s.tableTypeSet && synced.IsView != nil && tableTypeOf(*synced.IsView) != s.input.TableType {
		return nil, diag.Diagnostics{tableTypeMismatch(table, s.input.TableType, *synced.IsView)}, nil
	}
	tflog.Info(ctx, "Synced table metadata into Alation", map[string]any{"table": table, "id": int64(synced.ID)})
	page := ""
	if synced.URL != "" {
		page = ", page " + client.AbsoluteURL(synced.URL)
	}
	s.say("Synced table %s: catalog id %d%s", table, int64(synced.ID), page)
	return synced, nil, nil
}

func (s syncRequest) say(format string, args ...any) {
	if s.progress != nil {
		s.progress(fmt.Sprintf(format, args...))
	}
}
