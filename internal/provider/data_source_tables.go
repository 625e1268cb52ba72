package provider

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

var _ datasource.DataSourceWithConfigure = &TablesDataSource{}

// TablesDataSource is data "alation_tables": the tables Alation catalogues
// in one schema, for configurations that adopt or sync them with for_each.
// It reads the catalog in one listing and never syncs.
type TablesDataSource struct {
	client *alation.Client
}

// NewTablesDataSource is the factory the provider registers.
func NewTablesDataSource() datasource.DataSource { return &TablesDataSource{} }

type tablesDataModel struct {
	DatasourceID wholeNumber  `tfsdk:"datasource_id"`
	Schema       types.String `tfsdk:"schema"`
	NamePrefix   types.String `tfsdk:"name_prefix"`
	NameRegex    types.String `tfsdk:"name_regex"`
	Tables       []tableItem  `tfsdk:"tables"`
}

// tableItem is one entry of tables.
type tableItem struct {
	ID        types.Int64  `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	TableType types.String `tfsdk:"table_type"`
	URL       types.String `tfsdk:"url"`
}

func (d *TablesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tables"
}

func (d *TablesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the tables, views and other objects the Alation catalog holds in one schema of one data source " +
			"(`GET /integration/v2/table/`, one listing of pages of 1,000), optionally filtered by name, such as to adopt them with " +
			"`import` blocks and `for_each`, or to sync each one. It reads the catalog only, never the database, and never syncs: " +
			"a table that is in the database but not yet catalogued is not listed. A schema the catalog does not hold is an error; " +
			"a catalogued schema without tables, or whose tables the filters all leave out, lists none. A listing that ends where " +
			"Alation's cap (`alation.api.catalog.limit`) may have stopped it warns \"Table Listing May Be Incomplete\".",
		Attributes: map[string]schema.Attribute{
			"datasource_id": schema.Int64Attribute{
				CustomType:          wholeNumberType{},
				MarkdownDescription: "Id of the Alation data source whose tables to list, such as `data.alation_datasource.warehouse.id`.",
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
				MarkdownDescription: "Only tables whose name starts with this, case-sensitive, such as `\"FACT_\"`, as the " +
					"`alation_table_sync` list resource's `name_prefix`. Unset or empty keeps every name.",
				Optional: true,
			},
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Only tables whose name this regular expression matches, in [RE2 syntax](https://github.com/google/re2/wiki/Syntax), " +
					"as Terraform's own `regex` function takes it. It matches anywhere in the name unless anchored (`\"^STG_.*_V[0-9]+$\"`) " +
					"and is case-sensitive unless it starts with `(?i)`. Checked at validate. With `name_prefix` too, a table must satisfy both.",
				Optional:   true,
				Validators: []validator.String{validRegex()},
			},
			"tables": schema.ListNestedAttribute{
				MarkdownDescription: "The schema's catalogued tables that the filters keep, ordered by name (byte order, so `\"Orders\"` before `\"orders\"`). " +
					"To key a `for_each` by name: `{ for t in data.alation_tables.x.tables : t.name => t }`.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.Int64Attribute{
						MarkdownDescription: "Alation's id of the table: an `alation_table_sync` import ID, and `data.alation_table`'s `id`.",
						Computed:            true,
					},
					"name": schema.StringAttribute{
						MarkdownDescription: "The table's name, exactly as Alation catalogues it.",
						Computed:            true,
					},
					"table_type": schema.StringAttribute{
						MarkdownDescription: "The kind of object, as Alation recorded it and unchanged: `\"TABLE\"`, `\"VIEW\"`, and others such as " +
							"`\"SYNONYM\"` or `\"EXTERNAL\"` where the source has them; null when Alation did not say. " +
							"`alation_table_sync` syncs `\"TABLE\"` and `\"VIEW\"` only: filter on it before adopting.",
						Computed: true,
					},
					"url": schema.StringAttribute{
						MarkdownDescription: "Link to the table's catalog page (Alation's relative path joined to `base_url`); null when Alation gave none.",
						Computed:            true,
					},
				}},
			},
		},
	}
}

func (d *TablesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

func (d *TablesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg tablesDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The validator compiled it already; an error here cannot happen.
	var nameRegex *regexp.Regexp
	if s := cfg.NameRegex.ValueString(); s != "" {
		var err error
		if nameRegex, err = regexp.Compile(s); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("name_regex"), "Invalid Regular Expression", err.Error())
			return
		}
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()

	q := tableQuery{dsID: cfg.DatasourceID.ValueInt64(), schema: cfg.Schema.ValueString(), prefix: cfg.NamePrefix.ValueString()}
	tables, inSchema, capped, err := d.list(ctx, q, nameRegex)
	if err != nil {
		resp.Diagnostics.Append(failureDiagnostic("Unable to List Tables", err, listingFailure(q, err)))
		return
	}
	if capped != nil {
		// Never a silently short list: Alation's cap may have cut it.
		resp.Diagnostics.Append(listingCapWarning(q, *capped))
	}
	if inSchema == 0 {
		// An empty answer is all Alation says of a schema or data source
		// it does not have: ask the catalog which it is.
		if diagnostic := d.schemaMissing(ctx, q); diagnostic != nil {
			resp.Diagnostics.Append(diagnostic)
			return
		}
	}
	cfg.Tables = tables
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// list reads the schema's tables in one listing and keeps those the
// filters want; inSchema counts the rows of the schema before the name
// filters, and capped, when not nil, is how a listing ended that Alation's
// cap may have cut short. The listing is bounded as every listing is
// (alation.pages): rows already listed are not listed twice, and paging
// that repeats itself stops.
func (d *TablesDataSource) list(ctx context.Context, q tableQuery, nameRegex *regexp.Regexp) (tables []tableItem, inSchema int, capped *alation.ListingEnd, err error) {
	tables = []tableItem{}
	rows := 0
	listing := d.client.TableListing(ctx, alation.TableFilter{DSID: q.dsID, SchemaName: q.schema}, alation.MaxPageSize)
	for t, err := range listing.All() {
		if err != nil {
			return nil, 0, nil, err
		}
		rows++
		// Alation's filters may match loosely, or a proxy may drop them:
		// only the schema's own rows count.
		if int64(t.DSID) != q.dsID || t.SchemaName != q.schema {
			continue
		}
		inSchema++
		if !q.wants(&t) || (nameRegex != nil && !nameRegex.MatchString(t.Name)) {
			continue
		}
		tables = append(tables, tableItem{
			ID:        types.Int64Value(int64(t.ID)),
			Name:      types.StringValue(t.Name),
			TableType: stringOrNull(t.TableType),
			URL:       stringOrNull(d.client.AbsoluteURL(t.URL)),
		})
	}
	slices.SortFunc(tables, func(a, b tableItem) int {
		return cmp.Or(cmp.Compare(a.Name.ValueString(), b.Name.ValueString()), cmp.Compare(a.ID.ValueInt64(), b.ID.ValueInt64()))
	})
	tflog.Debug(ctx, "Listed the tables of an Alation schema", map[string]any{
		"datasource_id": q.dsID, "schema": q.schema, "rows_read": rows, "in_schema": inSchema, "kept": len(tables)})
	if listing.MayBeCapped() {
		end := listing.End()
		capped = &end
	}
	return tables, inSchema, capped, nil
}

// schemaMissing is the error for a listing that found nothing because the
// catalog has no such schema; nil when the schema is catalogued (it has no
// tables). When the catalog cannot tell, that is the error: an empty list
// would read as an empty schema.
func (d *TablesDataSource) schemaMissing(ctx context.Context, q tableQuery) diag.Diagnostic {
	hints, err := d.client.FindTableHints(ctx, q.dsID, q.schema, "")
	switch {
	case err != nil:
		return failureDiagnostic("Unable to List Tables", err, lookupFailure(
			fmt.Sprintf("tell whether %s is catalogued (its table listing was empty)", q), err))
	case hints.SchemaFound:
		return nil
	}
	return schemaNotFound(q, hints)
}

// schemaNotFound says that the catalog has no schema q.schema in data
// source q.dsID, and what it has instead.
func schemaNotFound(q tableQuery, hints *alation.TableHints) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Schema Not Found", fmt.Sprintf(
		"Cannot list the tables of %s: the Alation catalog has no such schema "+
			"(Alation answered GET /integration/v2/table/ with no rows, and its schema listing does not have it).%s\n\n"+
			"Check datasource_id and schema; names are matched exactly, case included. A schema that is in the database "+
			"but not catalogued yet appears after the next metadata extraction.", q, missingSchemaHint(hints, q.dsID, q.schema)))
}

// listingFailure describes a failed listing. A 404 may be Alation's answer
// to a data source it does not have, as much as an endpoint it lacks.
func listingFailure(q tableQuery, err error) string {
	action := "list the tables of " + q.String()
	if alation.StatusCode(err) != http.StatusNotFound {
		return lookupFailure(action, err)
	}
	return describeFailure(action, "read", err, func(*alation.APIError) string {
		return "Check datasource_id and schema: data.alation_datasource looks a data source up by its title, and names are matched exactly, " +
			"case included. If Alation's message says that the endpoint does not exist, the Integration API v2 needs Alation 2021.2 or later: check base_url."
	})
}

// stringOrNull keeps an empty string, which the catalog leaves out, null.
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
