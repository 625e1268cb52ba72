package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

var (
	_ datasource.DataSourceWithConfigure        = &TableDataSource{}
	_ datasource.DataSourceWithConfigValidators = &TableDataSource{}
)

// TableDataSource is data "alation_table": one catalog table as the
// Integration API v2 reports it. It only reads; it never syncs.
type TableDataSource struct {
	client *alation.Client
}

// NewTableDataSource is the factory the provider registers.
func NewTableDataSource() datasource.DataSource { return &TableDataSource{} }

type tableDataModel struct {
	ID                  wholeNumber  `tfsdk:"id"`
	DatasourceID        wholeNumber  `tfsdk:"datasource_id"`
	Schema              types.String `tfsdk:"schema"`
	Name                types.String `tfsdk:"name"`
	Title               types.String `tfsdk:"title"`
	Description         types.String `tfsdk:"description"`
	Key                 types.String `tfsdk:"key"`
	URL                 types.String `tfsdk:"url"`
	TableType           types.String `tfsdk:"table_type"`
	TableComment        types.String `tfsdk:"table_comment"`
	DSID                types.Int64  `tfsdk:"ds_id"`
	SchemaID            types.Int64  `tfsdk:"schema_id"`
	SchemaName          types.String `tfsdk:"schema_name"`
	BaseTableKey        types.String `tfsdk:"base_table_key"`
	SQL                 types.String `tfsdk:"sql"`
	PartitionColumns    types.List   `tfsdk:"partition_columns"`
	PartitionDefinition types.String `tfsdk:"partition_definition"`
	CustomFields        types.List   `tfsdk:"custom_fields"`
}

func (d *TableDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_table"
}

func (d *TableDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one table's catalog entry from Alation (`GET /integration/v2/table/`), by `id` or by " +
			"`datasource_id`, `schema` and `name`. It never syncs: a table that is not catalogued yet is an error. " +
			"To catalogue a table that Terraform creates, use the `alation_table_sync` resource, which reports the same entry.",
		Attributes: map[string]schema.Attribute{
			"id": schema.Int64Attribute{
				CustomType: wholeNumberType{},
				MarkdownDescription: "Alation's id of the table (the number in its catalog page's address, `/table/17194/`). " +
					"Set either `id`, or all of `datasource_id`, `schema` and `name`.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"datasource_id": schema.Int64Attribute{
				CustomType: wholeNumberType{},
				MarkdownDescription: "Id of the data source that holds the table, such as `data.alation_datasource.warehouse.id`. " +
					"Set together with `schema` and `name`, instead of `id`.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"schema": schema.StringAttribute{
				MarkdownDescription: "The table's schema as Alation names it, matched exactly (case-sensitive). Sources with two levels " +
					"above tables (SQL Server, Snowflake, Databricks Unity Catalog...) take both, dot-separated: `\"main.dbo\"`. " +
					"Set together with `datasource_id` and `name`, instead of `id`.",
				Optional:   true,
				Computed:   true,
				Validators: nameValidators(),
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The table's name, matched exactly (case-sensitive). Set together with `datasource_id` and `schema`, instead of `id`.",
				Optional:            true,
				Computed:            true,
				Validators:          nameValidators(),
			},
			"title":       str("The table's title in the catalog, as stewards edit it (empty when none was set)."),
			"description": str("The table's description in the catalog (HTML)."),
			"key":         str("Alation's key of the table: `\"<ds_id>.<schema>.<name>\"`, such as `\"8.main.dbo.orders\"`."),
			"url":         str("Link to the table's catalog page (Alation's relative path joined to `base_url`)."),
			"table_type": str("The kind of object Alation recorded, as it records it: `\"TABLE\"`, `\"VIEW\"`, or another of its kinds " +
				"such as `\"SYNONYM\"` or `\"EXTERNAL\"`, never rewritten to `\"TABLE\"`."),
			"table_comment": str("The table's comment from the database; null when the source has none."),
			"ds_id": schema.Int64Attribute{
				MarkdownDescription: "Id of the table's data source, as Alation reports it.",
				Computed:            true,
			},
			"schema_id": schema.Int64Attribute{
				MarkdownDescription: "Alation's id of the table's schema.",
				Computed:            true,
			},
			"schema_name":    str("The schema's name in the catalog."),
			"base_table_key": str("For an object based on another table (a synonym or alias, for instance), the key of that table; null otherwise."),
			"sql":            str("The SQL that defines a view; null for tables and where the source does not report it."),
			"partition_columns": schema.ListAttribute{
				MarkdownDescription: "The columns the table is partitioned by, for sources that report partitioning; empty or null otherwise.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"partition_definition": str("The table's partitioning clause, for sources that report it; null otherwise."),
			"custom_fields":        dataSourceCustomFieldsAttribute(),
		},
	}
}

// ConfigValidators accept `id` alone, or the three names together.
func (d *TableDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{tableLookupValidator{}}
}

// tableLookupValidator checks, before any request, that the configuration
// names a table one way: id, or datasource_id + schema + name. One clear
// error says what is missing or too much, where the generic validators
// would give two that read as if `name` alone were enough.
type tableLookupValidator struct{}

var tableNameAttrs = []string{"datasource_id", "schema", "name"}

func (tableLookupValidator) Description(context.Context) string {
	return "set either id, or datasource_id, schema and name together"
}

func (tableLookupValidator) MarkdownDescription(context.Context) string {
	return "set either `id`, or `datasource_id`, `schema` and `name` together"
}

func (tableLookupValidator) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	set := map[string]bool{}
	unknown := false
	for _, name := range append([]string{"id"}, tableNameAttrs...) {
		var val attr.Value
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), &val)...)
		if resp.Diagnostics.HasError() {
			return
		}
		switch {
		case val.IsUnknown():
			unknown = true
			set[name] = true // known only at apply, but configured
		case !val.IsNull():
			set[name] = true
		}
	}
	var names, missing []string
	for _, n := range tableNameAttrs {
		if set[n] {
			names = append(names, n)
		} else {
			missing = append(missing, n)
		}
	}
	switch {
	case set["id"] && len(names) > 0:
		resp.Diagnostics.AddAttributeError(path.Root(names[0]), "Conflicting Table Look-up", fmt.Sprintf(
			"Both id and %s are set. Look the table up either by id, or by datasource_id, schema and name together: remove one or the other.",
			strings.Join(names, ", ")))
	case set["id"] || unknown && len(missing) == 0:
	case len(names) == 0:
		resp.Diagnostics.AddError("Missing Table Look-up",
			"Say which table to read: set id (Alation's table id), or datasource_id, schema and name together.")
	case len(missing) > 0:
		resp.Diagnostics.AddAttributeError(path.Root(missing[0]), "Incomplete Table Look-up", fmt.Sprintf(
			"%s %s set, but %s %s not: datasource_id, schema and name go together. Set the missing %s, or look the table up by id alone.",
			strings.Join(names, " and "), isAre(len(names)), strings.Join(missing, " and "), isAre(len(missing)), strings.Join(missing, " and ")))
	}
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func (d *TableDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

func (d *TableDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg tableDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()

	var (
		table *alation.CatalogTable
		err   error
		what  string
	)
	if !cfg.ID.IsNull() {
		what = fmt.Sprintf("id %d", cfg.ID.ValueInt64())
		tflog.Debug(ctx, "Reading an Alation catalog table by id", map[string]any{"id": cfg.ID.ValueInt64()})
		table, err = d.client.GetTable(ctx, cfg.ID.ValueInt64())
	} else {
		in := alation.SyncTableInput{DatasourceID: cfg.DatasourceID.ValueInt64(), Schema: cfg.Schema.ValueString(), Table: cfg.Name.ValueString()}
		what = in.String()
		tflog.Debug(ctx, "Reading an Alation catalog table by name", map[string]any{"table": what})
		table, err = d.client.FindTable(ctx, in.DatasourceID, in.Schema, in.Table)
	}
	switch {
	case alation.IsNotFound(err):
		resp.Diagnostics.Append(d.notFound(ctx, cfg))
		return
	case err != nil:
		resp.Diagnostics.Append(failureDiagnostic("Unable to Read Table", err, lookupFailure("read table "+what+" from the catalog", err)))
		return
	}

	state := tableDataModel{
		ID:                  wholeNumberValue(int64(table.ID)),
		DatasourceID:        wholeNumberValue(int64(table.DSID)),
		Schema:              types.StringValue(table.SchemaName),
		Name:                types.StringValue(table.Name),
		Title:               types.StringValue(table.Title),
		Description:         types.StringValue(table.Description),
		Key:                 types.StringValue(table.Key),
		URL:                 types.StringValue(d.client.AbsoluteURL(table.URL)),
		TableType:           types.StringValue(table.TableType),
		TableComment:        flexString(table.TableComment),
		DSID:                types.Int64Value(int64(table.DSID)),
		SchemaID:            types.Int64Value(int64(table.SchemaID)),
		SchemaName:          types.StringValue(table.SchemaName),
		BaseTableKey:        flexString(table.BaseTableKey),
		SQL:                 flexString(table.SQL),
		PartitionDefinition: flexString(table.PartitionDefinition),
	}
	state.PartitionColumns = stringList(ctx, table.PartitionColumns, &resp.Diagnostics)
	state.CustomFields = customFieldsValue(ctx, table.CustomFields, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// notFound explains a table that is not in the catalog, with what the
// catalog has instead when a cheap look-up can tell.
func (d *TableDataSource) notFound(ctx context.Context, cfg tableDataModel) diag.Diagnostic {
	const neverSyncs = "This data source only reads the catalog and never syncs. A table that exists in the database but is not " +
		"catalogued yet appears after the next metadata extraction, or at once through the alation_table_sync resource, " +
		"whose attributes hold the same catalog entry."
	if !cfg.ID.IsNull() {
		return diag.NewAttributeErrorDiagnostic(path.Root("id"), "Table Not Found", fmt.Sprintf(
			"No table with id %d is in the Alation catalog: GET /integration/v2/table/?id=%d returned nothing.\n\n"+
				"Check the id (the number in the table's catalog page address, /table/<id>/). A table removed from the catalog "+
				"and catalogued again gets a new id, so an id copied from an older entry may be stale. %s", cfg.ID.ValueInt64(), cfg.ID.ValueInt64(), neverSyncs))
	}
	dsID, schemaName, name := cfg.DatasourceID.ValueInt64(), cfg.Schema.ValueString(), cfg.Name.ValueString()
	var b strings.Builder
	fmt.Fprintf(&b, "No table named %q is catalogued in schema %q of data source %d; names are matched exactly, case included.", name, schemaName, dsID)
	b.WriteString(catalogHint(ctx, d.client, dsID, schemaName, name, "name"))
	b.WriteString("\n\nCheck datasource_id, schema and name, or look the table up by id. " + neverSyncs)
	return diag.NewAttributeErrorDiagnostic(path.Root("name"), "Table Not Found", b.String())
}

// catalogHint says, after a look-up by name found nothing, what the catalog
// has instead: a table, or a schema, whose name differs only in case, or
// the schemas most like the one asked for. field is the attribute that
// names the table. A catalog that cannot be read gives no hint.
func catalogHint(ctx context.Context, client *alation.Client, dsID int64, schemaName, name, field string) string {
	hints, err := client.FindTableHints(ctx, dsID, schemaName, name)
	switch {
	case err != nil:
		tflog.Debug(ctx, "Could not read the catalog for the not-found message", map[string]any{"error": err.Error()})
		return ""
	case hints.SchemaFound && len(hints.CaseVariants) > 0:
		return fmt.Sprintf(" The schema has %s, which differs only in case: set %s to exactly that.", caseVariantNames(hints.CaseVariants), field)
	case hints.SchemaFound && hints.Truncated:
		return fmt.Sprintf(" The schema is catalogued; the first %d of its tables Alation listed hold no table of that name in another case, "+
			"but it has more than Alation lists in one call (or its listing cap, %s, stopped the listing there), so one may exist past them.",
			alation.MaxPageSize, alation.CatalogLimitSetting)
	case hints.SchemaFound:
		return " The schema is catalogued, but holds no table of that name in any case."
	}
	for _, s := range hints.Schemas {
		if s.Name != schemaName && strings.EqualFold(s.Name, schemaName) {
			return fmt.Sprintf(" Data source %d has schema %q, which differs from %q only in case: set schema to exactly that.", dsID, s.Name, schemaName)
		}
	}
	return missingSchemaHint(hints, dsID, schemaName)
}

// missingSchemaHint says what data source dsID has instead of schema
// schemaName, which hints found missing: the schemas most like it, or none.
func missingSchemaHint(hints *alation.TableHints, dsID int64, schemaName string) string {
	if len(hints.Schemas) == 0 {
		return fmt.Sprintf(" Data source %d has no catalogued schema at all: check datasource_id (data.alation_datasource can look it up by title).", dsID)
	}
	return fmt.Sprintf(" Data source %d has no schema %q; its schemas include %s. "+
		"Sources with two levels above tables take \"database.schema\".", dsID, schemaName, schemasLike(hints.Schemas, schemaName, hints.Truncated))
}

// schemasLike names schemas for a message, those most like schemaName
// first, up to maxListed: `"main.dbo", "dbo" and more`.
func schemasLike(schemas []alation.CatalogSchema, schemaName string, truncated bool) string {
	schemas = slices.Clone(schemas)
	slices.SortStableFunc(schemas, func(a, b alation.CatalogSchema) int {
		return schemaSimilarity(b.Name, schemaName) - schemaSimilarity(a.Name, schemaName)
	})
	names := make([]string, 0, maxListed)
	for _, s := range schemas[:min(len(schemas), maxListed)] {
		names = append(names, fmt.Sprintf("%q", s.Name))
	}
	more := ""
	if n := len(schemas) - len(names); n > 0 || truncated {
		more = " and more"
	}
	return strings.Join(names, ", ") + more
}

// schemaSimilarity ranks schema names like the one looked for first: the
// same name in another case, then one ending or starting with the other
// ("dbo" for "main.dbo").
func schemaSimilarity(a, b string) int {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	switch {
	case la == lb:
		return 3
	case strings.HasSuffix(la, "."+lb) || strings.HasSuffix(lb, "."+la):
		return 2
	}
	return similarity(a, b)
}

// dataSourceCustomFieldsAttribute is customFieldsAttribute in the data
// source schema package: the same shape and descriptions.
func dataSourceCustomFieldsAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: customFieldsDescription,
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"field_id":   schema.Int64Attribute{MarkdownDescription: customFieldIDDescription, Computed: true},
			"field_name": schema.StringAttribute{MarkdownDescription: customFieldNameDescription, Computed: true},
			"value":      schema.StringAttribute{MarkdownDescription: customFieldValueDescription, Computed: true},
			"values":     schema.ListAttribute{MarkdownDescription: customFieldValuesDescription, Computed: true, ElementType: types.StringType},
			"objects": schema.ListNestedAttribute{
				MarkdownDescription: customFieldObjsDescription,
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"otype": schema.StringAttribute{MarkdownDescription: objectTypeDescription, Computed: true},
					"oid":   schema.Int64Attribute{MarkdownDescription: objectIDDescription, Computed: true},
				}},
			},
		}},
	}
}
