package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

var _ list.ListResourceWithConfigure = &TableSyncListResource{}

// TableSyncListResource lists the tables Alation catalogues in one schema,
// for `terraform query` (Terraform 1.14 and later): each as the identity of
// an alation_table_sync, so that a pipeline's existing tables can be
// adopted with import blocks. It only reads the catalog.
type TableSyncListResource struct {
	client *alation.Client
}

// NewTableSyncListResource is the factory the provider registers.
func NewTableSyncListResource() list.ListResource { return &TableSyncListResource{} }

// tableSyncListModel is a list block's config.
type tableSyncListModel struct {
	DatasourceID wholeNumber  `tfsdk:"datasource_id"`
	Schema       types.String `tfsdk:"schema"`
	NamePrefix   types.String `tfsdk:"name_prefix"`
}

func (l *TableSyncListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_table_sync"
}

func (l *TableSyncListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the tables and views the Alation catalog holds in one schema, for `terraform query` " +
			"(Terraform 1.14 and later). Each result is an `alation_table_sync` identity (`datasource_id`, `schema`, `table`), " +
			"displayed as `DATASOURCE_ID/SCHEMA/TABLE`, its import ID; with `include_resource = true`, or with " +
			"`-generate-config-out`, it also carries the resource as an import reads it. Only the catalog is read, never " +
			"the database, and reading stops at the list block's `limit` (Terraform's default is 100), with the warning " +
			"\"Table Listing Stopped at Its Limit\" when the schema holds more. A schema the catalog does not hold is an error. " +
			"Alation caps the objects one API call returns (1,000 by default, the admin setting `alation.api.catalog.limit`), and may " +
			"cap a whole listing so: a listing that ends on a whole number of 1,000 tables is reported with the warning " +
			"\"Table Listing May Be Incomplete\", never taken as the whole schema.",
		Attributes: map[string]schema.Attribute{
			"datasource_id": schema.Int64Attribute{
				CustomType:          wholeNumberType{},
				MarkdownDescription: "Id of the Alation data source whose tables to list.",
				Required:            true,
				Validators:          datasourceIDValidators(),
			},
			"schema": schema.StringAttribute{
				MarkdownDescription: "The schema whose tables to list, as Alation names it, matched exactly (case-sensitive). " +
					"Sources with two levels above tables (SQL Server, Snowflake, Databricks Unity Catalog...) take both, dot-separated: `\"main.dbo\"`.",
				Required:   true,
				Validators: nameValidators(),
			},
			"name_prefix": schema.StringAttribute{
				MarkdownDescription: "Only tables whose name starts with this, case-sensitive, such as `\"FACT_\"`. " +
					"Unset or empty lists every table of the schema.",
				Optional: true,
			},
		},
	}
}

func (l *TableSyncListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

func (l *TableSyncListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg tableSyncListModel
	diags := getModel(ctx, req.Config, &cfg)
	if !diags.HasError() && (cfg.DatasourceID.IsUnknown() || cfg.Schema.IsUnknown() || cfg.NamePrefix.IsUnknown()) {
		diags.AddError("Unknown List Configuration", "datasource_id, schema and name_prefix must be known when the query runs: "+
			"set them to literal values or variables, not to values computed by other list blocks.")
	}
	if !diags.HasError() && l.client == nil {
		diags.AddError("Provider Not Configured", "The alation provider was not configured before the query: "+
			"this is a bug in the provider or in Terraform; please report it.")
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	q := tableQuery{
		dsID:   cfg.DatasourceID.ValueInt64(),
		schema: cfg.Schema.ValueString(),
		prefix: cfg.NamePrefix.ValueString(),
		limit:  req.Limit,
	}
	stream.Results = func(push func(list.ListResult) bool) {
		// Bounded as every catalog read is; Terraform's interrupt also
		// cancels ctx.
		ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
		defer cancel()
		l.stream(ctx, req, q, push)
	}
}

// tableQuery is what one list block asks for.
type tableQuery struct {
	dsID   int64
	schema string
	prefix string
	limit  int64 // the list block's limit; zero or less for none
}

func (q tableQuery) String() string {
	return fmt.Sprintf("schema %q of data source %d", q.schema, q.dsID)
}

// pageSize reads no more rows than the query can show: its limit when
// every row counts, or full pages when name_prefix leaves rows out here.
func (q tableQuery) pageSize() int {
	if q.prefix != "" || q.limit <= 0 || q.limit >= alation.MaxPageSize {
		return alation.MaxPageSize
	}
	return int(q.limit) + 1 // one more row tells whether the limit left tables out
}

// wants reports whether t belongs in the results. Alation's filters may
// match loosely, so data source and schema are checked exactly here, as
// FindTable does; the name prefix is Alation's to ignore (the API documents
// an exact name filter only), so it is applied here alone.
func (q tableQuery) wants(t *alation.CatalogTable) bool {
	return int64(t.DSID) == q.dsID && t.SchemaName == q.schema && strings.HasPrefix(t.Name, q.prefix)
}

// stream pushes a result for each table q wants, page by page, until the
// limit, the last page, or Terraform wants no more.
func (l *TableSyncListResource) stream(ctx context.Context, req list.ListRequest, q tableQuery, push func(list.ListResult) bool) {
	tflog.Debug(ctx, "Listing the tables of an Alation schema", map[string]any{
		"datasource_id": q.dsID, "schema": q.schema, "name_prefix": q.prefix, "limit": q.limit})
	var imported *tableSyncModel // the resource before the catalog fills it in; made on first use
	read, listed := 0, int64(0)
	defer func() {
		tflog.Debug(ctx, "Listed the tables of an Alation schema", map[string]any{"rows_read": read, "results": listed})
	}()
	listing := l.client.TableListing(ctx, alation.TableFilter{DSID: q.dsID, SchemaName: q.schema}, q.pageSize())
	for table, err := range listing.All() {
		if err != nil {
			push(list.ListResult{Diagnostics: diag.Diagnostics{failureDiagnostic("Unable to List Tables", err,
				lookupFailure("list the tables of "+q.String(), err))}})
			return
		}
		read++
		if !q.wants(&table) {
			continue
		}
		if q.limit > 0 && listed >= q.limit {
			push(list.ListResult{Diagnostics: diag.Diagnostics{limitWarning(q)}})
			return
		}
		result := req.NewListResult(ctx)
		result.DisplayName = importID{datasourceID: q.dsID, schema: q.schema, table: table.Name}.String()
		result.Diagnostics.Append(result.Identity.Set(ctx, catalogIdentity(&table))...)
		if req.IncludeResource {
			if imported == nil {
				imported = &tableSyncModel{}
				result.Diagnostics.Append(getModel(ctx, tfsdk.Resource{Schema: req.ResourceSchema,
					Raw: objectValue(req.ResourceSchema.Type().TerraformType(ctx), nil)}, imported)...)
			}
			m := *imported
			m.setCatalog(&table, l.client.AbsoluteURL)
			result.Diagnostics.Append(setResourceModel(ctx, result.Resource, &m)...)
		}
		listed++
		if !push(result) || result.Diagnostics.HasError() {
			return
		}
	}
	if listing.MayBeCapped() {
		push(list.ListResult{Diagnostics: diag.Diagnostics{listingCapWarning(q, listing.End())}})
		return
	}
	if read == 0 {
		l.explainEmpty(ctx, q, push)
	}
}

// limitWarning says that the list block's limit, not the schema, ended
// the results: Terraform's default limit is 100.
func limitWarning(q tableQuery) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Table Listing Stopped at Its Limit", fmt.Sprintf(
		"Listed %d tables of %s, the list block's limit, and the schema holds more%s. "+
			"Terraform's default limit is 100: set limit in the list block higher to list them all, or narrow name_prefix.",
		q.limit, q, prefixNote(q.prefix)))
}

func prefixNote(prefix string) string {
	if prefix == "" {
		return ""
	}
	return fmt.Sprintf(" whose names start with %q", prefix)
}

// listingCapWarning says that a listing ended where Alation's cap may have
// stopped it: rows past it would be missing without a word.
func listingCapWarning(q tableQuery, end alation.ListingEnd) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Table Listing May Be Incomplete", fmt.Sprintf(
		"Alation listed %d tables of %s and then no next page. That is a whole number of %d-row pages, where Alation's "+
			"limit on the objects an API call returns (%d by default, the admin setting %s) stops a listing when it caps a whole "+
			"listing rather than one call: the schema may hold more tables than were listed.\n\n"+
			"Ask an Alation admin whether %s caps whole listings on this instance, and to raise it above the schema's size if so. "+
			"A table missing here can still be imported by its ID (DATASOURCE_ID/SCHEMA/TABLE), and alation_table_sync reads "+
			"such tables one by one. (A schema of exactly that many tables gives this warning too.)",
		end.Rows, q, alation.MaxPageSize, alation.MaxPageSize, alation.CatalogLimitSetting, alation.CatalogLimitSetting))
}

// explainEmpty makes an error of an empty listing when the schema is not in
// the catalog at all (a mistyped schema or data source, names being
// case-sensitive); a catalogued schema without tables lists nothing.
func (l *TableSyncListResource) explainEmpty(ctx context.Context, q tableQuery, push func(list.ListResult) bool) {
	hints, err := l.client.FindTableHints(ctx, q.dsID, q.schema, "")
	if err != nil {
		tflog.Debug(ctx, "Could not read the catalog to explain an empty listing", map[string]any{"error": err.Error()})
		return
	}
	if hints.SchemaFound {
		return
	}
	push(list.ListResult{Diagnostics: diag.Diagnostics{schemaNotFound(q, hints)}})
}
