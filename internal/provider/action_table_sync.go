package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

var _ action.ActionWithConfigure = &TableSyncAction{}

// TableSyncAction is the alation_table_sync action (Terraform 1.14 and
// later): the resource's sync, fired by a DDL resource's lifecycle
// (action_trigger) or by `terraform apply -invoke`, keeping no state.
type TableSyncAction struct {
	client *alation.Client
}

// NewTableSyncAction is the factory the provider registers.
func NewTableSyncAction() action.Action { return &TableSyncAction{} }

// tableSyncActionModel is the action's configuration.
type tableSyncActionModel struct {
	DatasourceID wholeNumber  `tfsdk:"datasource_id"`
	Schema       types.String `tfsdk:"schema"`
	Table        types.String `tfsdk:"table"`
	TableType    types.String `tfsdk:"table_type"`
	WaitForTable types.String `tfsdk:"wait_for_table_timeout"`
	Timeout      types.String `tfsdk:"timeout"`
}

func (a *TableSyncAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_table_sync"
}

func (a *TableSyncAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Syncs one table's metadata into the Alation catalog when invoked: after a DDL resource is created or " +
			"changed (`lifecycle { action_trigger { ... } }`), or by hand with `terraform apply -invoke`. It makes the same sync as " +
			"the `alation_table_sync` resource but keeps nothing in state. Needs Terraform 1.14 or later.",
		Attributes: map[string]schema.Attribute{
			"datasource_id": schema.Int64Attribute{
				CustomType:          wholeNumberType{},
				MarkdownDescription: datasourceIDDoc,
				Required:            true,
				Validators:          datasourceIDValidators(),
			},
			"schema": schema.StringAttribute{
				MarkdownDescription: schemaDoc,
				Required:            true,
				Validators:          nameValidators(),
			},
			"table": schema.StringAttribute{
				MarkdownDescription: tableDoc,
				Required:            true,
				Validators:          nameValidators(),
			},
			"table_type": schema.StringAttribute{
				MarkdownDescription: tableTypeDoc,
				Optional:            true,
				Validators:          tableTypeValidators(),
			},
			"wait_for_table_timeout": schema.StringAttribute{
				MarkdownDescription: waitForTableDoc + " `timeout` still bounds the whole sync.",
				Optional:            true,
				Validators:          waitForTableValidators(),
			},
			"timeout": schema.StringAttribute{
				MarkdownDescription: "How long the whole sync may take, retries and token minting included, such as `\"5m\"`. Default `\"10m\"`.",
				Optional:            true,
				Validators:          []validator.String{durationBetween(time.Second, 24*time.Hour)},
			},
		},
	}
}

func (a *TableSyncAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

func (a *TableSyncAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg tableSyncActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Both durations were validated with the configuration.
	timeout := defaultSyncTimeout
	if d, err := time.ParseDuration(cfg.Timeout.ValueString()); err == nil {
		timeout = d
	}
	wait, _ := time.ParseDuration(cfg.WaitForTable.ValueString())
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, diags, _ := syncTable(ctx, a.client, syncRequest{
		input: alation.SyncTableInput{
			DatasourceID: cfg.DatasourceID.ValueInt64(),
			Schema:       cfg.Schema.ValueString(),
			Table:        cfg.Table.ValueString(),
			TableType:    cfg.TableType.ValueString(), // empty: Alation's default, TABLE
		},
		tableTypeSet: !cfg.TableType.IsNull(),
		waitForTable: wait,
		op:           "invoke",
		progress:     func(msg string) { resp.SendProgress(action.InvokeProgressEvent{Message: msg}) },
	})
	resp.Diagnostics.Append(diags...)
}
