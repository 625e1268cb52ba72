package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// syncedResource is a provider configured against the emulator and the
// state of one alation_table_sync it has just synced: what every request of
// a refresh or a plan starts from.
type syncedResource struct {
	server tfprotov6.ProviderServer
	config *tfprotov6.DynamicValue
	state  *tfprotov6.DynamicValue
	// null and planned are the prior state and the plan of its creation.
	null, planned *tfprotov6.DynamicValue
}

func dynamicValue(tb testing.TB, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	tb.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		tb.Fatal(err)
	}
	return &dv
}

func failOnError(tb testing.TB, what string, diags []*tfprotov6.Diagnostic, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			tb.Fatalf("%s: %s: %s", what, d.Summary, d.Detail)
		}
	}
}

// configuredServer is the provider's protocol server, configured against
// c, and its schemas.
func configuredServer(tb testing.TB, c *testCatalog) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	tb.Helper()
	ctx := context.Background()
	server := protocolServer(&AlationProvider{version: "bench", getenv: func(string) string { return "" }})()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	failOnError(tb, "GetProviderSchema", schemas.Diagnostics, err)
	pt := schemas.Provider.ValueType()
	cfg := objectValue(pt, map[string]tftypes.Value{
		"base_url":         tftypes.NewValue(tftypes.String, c.url),
		"api_access_token": tftypes.NewValue(tftypes.String, c.token),
	})
	conf, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: dynamicValue(tb, pt, cfg)})
	failOnError(tb, "ConfigureProvider", conf.Diagnostics, err)
	return server, schemas
}

func newSyncedResource(tb testing.TB) *syncedResource {
	tb.Helper()
	c := newTestCatalog(tb)
	ctx := context.Background()
	server, schemas := configuredServer(tb, c)

	rt := schemas.ResourceSchemas["alation_table_sync"].ValueType()
	config := dynamicValue(tb, rt, objectValue(rt, map[string]tftypes.Value{
		"datasource_id": tftypes.NewValue(tftypes.Number, testDS),
		"schema":        tftypes.NewValue(tftypes.String, testSchema),
		"table":         tftypes.NewValue(tftypes.String, "foobar"),
	}))
	null := dynamicValue(tb, rt, tftypes.NewValue(rt, nil))
	plan, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "alation_table_sync", PriorState: null, ProposedNewState: config, Config: config,
	})
	failOnError(tb, "PlanResourceChange", plan.Diagnostics, err)
	applied, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: "alation_table_sync", PriorState: null, PlannedState: plan.PlannedState, Config: config,
	})
	failOnError(tb, "ApplyResourceChange", applied.Diagnostics, err)
	return &syncedResource{server: server, config: config, state: applied.NewState, null: null, planned: plan.PlannedState}
}

// BenchmarkReadResource is one resource's refresh, once the client has
// settled how it reads the schema.
func BenchmarkReadResource(b *testing.B) {
	r := newSyncedResource(b)
	ctx := context.Background()
	req := &tfprotov6.ReadResourceRequest{TypeName: "alation_table_sync", CurrentState: r.state}
	for range 2 { // the first reads decide between reading by id and listing
		resp, err := r.server.ReadResource(ctx, req)
		failOnError(b, "ReadResource", resp.Diagnostics, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := r.server.ReadResource(ctx, req)
		failOnError(b, "ReadResource", resp.Diagnostics, err)
	}
}

// BenchmarkPlanNoChange is one resource's plan when nothing changed.
func BenchmarkPlanNoChange(b *testing.B) {
	r := newSyncedResource(b)
	ctx := context.Background()
	req := &tfprotov6.PlanResourceChangeRequest{
		TypeName: "alation_table_sync", PriorState: r.state, ProposedNewState: r.state, Config: r.config,
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := r.server.PlanResourceChange(ctx, req)
		failOnError(b, "PlanResourceChange", resp.Diagnostics, err)
	}
}

// BenchmarkValidateResourceConfig is the validation every command repeats.
func BenchmarkValidateResourceConfig(b *testing.B) {
	r := newSyncedResource(b)
	ctx := context.Background()
	req := &tfprotov6.ValidateResourceConfigRequest{TypeName: "alation_table_sync", Config: r.config}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := r.server.ValidateResourceConfig(ctx, req)
		failOnError(b, "ValidateResourceConfig", resp.Diagnostics, err)
	}
}

// BenchmarkApplyCreate is one resource's creation: a sync against the
// in-process emulator and the new state.
func BenchmarkApplyCreate(b *testing.B) {
	r := newSyncedResource(b)
	ctx := context.Background()
	req := &tfprotov6.ApplyResourceChangeRequest{
		TypeName: "alation_table_sync", PriorState: r.null, PlannedState: r.planned, Config: r.config,
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := r.server.ApplyResourceChange(ctx, req)
		failOnError(b, "ApplyResourceChange", resp.Diagnostics, err)
	}
}
