package main

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

func tableSyncAttributes(t *testing.T) map[string]schema.Attribute {
	t.Helper()
	var resp resource.SchemaResponse
	(&schemaResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() || len(resp.Schema.Attributes) < 10 {
		t.Fatalf("not alation_table_sync's schema: %v", resp.Diagnostics)
	}
	return resp.Schema.Attributes
}

func TestStrip(t *testing.T) {
	attrs := tableSyncAttributes(t)
	n := len(attrs)
	strip(attrs, "triggers,timeouts,modifiers,validators")
	if len(attrs) != n-2 || attrs["triggers"] != nil || attrs["timeouts"] != nil {
		t.Errorf("attributes not dropped: %d of %d left", len(attrs), n)
	}
	tt, ok := attrs["table_type"].(schema.StringAttribute)
	if !ok || tt.Default != nil || tt.PlanModifiers != nil || tt.Validators != nil || tt.Computed {
		t.Errorf("table_type keeps modifiers or validators: %+v", tt)
	}
	if id, ok := attrs["datasource_id"].(schema.Int64Attribute); !ok || id.PlanModifiers != nil || id.Validators != nil {
		t.Errorf("datasource_id keeps modifiers or validators: %+v", id)
	}
	untouched := tableSyncAttributes(t)
	strip(untouched, "")
	if len(untouched) != n {
		t.Error("an empty FLOOR_SCHEMA_STRIP changed the schema")
	}
}
