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
