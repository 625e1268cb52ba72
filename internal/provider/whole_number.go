package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// wholeNumberType is the type of every integer a configuration or an import
// block sets (ids, counts). The framework's Int64 type fails to convert 8.5
// and reports that as "an error in the provider". This type keeps the
// number instead; the framework calls its value's ValidateAttribute right
// after each conversion (validation, plan, Get), before any validator or
// request, and that names the attribute and asks for a whole number.
// Underneath it is a Number, as Int64 is: state and docs are unchanged.
type wholeNumberType struct {
	basetypes.Int64Type
}

// wholeNumber is a wholeNumberType value. notWhole is set only to the
// number given when it is not a whole int64; such a value fails
// ValidateAttribute, so nothing reads its Int64Value.
type wholeNumber struct {
	basetypes.Int64Value
	notWhole *big.Float
}

var (
	_ basetypes.Int64Typable      = wholeNumberType{}
	_ basetypes.Int64Valuable     = wholeNumber{}
	_ xattr.ValidateableAttribute = wholeNumber{}
)

func wholeNumberValue(v int64) wholeNumber {
	return wholeNumber{Int64Value: basetypes.NewInt64Value(v)}
}

func (wholeNumberType) Equal(o attr.Type) bool {
	_, ok := o.(wholeNumberType)
	return ok
}

func (wholeNumberType) String() string { return "provider.wholeNumberType" }

func (wholeNumberType) ValueType(context.Context) attr.Value { return wholeNumber{} }

func (wholeNumberType) ValueFromInt64(_ context.Context, v basetypes.Int64Value) (basetypes.Int64Valuable, diag.Diagnostics) {
	return wholeNumber{Int64Value: v}, nil
}

func (wholeNumberType) ValueFromTerraform(_ context.Context, in tftypes.Value) (attr.Value, error) {
	switch {
	case !in.IsKnown():
		return wholeNumber{Int64Value: basetypes.NewInt64Unknown()}, nil
	case in.IsNull():
		return wholeNumber{Int64Value: basetypes.NewInt64Null()}, nil
	}
	var f *big.Float
	if err := in.As(&f); err != nil {
		return nil, err
	}
	if i, accuracy := f.Int64(); f.IsInt() && accuracy == big.Exact {
		return wholeNumberValue(i), nil
	}
	return wholeNumber{Int64Value: basetypes.NewInt64Value(0), notWhole: f}, nil
}

func (wholeNumber) Type(context.Context) attr.Type { return wholeNumberType{} }

func (v wholeNumber) Equal(o attr.Value) bool {
	other, ok := o.(wholeNumber)
	switch {
	case !ok:
		return false
	case v.notWhole != nil || other.notWhole != nil:
		return v.notWhole != nil && other.notWhole != nil && v.notWhole.Cmp(other.notWhole) == 0
	}
	return v.Int64Value.Equal(other.Int64Value)
}

func (v wholeNumber) ToTerraformValue(ctx context.Context) (tftypes.Value, error) {
	if v.notWhole != nil {
		return tftypes.NewValue(tftypes.Number, v.notWhole), nil
	}
	return v.Int64Value.ToTerraformValue(ctx)
}

func (v wholeNumber) String() string {
	if v.notWhole != nil {
		return v.notWhole.Text('g', -1)
	}
	return v.Int64Value.String()
}

func (v wholeNumber) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.notWhole == nil {
		return
	}
	detail := fmt.Sprintf("%s is %s, but it must be a whole number: Alation's ids, and the counts this provider takes, have no fractional part. "+
		"Set it to a whole number, or check the expression that computes it.", req.Path, v)
	if v.notWhole.IsInt() {
		detail = fmt.Sprintf("%s is %s, but it must be a whole number from %d to %d.", req.Path, v, int64(math.MinInt64), int64(math.MaxInt64))
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Whole Number", detail)
}
