package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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

// Descriptions shared by the resource's and the data sources' schemas.
const (
	customFieldsDescription = "Custom field values on the catalog entry. Each item sets one of `value`, `values` or `objects`, " +
		"depending on the field's kind."
	customFieldIDDescription     = "Id of the custom field."
	customFieldNameDescription   = "Name of the custom field, such as `Steward`."
	customFieldValueDescription  = "A single value, as text (rich text fields hold HTML); null for other kinds."
	customFieldValuesDescription = "A list of strings, such as the options chosen in a picker; null for other kinds."
	customFieldObjsDescription   = "References to other catalog objects, such as the users and groups of a people field; null for other kinds."
	objectTypeDescription        = "The object's type, such as `user` or `groupprofile`."
	objectIDDescription          = "The object's id."
)

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

func flexString(s alation.FlexString) types.String {
	if !s.Valid {
		return types.StringNull()
	}
	return types.StringValue(s.Value)
}

func stringList(ctx context.Context, ss []string, diags *diag.Diagnostics) types.List {
	if ss == nil {
		return types.ListNull(types.StringType)
	}
	v, d := types.ListValueFrom(ctx, types.StringType, ss)
	diags.Append(d...)
	return v
}
