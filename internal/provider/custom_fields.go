package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// Custom field values come in three shapes; each item sets the attribute
// that fits and leaves the others null.
var (
	objectRefType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"otype": types.StringType,
		"oid":   types.Int64Type,
	}}
	customFieldType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"field_id":   types.Int64Type,
		"field_name": types.StringType,
		"value":      types.StringType,
		"values":     types.ListType{ElemType: types.StringType},
		"objects":    types.ListType{ElemType: objectRefType},
	}}
)

type customFieldModel struct {
	FieldID   types.Int64  `tfsdk:"field_id"`
	FieldName types.String `tfsdk:"field_name"`
	Value     types.String `tfsdk:"value"`
	Values    types.List   `tfsdk:"values"`
	Objects   types.List   `tfsdk:"objects"`
}

type objectRefModel struct {
	OType types.String `tfsdk:"otype"`
	OID   types.Int64  `tfsdk:"oid"`
}

func customFieldsAttribute() schema.ListAttribute {
	return schema.ListAttribute{
		MarkdownDescription: "Custom field values on the catalog entry. Each item has `field_id`, `field_name` and one of: " +
			"`value` (a single value, as text), `values` (a list of strings, such as picker options) or " +
			"`objects` (references to other catalog objects, such as stewards: `otype` and `oid`).",
		ElementType: customFieldType,
		Computed:    true,
	}
}

func customFieldsValue(ctx context.Context, fields []alation.CustomField, diags *diag.Diagnostics) types.List {
	items := make([]customFieldModel, 0, len(fields))
	for _, f := range fields {
		item := customFieldModel{
			FieldID:   types.Int64Value(f.FieldID),
			FieldName: types.StringValue(f.FieldName),
			Value:     types.StringPointerValue(f.Value),
			Values:    stringList(ctx, f.Values, diags),
			Objects:   types.ListNull(objectRefType),
		}
		if f.Objects != nil {
			refs := make([]objectRefModel, len(f.Objects))
			for i, o := range f.Objects {
				refs[i] = objectRefModel{OType: types.StringValue(o.OType), OID: types.Int64Value(o.OID)}
			}
			v, d := types.ListValueFrom(ctx, objectRefType, refs)
			diags.Append(d...)
			item.Objects = v
		}
		items = append(items, item)
	}
	v, d := types.ListValueFrom(ctx, customFieldType, items)
	diags.Append(d...)
	return v
}
