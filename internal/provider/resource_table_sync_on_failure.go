package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Best-effort syncs: a pipeline exists to change databases, and the
// catalog is one of their consumers. With on_failure = "continue", a sync
// that fails on create or update is a warning; the resource is kept,
// marked synced = false, and every plan shows the sync again until one
// succeeds. Configuration errors (a table_type that contradicts the
// catalog, names Alation spells otherwise) stay errors: no retry heals them.

const (
	onFailureHalt     = "halt"
	onFailureContinue = "continue"
)

const onFailureDoc = "What a failed sync on create or update does: `\"halt\"` fails the apply (the default, or the provider's " +
	"`default_on_failure`); `\"continue\"` turns the failure into a warning that names the table and the cause, keeps the resource " +
	"with `synced = false` and nothing it did not learn from Alation, and makes every later plan show the sync again, as an " +
	"in-place update, until one succeeds. `\"continue\"` absorbs what an outage, a maintenance window or expired credentials cause " +
	"(refused credentials included: the DDL already ran, and the next apply catches up); it never absorbs configuration errors " +
	"such as a `table_type` that contradicts the catalog. Changing it does not sync."

const syncedDoc = "False while a sync is owed: the last one failed under `on_failure = \"continue\"`, and the next apply syncs " +
	"again. True after a successful sync, an import, or a refresh that found the table."

func onFailureValidators() []validator.String {
	return []validator.String{stringvalidator.OneOf(onFailureHalt, onFailureContinue)}
}

// onFailure is the policy for m: its own on_failure, else the provider's
// default, else halt.
func (r *TableSyncResource) onFailure(m *tableSyncModel) string {
	if v := m.OnFailure.ValueString(); v != "" {
		return v
	}
	if r.defaultOnFailure != "" {
		return r.defaultOnFailure
	}
	return onFailureHalt
}

// postpone turns a failed sync's diagnostics into warnings when the policy
// is continue, and reports whether it did. The apply then records the
// resource as owing a sync.
func (r *TableSyncResource) postpone(m *tableSyncModel, op string, failed bool, diags *diag.Diagnostics) bool {
	if !failed || r.onFailure(m) != onFailureContinue {
		return false
	}
	var kept diag.Diagnostics
	for _, d := range *diags {
		if d.Severity() != diag.SeverityError {
			kept.Append(d)
			continue
		}
		kept.AddWarning("Table Not Synced Yet", d.Summary()+": "+d.Detail()+"\n\n"+postponedNote(m, op))
	}
	*diags = kept
	return true
}

func postponedNote(m *tableSyncModel, op string) string {
	what := "The resource was created"
	switch op {
	case "update":
		what = "The resource keeps what the last successful sync recorded"
	case "plan":
		return `on_failure = "continue": the apply goes on, records the resource with synced = false, and every plan shows the sync of ` +
			m.syncInput().String() + " again until one succeeds."
	}
	return `on_failure = "continue" kept the apply going: ` + what + " with synced = false, and every plan shows the sync of " +
		m.syncInput().String() + " again until one succeeds. Fix the cause above, then run terraform apply."
}

// markPending leaves m as a resource that owes a sync: after a failed
// create, nothing from Alation is known; after a failed update, what the
// last successful sync recorded stays.
func (m *tableSyncModel) markPending(prior *tableSyncModel) {
	if prior != nil {
		m.copyComputed(*prior)
		if m.TableType.IsUnknown() {
			m.TableType = prior.TableType
		}
	} else {
		m.ID, m.URL, m.SchemaID, m.IsView = types.Int64Null(), types.StringNull(), types.Int64Null(), types.BoolNull()
		m.LastSyncedAt = types.StringNull()
		if m.TableType.IsUnknown() {
			m.TableType = types.StringNull()
		}
	}
	m.Synced = types.BoolValue(false)
}

// owesSync reports whether state records a postponed sync.
func (m *tableSyncModel) owesSync() bool {
	return !m.Synced.IsNull() && !m.Synced.ValueBool()
}

// planOwedSync makes the plan of a resource that owes a sync show the sync:
// what the sync establishes becomes known after apply. It is a no-op
// otherwise, so a plan with nothing owed costs nothing.
func planOwedSync(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var synced types.Bool
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("synced"), &synced)...)
	if synced.IsNull() || synced.ValueBool() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("synced"), types.BoolUnknown())...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("last_synced_at"), types.StringUnknown())...)
	var id types.Int64
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	if id.IsNull() {
		// Never synced: everything the sync tells is still to come.
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), types.Int64Unknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("url"), types.StringUnknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("schema_id"), types.Int64Unknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("is_view"), types.BoolUnknown())...)
		var config types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("table_type"), &config)...)
		if config.IsNull() {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("table_type"), types.StringUnknown())...)
		}
	}
}
