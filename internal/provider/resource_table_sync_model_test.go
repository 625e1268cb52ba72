package provider

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// equal must see a change in any attribute, or a refresh would drop drift.
func TestTableSyncModelEqual_seesEveryAttribute(t *testing.T) {
	base := tableSyncModel{
		ID:       types.Int64Value(1),
		Table:    types.StringValue("orders"),
		Triggers: types.MapNull(types.StringType),
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})},
	}
	if !base.equal(base) {
		t.Fatal("a model is not equal to itself")
	}
	typ := reflect.TypeOf(base)
	for i := range typ.NumField() {
		changed := base
		field := reflect.ValueOf(&changed).Elem().Field(i)
		var other attr.Value
		switch v := field.Interface().(type) {
		case types.Int64:
			other = types.Int64Value(v.ValueInt64() + 2)
		case wholeNumber:
			other = wholeNumberValue(v.ValueInt64() + 2)
		case types.String:
			other = types.StringValue(v.ValueString() + "x")
		case types.Bool:
			other = types.BoolValue(true)
		case types.List:
			other = types.ListUnknown(types.StringType)
		case types.Map:
			other = types.MapUnknown(types.StringType)
		case timeouts.Value:
			other = timeouts.Value{Object: types.ObjectUnknown(map[string]attr.Type{"create": types.StringType})}
		default:
			t.Fatalf("%s is a %T: add a case for it here", typ.Field(i).Name, v)
		}
		field.Set(reflect.ValueOf(other))
		if base.equal(changed) {
			t.Errorf("equal misses a change in %s", typ.Field(i).Name)
		}
	}
}

// settle keeps a planned value the answer left unsaid, accepts anything
// where the plan said "known after apply", and reports a contradiction.
func TestTableSyncModelSettle(t *testing.T) {
	planned := tableSyncModel{
		ID: types.Int64Value(17000), URL: types.StringValue("https://a/table/17000/"),
		SchemaID: types.Int64Unknown(), IsView: types.BoolValue(false),
	}
	got := tableSyncModel{ID: types.Int64Value(17000), URL: types.StringNull(), SchemaID: types.Int64Value(7), IsView: types.BoolNull()}
	if changed := got.settle(planned); len(changed) != 0 {
		t.Fatalf("changes %v, want none", changed)
	}
	if got.URL != planned.URL || got.IsView != planned.IsView || got.SchemaID.ValueInt64() != 7 {
		t.Fatalf("settled %+v", got)
	}
	got = tableSyncModel{ID: types.Int64Value(17001), URL: types.StringValue("https://a/table/17001/"), SchemaID: types.Int64Value(7), IsView: types.BoolValue(true)}
	changed := got.settle(planned)
	if len(changed) != 3 || changed[0].String() != "id 17001 (recorded 17000)" || changed[2].name != "is_view" {
		t.Fatalf("changes %v", changed)
	}
}
