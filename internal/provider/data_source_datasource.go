package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
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
	_ datasource.DataSourceWithConfigure        = &DataSourceDataSource{}
	_ datasource.DataSourceWithConfigValidators = &DataSourceDataSource{}
)

// maxListed caps how many catalog objects a not-found or ambiguity message
// names, so that a catalog of hundreds of sources stays readable.
const maxListed = 10

// DataSourceDataSource is data "alation_datasource": one Alation data source
// by id or exact title, from either Integration API version.
type DataSourceDataSource struct {
	client *alation.Client
}

// NewDataSourceDataSource is the factory the provider registers.
func NewDataSourceDataSource() datasource.DataSource { return &DataSourceDataSource{} }

type dataSourceModel struct {
	ID                      wholeNumber  `tfsdk:"id"`
	Title                   types.String `tfsdk:"title"`
	Description             types.String `tfsdk:"description"`
	DBType                  types.String `tfsdk:"dbtype"`
	Host                    types.String `tfsdk:"host"`
	Port                    types.Int64  `tfsdk:"port"`
	URI                     types.String `tfsdk:"uri"`
	DBName                  types.String `tfsdk:"dbname"`
	IsVirtual               types.Bool   `tfsdk:"is_virtual"`
	URL                     types.String `tfsdk:"url"`
	APIVersion              types.String `tfsdk:"api_version"`
	ConnectorID             types.Int64  `tfsdk:"connector_id"`
	Private                 types.Bool   `tfsdk:"private"`
	IsHidden                types.Bool   `tfsdk:"is_hidden"`
	Deleted                 types.Bool   `tfsdk:"deleted"`
	DeploymentSetupComplete types.Bool   `tfsdk:"deployment_setup_complete"`
}

func (d *DataSourceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_datasource"
}

func (d *DataSourceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	flag := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{MarkdownDescription: desc, Computed: true}
	}
	const absent = " Null when Alation does not report it (OCF sources under the v2 API may leave it out)."
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one Alation data source by `id` or by exact `title`, among both the newer " +
			"Open Connector Framework sources (Integration API v2) and the older native ones (Integration API v1). " +
			"Typical use: `datasource_id = data.alation_datasource.warehouse.id` in `alation_table_sync`, " +
			"so that a pipeline names its source by title rather than by a number. Reading it makes no change in Alation.",
		Attributes: map[string]schema.Attribute{
			"id": schema.Int64Attribute{
				CustomType: wholeNumberType{},
				MarkdownDescription: "The data source's id (the number in its catalog page's address, `/data/8/`). " +
					"Set exactly one of `id` and `title`; when looking up by `title`, this is what was found.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"title": schema.StringAttribute{
				MarkdownDescription: "The data source's title in Alation, matched exactly (case and spaces included). " +
					"Set exactly one of `id` and `title`; several sources with this title are an error that lists their ids. " +
					"Sources hidden in Alation's UI are found too when the credentials are a Server Admin's: Alation lists hidden " +
					"sources (`include_hidden=true`) to Server Admins only. For anyone else, such as a Catalog Admin, the look-up " +
					"searches the sources Alation lists to them, and a hidden source is found by `id`; the debug log, and the error " +
					"when no source has the title, say when hidden sources were not searched.",
				Optional:   true,
				Computed:   true,
				Validators: nameValidators(),
			},
			"description": str("The data source's description in Alation (may hold HTML)." + absent),
			"dbtype":      str("The database type, such as `snowflake`, `postgresql` or `sqlserver`." + absent),
			"host":        str("The database host Alation connects to." + absent),
			"port": schema.Int64Attribute{
				MarkdownDescription: "The database port Alation connects to." + absent,
				Computed:            true,
			},
			"uri":    str("The connection URI (JDBC URI for OCF sources), without credentials." + absent),
			"dbname": str("The database (or service) name." + absent),
			"is_virtual": flag("Whether this is a virtual data source, whose metadata is uploaded through the API rather than " +
				"extracted from a database connection." + absent),
			"url": str("Link to the data source's catalog page (Alation's relative path joined to `base_url`)."),
			"api_version": str("Where Alation serves the source: `\"v2\"` (`/integration/v2/datasource/`, Open Connector Framework " +
				"connectors) or `\"v1\"` (`/integration/v1/datasource/`, older native connectors)."),
			"connector_id": schema.Int64Attribute{
				MarkdownDescription: "Id of the OCF connector the source uses; null for native (v1) sources.",
				Computed:            true,
			},
			"private":   flag("Whether the source is private in Alation, visible only to the users it is shared with." + absent),
			"is_hidden": flag("Whether the source is hidden from Alation's lists of sources." + absent),
			"deleted":   flag("Whether Alation flags the source as deleted; a warning says so when it is true." + absent),
			"deployment_setup_complete": flag("Whether the source's set-up in Alation was completed; until it is, " +
				"nothing can be extracted or synced from it." + absent),
		},
	}
}

func (d *DataSourceDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("title")),
	}
}

func (d *DataSourceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

func (d *DataSourceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg dataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()

	var (
		ds   *alation.DataSource
		err  error
		what string
	)
	if !cfg.ID.IsNull() {
		what = fmt.Sprintf("id %d", cfg.ID.ValueInt64())
		tflog.Debug(ctx, "Looking up an Alation data source by id", map[string]any{"id": cfg.ID.ValueInt64()})
		ds, err = d.client.GetDataSource(ctx, cfg.ID.ValueInt64())
	} else {
		what = fmt.Sprintf("titled %q", cfg.Title.ValueString())
		tflog.Debug(ctx, "Looking up an Alation data source by title", map[string]any{"title": cfg.Title.ValueString()})
		ds, err = d.client.FindDataSourceByTitle(ctx, cfg.Title.ValueString())
	}
	if err != nil {
		resp.Diagnostics.Append(d.lookupDiagnostic(ctx, cfg, what, err))
		return
	}
	if ds.Deleted.Value {
		resp.Diagnostics.AddWarning("Data Source Is Deleted",
			fmt.Sprintf("Alation flags data source %s as deleted. Tables cannot be synced from a deleted source: "+
				"point the configuration at the source that replaced it.", ds))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, dataSourceState(ds, d.client.AbsoluteURL))...)
}

func dataSourceState(ds *alation.DataSource, absURL func(string) string) *dataSourceModel {
	nullBool := func(b alation.NullBool) types.Bool {
		if !b.Valid {
			return types.BoolNull()
		}
		return types.BoolValue(b.Value)
	}
	nullInt := func(n alation.NullInt) types.Int64 {
		if !n.Valid {
			return types.Int64Null()
		}
		return types.Int64Value(n.Value)
	}
	return &dataSourceModel{
		ID:                      wholeNumberValue(int64(ds.ID)),
		Title:                   types.StringValue(ds.Title),
		Description:             flexString(ds.Description),
		DBType:                  flexString(ds.DBType),
		Host:                    flexString(ds.Host),
		Port:                    nullInt(ds.Port),
		URI:                     flexString(ds.URI),
		DBName:                  flexString(ds.DBName),
		IsVirtual:               nullBool(ds.IsVirtual),
		URL:                     types.StringValue(absURL(ds.URL)),
		APIVersion:              types.StringValue(ds.APIVersion),
		ConnectorID:             nullInt(ds.ConnectorID),
		Private:                 nullBool(ds.Private),
		IsHidden:                nullBool(ds.IsHidden),
		Deleted:                 nullBool(ds.Deleted),
		DeploymentSetupComplete: nullBool(ds.DeploymentSetupComplete),
	}
}

// lookupDiagnostic turns a failed look-up into one of three errors: not
// found and ambiguous list what Alation has; anything else is an API failure
// in the provider's usual voice.
func (d *DataSourceDataSource) lookupDiagnostic(ctx context.Context, cfg dataSourceModel, what string, err error) diag.Diagnostic {
	var amb *alation.AmbiguousDataSourceError
	var byTitle *alation.DataSourceNotFoundError
	switch {
	case errors.As(err, &amb):
		return diag.NewAttributeErrorDiagnostic(path.Root("title"), "Ambiguous Data Source Title", fmt.Sprintf(
			"%d data sources in Alation are titled %q: %s.\n\n"+
				"Look the source up by id instead (id = %d, for instance), or give the sources distinct titles in Alation.",
			len(amb.Matches), amb.Title, describeSources(amb.Matches, len(amb.Matches)), int64(amb.Matches[0].ID)))
	case errors.As(err, &byTitle):
		return diag.NewAttributeErrorDiagnostic(path.Root("title"), "Data Source Not Found", fmt.Sprintf(
			"No data source in Alation is titled %q; titles are matched exactly, case and spaces included. %s\n\n"+
				"Set title to one of these exactly, or look the source up by id. "+
				"A private source is listed only to the users it is shared with: check that the credentials' user can see it.%s",
			byTitle.Title, listedSources(byTitle.Listed, byTitle.Title), hiddenNote(byTitle.Hidden)))
	case alation.IsNotFound(err):
		listed := "Alation's list of sources could not be read either."
		if all, lerr := d.client.ListAllDataSources(ctx); lerr == nil {
			listed = listedSources(all, "")
		} else {
			tflog.Debug(ctx, "Could not list data sources for the not-found message", map[string]any{"error": lerr.Error()})
		}
		return diag.NewAttributeErrorDiagnostic(path.Root("id"), "Data Source Not Found", fmt.Sprintf(
			"Alation has no data source with id %d: neither /integration/v2/datasource/%d/ (Open Connector Framework sources) "+
				"nor /integration/v1/datasource/%d/ (native sources) knows it. %s\n\n"+
				"Check the id: it is the number in the source's catalog page address (/data/<id>/). "+
				"A private source is visible only to the users it is shared with. Or look the source up by title.",
			cfg.ID.ValueInt64(), cfg.ID.ValueInt64(), cfg.ID.ValueInt64(), listed))
	default:
		return failureDiagnostic("Unable to Read Data Source", err, lookupFailure("look up the data source "+what, err))
	}
}

// listedSources says what Alation lists: first the sources whose title
// resembles title (same words in another case or spacing, or one containing
// the other), then the others, in Alation's order, up to maxListed in all.
func listedSources(all []alation.DataSource, title string) string {
	if len(all) == 0 {
		return "Alation lists no data source at all to these credentials."
	}
	var near, others []alation.DataSource
	for _, ds := range all {
		if title != "" && similarity(ds.Title, title) > 0 {
			near = append(near, ds)
		} else {
			others = append(others, ds)
		}
	}
	slices.SortStableFunc(near, func(a, b alation.DataSource) int { return similarity(b.Title, title) - similarity(a.Title, title) })
	var b strings.Builder
	if len(near) > 0 {
		fmt.Fprintf(&b, "Closest: %s. ", describeSources(near, maxListed))
	}
	if len(others) > 0 {
		if len(near) > 0 {
			b.WriteString("Alation also lists ")
		} else {
			b.WriteString("Alation lists ")
		}
		fmt.Fprintf(&b, "%d data source%s: %s.", len(others), pluralS(len(others)), describeSources(others, max(maxListed-len(near), 3)))
	}
	return strings.TrimSpace(b.String())
}

// describeSources names up to limit sources.
func describeSources(sources []alation.DataSource, limit int) string {
	names := make([]string, 0, min(len(sources), limit))
	for _, ds := range sources[:min(len(sources), limit)] {
		s := fmt.Sprintf("%q (id %d, %s", ds.Title, int64(ds.ID), ds.APIVersion)
		if ds.DBType.Valid && ds.DBType.Value != "" {
			s += ", " + ds.DBType.Value
		}
		if ds.Deleted.Value {
			s += ", deleted"
		}
		names = append(names, s+")")
	}
	out := strings.Join(names, ", ")
	if n := len(sources) - len(names); n > 0 {
		out += fmt.Sprintf(" and %d more", n)
	}
	return out
}

// similarity ranks how much a looks like b: 2 for the same words in any
// case and spacing, 1 when one contains the other ignoring case, else 0.
func similarity(a, b string) int {
	na, nb := strings.ToLower(strings.Join(strings.Fields(a), " ")), strings.ToLower(strings.Join(strings.Fields(b), " "))
	switch {
	case na == nb:
		return 2
	case na != "" && nb != "" && (strings.Contains(na, nb) || strings.Contains(nb, na)):
		return 1
	}
	return 0
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// lookupFailure describes a failed catalog read. A data source has no
// timeouts block, so an expired deadline gets its own advice; everything
// else speaks like the resource's errors.
func lookupFailure(action string, err error) string {
	var reqErr *alation.RequestError
	if errors.As(err, &reqErr) && reqErr.TimedOut() {
		return fmt.Sprintf("Could not %s: Alation did not answer within %s (%v).\n\n"+
			"Check Alation's health and the network path to it, then run Terraform again.", action, defaultReadTimeout, reqErr)
	}
	return describeFailure(action, "read", err, lookupAdvice)
}

// hiddenNote says, for a title not found, whether hidden sources were
// searched: Alation lists them to Server Admins only.
func hiddenNote(h alation.HiddenSearch) string {
	switch h {
	case alation.HiddenNotSearched:
		return " Hidden data sources were not searched: Alation lists them (include_hidden=true) to Server Admins only, and " +
			"refused that to these credentials. If the source is hidden in Alation, look it up by id, which finds hidden sources too, " +
			"or use a Server Admin's credentials."
	case alation.HiddenMaybeSearched:
		return " If the source is hidden in Alation's UI, it may not be listed: Alation lists hidden sources to Server Admins only, " +
			"and may leave them out for other users without saying so. Look a hidden source up by id, which finds it whatever the role."
	}
	return ""
}
