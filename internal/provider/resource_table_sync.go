package provider

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

var (
	_ resource.ResourceWithConfigure   = &TableSyncResource{}
	_ resource.ResourceWithImportState = &TableSyncResource{}
	_ resource.ResourceWithIdentity    = &TableSyncResource{}
	_ resource.ResourceWithModifyPlan  = &TableSyncResource{}
)

// unreportedDoc describes a computed attribute a sync answer may leave out.
const unreportedDoc = " Null when neither the sync's answer nor a read of the entry by id reported it, until a refresh does."

// Default timeouts: a sync makes Alation connect to the database while the
// request is open, so it can take minutes on a busy source.
const (
	defaultSyncTimeout = 10 * time.Minute
	defaultReadTimeout = 2 * time.Minute
)

// TableSyncResource is alation_table_sync: it asks Alation to catalog one
// table now instead of at the next scheduled metadata extraction.
type TableSyncResource struct {
	client *alation.Client
	// defaultOnFailure is the provider's default_on_failure; empty is halt.
	defaultOnFailure string
	now              func() time.Time
}

// NewTableSyncResource is the factory the provider registers.
func NewTableSyncResource() resource.Resource {
	return &TableSyncResource{now: time.Now}
}

func (r *TableSyncResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_table_sync"
}

func (r *TableSyncResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Syncs one table's metadata into the Alation catalog during `terraform apply`, through Alation's " +
			"Table Metadata Sync Trigger, instead of waiting for the next scheduled metadata extraction. " +
			"Changing the table's identity replaces the resource (a sync of the new table); changing `triggers` syncs again in place. " +
			"Destroying it makes no API call: the catalog entry stays, as a sync has nothing to undo. " +
			"State keeps what the sync established; a table's title, description and custom fields are the `alation_table` data source's.",
		Attributes: map[string]schema.Attribute{
			"datasource_id": schema.Int64Attribute{
				CustomType:          wholeNumberType{},
				MarkdownDescription: datasourceIDDoc + " Changing it replaces the resource.",
				Required:            true,
				Validators:          datasourceIDValidators(),
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"schema": schema.StringAttribute{
				MarkdownDescription: schemaDoc + " Changing it replaces the resource.",
				Required:            true,
				Validators:          nameValidators(),
				PlanModifiers:       replace,
			},
			"table": schema.StringAttribute{
				MarkdownDescription: tableDoc + " Changing it replaces the resource.",
				Required:            true,
				Validators:          nameValidators(),
				PlanModifiers:       replace,
			},
			"table_type": schema.StringAttribute{
				MarkdownDescription: tableTypeResourceDoc,
				Optional:            true,
				Computed:            true,
				Validators:          tableTypeValidators(),
				PlanModifiers:       []planmodifier.String{tableTypePlan{}},
			},
			"triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary strings; any change syncs the table again, in place. Feed it what describes the table's DDL, " +
					"such as `{ ddl = sha1(jsonencode(snowflake_table.orders.column)) }`, so that every ALTER reaches the catalog.",
				ElementType: types.StringType,
				Optional:    true,
			},
			"id": schema.Int64Attribute{
				MarkdownDescription: "Alation's id of the table's catalog entry.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"url": schema.StringAttribute{
				MarkdownDescription: "Link to the table's catalog page (Alation's relative path joined to `base_url`)." + unreportedDoc,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseNonNullStateForUnknown()},
			},
			"schema_id": schema.Int64Attribute{
				MarkdownDescription: "Alation's id of the table's schema." + unreportedDoc,
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseNonNullStateForUnknown()},
			},
			"is_view": schema.BoolAttribute{
				MarkdownDescription: "Whether the catalog entry is a view." + unreportedDoc,
				Computed:            true,
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseNonNullStateForUnknown()},
			},
			"last_synced_at": schema.StringAttribute{
				MarkdownDescription: "When this resource last synced the table (RFC 3339 in UTC, with milliseconds); null after an import, until the next sync.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{lastSyncedPlan{}},
			},
			"wait_for_table_timeout": schema.StringAttribute{
				MarkdownDescription: waitForTableDoc + " The create or update timeout still bounds the whole sync. Changing it does not sync.",
				Optional:            true,
				Validators:          waitForTableValidators(),
			},
			"on_failure": schema.StringAttribute{
				MarkdownDescription: onFailureDoc,
				Optional:            true,
				Validators:          onFailureValidators(),
			},
			"synced": schema.BoolAttribute{
				MarkdownDescription: syncedDoc,
				Computed:            true,
				PlanModifiers:       []planmodifier.Bool{syncedPlan{}},
			},
			"timeouts": syncTimeouts(ctx),
		},
	}
}

// IdentitySchema: the data source, schema and table, all needed to import
// (Terraform 1.12 and later send and store it).
func (r *TableSyncResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"datasource_id": identityschema.Int64Attribute{
				CustomType:        wholeNumberType{},
				RequiredForImport: true,
				Description:       "Id of the Alation data source that holds the table.",
			},
			"schema": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The table's schema, as Alation names it (\"main.dbo\" for two-level sources); case-sensitive.",
			},
			"table": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The table's name, case-sensitive.",
			},
		},
	}
}

// setIdentity stores id as the resource's identity. The framework demands
// one after every create, read, update and import, even from CLIs that
// neither send nor keep identities (Terraform < 1.12).
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id tableIdentityModel) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, id)
}

// syncTimeouts is the timeouts attribute, described for the docs.
func syncTimeouts(ctx context.Context) schema.Attribute {
	attr := timeouts.Attributes(ctx, timeouts.Opts{
		Create:            true,
		Update:            true,
		CreateDescription: "How long the first sync may take, retries and token minting included, such as `\"5m\"`. Default `\"10m\"`.",
		UpdateDescription: "How long a re-sync after a `triggers` change may take. Default `\"10m\"`.",
	})
	if nested, ok := attr.(schema.SingleNestedAttribute); ok {
		nested.MarkdownDescription = "Bounds on the whole sync, retries included."
		return nested
	}
	return attr
}

func (r *TableSyncResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if data, ok := req.ProviderData.(*resourceData); ok {
		r.client, r.defaultOnFailure = data.client, data.defaultOnFailure
		return
	}
	r.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

func (r *TableSyncResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan tableSyncModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultSyncTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if failed := r.sync(ctx, &plan, req.Config, "create", &resp.Diagnostics); r.postpone(&plan, "create", failed, &resp.Diagnostics) {
		plan.markPending(nil)
	}
	if resp.Diagnostics.HasError() {
		return // a failed create leaves nothing in state
	}
	resp.Diagnostics.Append(setModel(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan.identity())...)
}

func (r *TableSyncResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state tableSyncModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.Triggers.Equal(state.Triggers) && !state.owesSync() {
		// Only settings changed: nothing to sync, keep what is known.
		plan.copyComputed(state)
		resp.Diagnostics.Append(setModel(ctx, &resp.State, &plan)...)
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan.identity())...)
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultSyncTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if failed := r.sync(ctx, &plan, req.Config, "update", &resp.Diagnostics); r.postpone(&plan, "update", failed, &resp.Diagnostics) {
		plan.markPending(&state)
	}
	if resp.Diagnostics.HasError() {
		return // the prior state stays, so the next plan tries again
	}
	resp.Diagnostics.Append(setModel(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan.identity())...)
}

// sync syncs m's table and fills m from the answer. config tells whether
// table_type was written, which makes it a claim Alation must agree with.
// failed reports a sync that Alation or the network failed, as opposed to
// an answer that contradicts the configuration.
func (r *TableSyncResource) sync(ctx context.Context, m *tableSyncModel, config tfsdk.Config, op string, diags *diag.Diagnostics) (failed bool) {
	var written types.String
	diags.Append(config.GetAttribute(ctx, path.Root("table_type"), &written)...)
	planned := *m
	table, d, err := syncTable(ctx, r.client, syncRequest{input: m.syncInput(), tableTypeSet: !written.IsNull(), waitForTable: m.tableWait(), op: op})
	diags.Append(d...)
	if table == nil {
		return err != nil
	}
	if in := m.syncInput(); table.Contradicts(in) {
		// A refresh compares names exactly: state under another spelling
		// than Alation's would be dropped by every refresh, and synced
		// again by every apply.
		diags.AddError("Table Catalogued Under Another Name", fmt.Sprintf("Alation synced %s and catalogues it as %s. "+
			"A refresh knows the table by the names Alation reports, exactly: write datasource_id, schema and table as Alation does.",
			in, alation.TableName(cmp.Or(int64(table.DSID), in.DatasourceID), cmp.Or(table.SchemaName, in.Schema), cmp.Or(table.Name, in.Table))))
		return
	}
	m.setSynced(table, r.client.AbsoluteURL, r.now())
	switch changed := m.settle(planned); {
	case len(changed) == 0:
	case len(changed) == 1 && changed[0].name == "is_view":
		// The DDL turned a table into a view of the same name, or back:
		// a new object for the catalog, and for Terraform.
		diags.AddError("Table Changed Kind", fmt.Sprintf("Alation now catalogues %s as %s; this resource recorded %s. "+
			"Replace the resource (terraform apply -replace=<its address>) so that its state describes the new object.",
			m.syncInput(), objectKind(m.IsView.ValueBool()), objectKind(planned.IsView.ValueBool())))
	default:
		diags.Append(catalogEntryChanged(m.syncInput(), changed))
	}
	return false
}

func (r *TableSyncResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state tableSyncModel
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.ID.IsNull() {
		// A create whose sync was postponed: nothing is catalogued under
		// this resource yet, and the next apply syncs.
		resp.Diagnostics.Append(r.keepIdentity(ctx, resp, &state)...)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	var table *alation.CatalogTable
	var err error
	if state.DatasourceID.IsNull() {
		table, err = r.client.GetTable(ctx, state.ID.ValueInt64()) // just imported: nothing to batch on
	} else {
		table, err = r.client.ReadTable(ctx, state.ID.ValueInt64(), state.DatasourceID.ValueInt64(), state.Schema.ValueString())
	}
	if err == nil && !state.owns(table) {
		// The id names another table now (a rebuilt catalog, or base_url
		// pointed at another Alation): this table is no longer catalogued
		// under it, which is the same as gone.
		err = &alation.NotFoundError{Kind: "table", What: fmt.Sprintf("%s; the id names %s",
			state.describe(), alation.TableName(int64(table.DSID), table.SchemaName, table.Name))}
	}
	if alation.IsNotFound(err) {
		// Gone from the catalog (deleted, or dropped by an extraction):
		// forget it so that the next apply syncs the table again. The
		// framework still wants an identity.
		tflog.Warn(ctx, "Table is no longer in the Alation catalog under its id; removing it from state", map[string]any{"id": state.ID.ValueInt64(), "error": err.Error()})
		resp.Diagnostics.Append(r.keepIdentity(ctx, resp, &state)...)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(readErrorDiagnostic(state.describe(), err))
		return
	}
	prior := state
	state.setCatalog(table, r.client.AbsoluteURL)
	resp.Diagnostics.Append(r.keepIdentity(ctx, resp, &state)...)
	if resp.Diagnostics.HasError() || state.equal(prior) {
		// Nothing drifted: the response already holds the prior state, and
		// Set would only rebuild it (a third of a read's time; make bench).
		return
	}
	resp.Diagnostics.Append(setModel(ctx, &resp.State, &state)...)
}

// keepIdentity gives a read its identity when the request brought none:
// CLIs that keep no identity, and states written before the resource had
// one, come without it. It never changes afterwards, as every part of it
// replaces the resource.
func (r *TableSyncResource) keepIdentity(ctx context.Context, resp *resource.ReadResponse, state *tableSyncModel) diag.Diagnostics {
	if resp.Identity == nil || !resp.Identity.Raw.IsFullyNull() || state.DatasourceID.IsNull() {
		return nil
	}
	return setIdentity(ctx, resp.Identity, state.identity())
}

// Delete makes no API call: Alation's catalog entry outlives the resource,
// as a sync has nothing to undo.
func (r *TableSyncResource) Delete(ctx context.Context, req resource.DeleteRequest, _ *resource.DeleteResponse) {
	var state tableSyncModel
	getModel(ctx, req.State, &state)
	tflog.Info(ctx, "Removing alation_table_sync from state only; the table stays in the Alation catalog", map[string]any{"id": state.ID.ValueInt64()})
}

// ImportState takes Alation's table id ("17194"), "DATASOURCE_ID/SCHEMA/TABLE"
// ("8/main.dbo/foobar"), or, on Terraform 1.12 and later, the resource
// identity of an import block. It reads the catalog and never syncs.
func (r *TableSyncResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var id importID
	var err error
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var ident tableIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id, err = importIDFromIdentity(ident)
	} else {
		id, err = parseImportID(req.ID)
	}
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	var table *alation.CatalogTable
	if id.tableID != 0 {
		table, err = r.client.GetTable(ctx, id.tableID)
	} else {
		table, err = r.client.FindTable(ctx, id.datasourceID, id.schema, id.table)
	}
	if err != nil {
		hint := ""
		if id.tableID == 0 && alation.IsNotFound(err) {
			hint = catalogHint(ctx, r.client, id.datasourceID, id.schema, id.table, "the table's name")
		}
		resp.Diagnostics.Append(importErrorDiagnostic(id.String(), err, hint))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), int64(table.ID))...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, catalogIdentity(table))...)
}
