package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// emptyTableSyncState is a state of alation_table_sync's schema with every
// attribute null.
func emptyTableSyncState(t *testing.T) tfsdk.State {
	t.Helper()
	ctx := context.Background()
	var resp resource.SchemaResponse
	NewTableSyncResource().Schema(ctx, resource.SchemaRequest{}, &resp)
	typ := resp.Schema.Type().TerraformType(ctx)
	return tfsdk.State{Schema: resp.Schema, Raw: objectValue(typ, nil)}
}

// syncedModel is a model as a sync fills it, the nested timeouts included.
func syncedModel(t *testing.T, state tfsdk.State) tableSyncModel {
	t.Helper()
	ctx := context.Background()
	var m tableSyncModel
	if diags := state.Get(ctx, &m); diags.HasError() {
		t.Fatal(diags)
	}
	m.DatasourceID, m.Schema, m.Table = wholeNumberValue(8), types.StringValue("main.dbo"), types.StringValue("orders")
	m.Triggers = types.MapValueMust(types.StringType, map[string]attr.Value{"ddl": types.StringValue("abc")})
	m.Timeouts.Object = types.ObjectValueMust(m.Timeouts.AttributeTypes(ctx), map[string]attr.Value{
		"create": types.StringValue("5m"), "update": types.StringNull(),
	})
	synced := &alation.SyncedTable{ID: 17, Name: "orders", SchemaName: "main.dbo", DSID: 8, SchemaID: 3, IsView: new(true)}
	m.setSynced(synced, func(s string) string { return "https://a" + s }, time.Unix(1700000000, 0))
	return m
}

// setModel and getModel agree with the framework's own Set and Get.
func TestModelRoundTrip_matchesFramework(t *testing.T) {
	ctx := context.Background()
	base := emptyTableSyncState(t)
	want := syncedModel(t, base)

	ours := base
	if diags := setModel(ctx, &ours, &want); diags.HasError() {
		t.Fatal(diags)
	}
	theirs := base
	if diags := theirs.Set(ctx, &want); diags.HasError() {
		t.Fatal(diags)
	}
	if !ours.Raw.Equal(theirs.Raw) {
		t.Fatalf("setModel wrote\n%s\nthe framework\n%s", ours.Raw, theirs.Raw)
	}
	var got tableSyncModel
	if diags := getModel(ctx, theirs, &got); diags.HasError() {
		t.Fatal(diags)
	}
	if !got.equal(want) {
		t.Errorf("getModel read back a different model:\n%+v\nwant\n%+v", got, want)
	}
}

// A model that does not fit the schema is a diagnostic, not a panic.
func TestGetModel_mismatch(t *testing.T) {
	var wrong struct {
		ID   types.String `tfsdk:"id"` // an Int64 in the schema
		Nope types.String `tfsdk:"no_such_attribute"`
	}
	diags := getModel(context.Background(), emptyTableSyncState(t), &wrong)
	if diags.ErrorsCount() != 2 {
		t.Fatalf("want 2 errors, got %v", diags)
	}
	for _, d := range diags {
		if d.Summary() != "Provider Bug: Model Mismatch" {
			t.Errorf("summary %q", d.Summary())
		}
	}
}

func TestSetModel_notAFrameworkValue(t *testing.T) {
	state := emptyTableSyncState(t)
	bad := struct {
		ID int64 `tfsdk:"id"`
	}{ID: 1}
	diags := setModel(context.Background(), &state, &bad)
	if !diags.HasError() || diags[0].Summary() != "Provider Bug: Model Mismatch" {
		t.Fatalf("want a model mismatch, got %v", diags)
	}
}

func TestGetModel_nullObject(t *testing.T) {
	state := emptyTableSyncState(t)
	state.Raw = tftypes.NewValue(state.Raw.Type(), nil)
	var m tableSyncModel
	diags := getModel(context.Background(), state, &m)
	if diags.ErrorsCount() != 1 || diags[0].Summary() != "Provider Bug: Model Mismatch" {
		t.Fatalf("want one model mismatch, got %v", diags)
	}
}
