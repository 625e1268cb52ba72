package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Plans that show only what an apply really changes: a triggers change
// re-syncs and so refreshes last_synced_at alone; everything else the sync
// established stays as it is (UseStateForUnknown).

// tableTypeResourceDoc states the one rule for views, on create, read and
// import alike.
const tableTypeResourceDoc = "`\"TABLE\"` or `\"VIEW\"`: what the object is. Left out, the provider syncs as Alation's default " +
	"(`\"TABLE\"`) and records what Alation reports, so a view becomes `\"VIEW\"`, and an import records the same. " +
	"Set it, and it must agree with the catalog: a view synced or imported with `\"TABLE\"` (or a table with `\"VIEW\"`) " +
	"is an error that says so. Setting it to what the catalog already records changes nothing in Alation. " +
	"The sync knows only these two kinds, so an object Alation catalogues as anything but a view (a `SYNONYM`, an " +
	"`EXTERNAL` table...) counts as a table here: `\"TABLE\"`, with `is_view` false. The `alation_table` data source " +
	"shows the catalog's own kind."

// tableTypePlan plans table_type: left out, it keeps what is recorded (or
// is known after the first sync); set, it must agree with the catalog entry
// that state describes.
type tableTypePlan struct{}

func (tableTypePlan) Description(context.Context) string {
	return "Keeps the recorded table_type when it is left out; an explicit one must agree with the catalog."
}

func (p tableTypePlan) MarkdownDescription(ctx context.Context) string { return p.Description(ctx) }

func (tableTypePlan) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return // destroy, or create: known after the sync
	}
	if req.ConfigValue.IsNull() {
		if !req.StateValue.IsNull() {
			resp.PlanValue = req.StateValue
		}
		return
	}
	if req.ConfigValue.IsUnknown() || !sameTable(ctx, req.Plan, req.State) {
		return // a replacement: the new table's kind is the sync's to tell
	}
	var isView types.Bool
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("is_view"), &isView)...)
	if isView.IsNull() || isView.IsUnknown() {
		return
	}
	if want := tableTypeOf(isView.ValueBool()); want != req.ConfigValue.ValueString() {
		resp.Diagnostics.Append(tableTypeMismatch(describeState(ctx, req.State), req.ConfigValue.ValueString(), isView.ValueBool()))
	}
}

// sameTable reports whether the plan still names the table that state
// describes; false when it names another, or may (an unknown name).
func sameTable(ctx context.Context, plan tfsdk.Plan, state tfsdk.State) bool {
	for _, name := range []string{"datasource_id", "schema", "table"} {
		var planned, prior attr.Value
		p := path.Root(name)
		if plan.GetAttribute(ctx, p, &planned).HasError() || state.GetAttribute(ctx, p, &prior).HasError() ||
			planned.IsUnknown() || !planned.Equal(prior) {
			return false
		}
	}
	return true
}

// tableTypeMismatch says that table_type contradicts the catalog entry.
func tableTypeMismatch(table, tableType string, isView bool) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("table_type"), "Table Type Does Not Match the Catalog", fmt.Sprintf(
		"table_type is %q, but Alation catalogues %s as %s.\n\n"+
			"Set table_type = %q, or leave table_type out to take what Alation reports.", tableType, table, objectKind(isView), tableTypeOf(isView)))
}

// describeState names the table a state describes, for messages.
func describeState(ctx context.Context, state tfsdk.State) string {
	var m tableSyncModel
	if diags := getModel(ctx, state, &m); diags.HasError() {
		return "the table"
	}
	return m.describe()
}

// lastSyncedPlan keeps last_synced_at unless the apply syncs: on create
// and when triggers change.
type lastSyncedPlan struct{}

func (lastSyncedPlan) Description(context.Context) string {
	return "Unknown only when the apply syncs: on create and when triggers change."
}

func (p lastSyncedPlan) MarkdownDescription(ctx context.Context) string { return p.Description(ctx) }

func (lastSyncedPlan) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if keep, diags := keepsTriggers(ctx, req.Plan, req.State); keep {
		resp.PlanValue = req.StateValue
	} else {
		resp.Diagnostics.Append(diags...)
	}
}

// syncedPlan keeps synced unless the apply syncs, as lastSyncedPlan does;
// a state without it (from before it existed) learns it from the apply.
// An owed sync is planned by the resource's ModifyPlan (planOwedSync).
type syncedPlan struct{}

func (syncedPlan) Description(context.Context) string {
	return "Unknown only when the apply syncs: on create and when triggers change."
}

func (p syncedPlan) MarkdownDescription(ctx context.Context) string { return p.Description(ctx) }

func (syncedPlan) PlanModifyBool(ctx context.Context, req planmodifier.BoolRequest, resp *planmodifier.BoolResponse) {
	if keep, diags := keepsTriggers(ctx, req.Plan, req.State); keep && !req.StateValue.IsNull() {
		resp.PlanValue = req.StateValue
	} else {
		resp.Diagnostics.Append(diags...)
	}
}

// keepsTriggers reports whether an update plan leaves triggers as state
// has them, so that the apply does not sync for them.
func keepsTriggers(ctx context.Context, plan tfsdk.Plan, state tfsdk.State) (bool, diag.Diagnostics) {
	if plan.Raw.IsNull() || state.Raw.IsNull() {
		return false, nil
	}
	var planned, prior types.Map
	diags := plan.GetAttribute(ctx, path.Root("triggers"), &planned)
	diags.Append(state.GetAttribute(ctx, path.Root("triggers"), &prior)...)
	return !diags.HasError() && planned.Equal(prior), diags
}

// ModifyPlan fails a plan that would sync (a create, or an update) once
// Alation has refused the credentials or was found unreachable for good
// (alation.Client.BlockingFailure), without a request: the apply could
// only fail, and a CI plan should say so. A destroy, or a plan that changes
// nothing, needs no Alation and proceeds.
func (r *TableSyncResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	planOwedSync(ctx, req, resp)
	if r.client == nil || req.Plan.Raw.IsNull() || (!req.State.Raw.IsNull() && resp.Plan.Raw.Equal(req.State.Raw)) {
		return
	}
	err := r.client.BlockingFailure()
	first, blocking := firstReport(err)
	if !blocking {
		return
	}
	if !first {
		// One error fails the whole plan; the one that tells the story is
		// enough, rather than one per resource.
		tflog.Debug(ctx, "Not planning a sync: Alation refused the credentials or cannot be reached, as another resource reports")
		return
	}
	var m tableSyncModel
	table := "the table"
	if diags := getModel(ctx, req.Config, &m); !diags.HasError() {
		table = m.describe()
	}
	report := diag.Diagnostics{failureDiagnostic("Unable to Sync Table", err, describeFailure("plan the sync of table "+table, "plan", err, syncAdvice))}
	if r.onFailure(&m) == onFailureContinue {
		// The apply will postpone the sync, as on_failure asks: warn now.
		r.postpone(&m, "plan", true, &report)
	}
	resp.Diagnostics.Append(report...)
}
