package provider

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// getModel and setModel do what Get and Set of a plan or state do with a
// model struct, for structs whose exported fields are all framework values
// (attr.Value), each tagged with its attribute's name (tfsdk:"-" skips one). The
// framework's own walk (v1.19) compiles a regular expression for every
// field on every call: a third of a create's time in the provider and a
// fifth of a refresh read's (BenchmarkApplyCreate, BenchmarkReadResource).
// Here the struct's tfsdk tags are read once per type and the values move
// as one object, which the framework still converts and checks.

// modelFields maps a model type's field indexes to their tfsdk names.
var modelFields sync.Map // reflect.Type -> []string

func tfsdkNames(t reflect.Type) []string {
	if cached, ok := modelFields.Load(t); ok {
		if names, ok := cached.([]string); ok {
			return names
		}
	}
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = t.Field(i).Tag.Get("tfsdk")
		if !t.Field(i).IsExported() {
			names[i] = "-" // reflection cannot reach it
		}
	}
	modelFields.Store(t, names)
	return names
}

// getModel reads data (a plan, a state or a configuration) into m.
func getModel[M any](ctx context.Context, data interface {
	Get(context.Context, any) diag.Diagnostics
}, m *M) diag.Diagnostics {
	var obj types.Object
	diags := data.Get(ctx, &obj)
	if diags.HasError() {
		return diags
	}
	if obj.IsNull() || obj.IsUnknown() {
		diags.AddError("Provider Bug: Model Mismatch", "The provider read a whole null or unknown object into its model. Please report this to the provider's developers.")
		return diags
	}
	attrs := obj.Attributes()
	v := reflect.ValueOf(m).Elem()
	for i, name := range tfsdkNames(v.Type()) {
		if name == "-" {
			continue
		}
		val := reflect.ValueOf(attrs[name])
		field := v.Field(i)
		if !val.IsValid() || !val.Type().AssignableTo(field.Type()) {
			diags.AddError("Provider Bug: Model Mismatch", fmt.Sprintf(
				"The provider's model field %s (tfsdk %q, %s) does not match the schema, which holds %T. Please report this to the provider's developers.",
				v.Type().Field(i).Name, name, field.Type(), attrs[name]))
			continue
		}
		// The framework's Get validates each value, and reading the object
		// whole does not: without this, a wholeNumber holding a fraction
		// would reach the model unreported.
		if va, ok := attrs[name].(xattr.ValidateableAttribute); ok {
			var resp xattr.ValidateAttributeResponse
			va.ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: path.Root(name)}, &resp)
			diags.Append(resp.Diagnostics...)
		}
		field.Set(val)
	}
	return diags
}

// setModel writes m into state.
func setModel[M any](ctx context.Context, state *tfsdk.State, m *M) diag.Diagnostics {
	return writeModel(ctx, state, state.Schema.Type(), m)
}

// setResourceModel writes m into a list result's resource.
func setResourceModel[M any](ctx context.Context, res *tfsdk.Resource, m *M) diag.Diagnostics {
	return writeModel(ctx, res, res.Schema.Type(), m)
}

// writeModel sets target, of schema type schemaType, to m.
func writeModel[M any](ctx context.Context, target interface {
	Set(context.Context, any) diag.Diagnostics
}, schemaType attr.Type, m *M) diag.Diagnostics {
	var diags diag.Diagnostics
	typ, ok := schemaType.(attr.TypeWithAttributeTypes)
	if !ok {
		diags.AddError("Provider Bug: Model Mismatch", fmt.Sprintf("The schema's type %T is not an object. Please report this to the provider's developers.", schemaType))
		return diags
	}
	v := reflect.ValueOf(m).Elem()
	names := tfsdkNames(v.Type())
	vals := make(map[string]attr.Value, len(names))
	for i, name := range names {
		if name == "-" {
			continue
		}
		val, ok := v.Field(i).Interface().(attr.Value)
		if !ok {
			diags.AddError("Provider Bug: Model Mismatch", fmt.Sprintf(
				"The provider's model field %s (tfsdk %q) is a %s, not a framework value. Please report this to the provider's developers.",
				v.Type().Field(i).Name, name, v.Field(i).Type()))
			return diags
		}
		vals[name] = val
	}
	obj, diags := types.ObjectValue(typ.AttributeTypes(), vals)
	if diags.HasError() {
		return diags
	}
	return target.Set(ctx, obj)
}

// objectValue is a value of object type typ with the given attributes set
// and every other one null (all of them for a nil set): a resource's state
// just after import, before a read fills it in. A type that is not an
// object gives a null value.
func objectValue(typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	obj, ok := typ.(tftypes.Object)
	if !ok {
		return tftypes.NewValue(typ, nil)
	}
	vals := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, t := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(t, nil)
		if v, ok := set[name]; ok {
			vals[name] = v
		}
	}
	return tftypes.NewValue(obj, vals)
}
