package alation

import (
	"encoding/json"
	"reflect"
	"testing"
)

func strPtr(s string) *string { return &s }

func TestCustomField_Decode(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want CustomField
	}{
		{"string", `{"field_id": 3, "field_name": "Status", "value": "Endorsed"}`,
			CustomField{FieldID: 3, FieldName: "Status", Value: strPtr("Endorsed")}},
		{"empty string", `{"field_id": 3, "field_name": "Status", "value": ""}`,
			CustomField{FieldID: 3, FieldName: "Status", Value: strPtr("")}},
		{"list of strings", `{"field_id": 4, "field_name": "Tags", "value": ["pii", "finance"]}`,
			CustomField{FieldID: 4, FieldName: "Tags", Values: []string{"pii", "finance"}}},
		{"empty list", `{"field_id": 4, "field_name": "Tags", "value": []}`,
			CustomField{FieldID: 4, FieldName: "Tags", Values: []string{}}},
		{"list of object references", `{"field_id": 5, "field_name": "Steward", "value": [{"otype": "user", "oid": 42}, {"otype": "groupprofile", "oid": 7}]}`,
			CustomField{FieldID: 5, FieldName: "Steward", Objects: []ObjectRef{{"user", 42}, {"groupprofile", 7}}}},
		{"reference with extra keys", `{"field_id": 5, "value": [{"otype": "user", "oid": 42, "name": "Ann"}]}`,
			CustomField{FieldID: 5, Objects: []ObjectRef{{"user", 42}}}},
		{"null value", `{"field_id": 6, "field_name": "Empty", "value": null}`,
			CustomField{FieldID: 6, FieldName: "Empty"}},
		{"no value", `{"field_id": 6, "field_name": "Empty"}`,
			CustomField{FieldID: 6, FieldName: "Empty"}},
		{"number", `{"field_id": 7, "value": 12.5}`, CustomField{FieldID: 7, Value: strPtr("12.5")}},
		{"boolean", `{"field_id": 7, "value": true}`, CustomField{FieldID: 7, Value: strPtr("true")}},
		{"object", `{"field_id": 7, "value": {"a": 1}}`, CustomField{FieldID: 7, Value: strPtr(`{"a": 1}`)}},
		{"list of objects without otype", `{"field_id": 7, "value": [{"oid": 1}]}`, CustomField{FieldID: 7, Value: strPtr(`[{"oid": 1}]`)}},
		{"mixed list", `{"field_id": 7, "value": ["a", {"otype": "user", "oid": 1}]}`, CustomField{FieldID: 7, Value: strPtr(`["a", {"otype": "user", "oid": 1}]`)}},
		{"list with null", `{"field_id": 7, "value": ["a", null]}`, CustomField{FieldID: 7, Values: []string{"a", ""}}},
		{"string ids", `{"field_id": "8", "field_name": 9, "value": "x"}`, CustomField{FieldID: 8, FieldName: "9", Value: strPtr("x")}},
		{"bad id", `{"field_id": "eight", "value": "x"}`, CustomField{Value: strPtr("x")}},
		{"not an object", `"loose text"`, CustomField{Value: strPtr("loose text")}},
		{"null item", `null`, CustomField{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []CustomField
			if err := json.Unmarshal([]byte("["+tc.in+"]"), &got); err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || !reflect.DeepEqual(got[0], tc.want) {
				t.Fatalf("got %s, want %s", show(got), show([]CustomField{tc.want}))
			}
		})
	}
}

func show(fs []CustomField) string {
	type shown struct {
		ID      int64
		Name    string
		Value   *string
		Values  []string
		Objects []ObjectRef
	}
	var out []shown
	for _, f := range fs {
		out = append(out, shown{f.FieldID, f.FieldName, f.Value, f.Values, f.Objects})
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func TestFlexStrings(t *testing.T) {
	cases := []struct {
		in   string
		want FlexStrings
	}{
		{`null`, nil},
		{`"one"`, FlexStrings{"one"}},
		{`["a", "b"]`, FlexStrings{"a", "b"}},
		{`[]`, FlexStrings{}},
		{`[1, null, {"x": 1}]`, FlexStrings{"1", "", `{"x": 1}`}},
		{`5`, FlexStrings{"5"}},
		{`{"a": "b"}`, FlexStrings{`{"a": "b"}`}},
	}
	for _, c := range cases {
		var v struct {
			S FlexStrings `json:"s"`
		}
		if err := json.Unmarshal([]byte(`{"s": `+c.in+`}`), &v); err != nil || !reflect.DeepEqual(v.S, c.want) {
			t.Errorf("%s: got %#v, %v; want %#v", c.in, v.S, err, c.want)
		}
	}
}

func TestFlexString(t *testing.T) {
	cases := []struct {
		in   string
		want FlexString
	}{
		{`null`, FlexString{}},
		{`""`, FlexString{Value: "", Valid: true}},
		{`"a comment"`, FlexString{Value: "a comment", Valid: true}},
		{`42`, FlexString{Value: "42", Valid: true}},
		{`["x"]`, FlexString{Value: `["x"]`, Valid: true}},
	}
	for _, c := range cases {
		var v struct {
			S FlexString `json:"s"`
		}
		if err := json.Unmarshal([]byte(`{"s": `+c.in+`}`), &v); err != nil || v.S != c.want {
			t.Errorf("%s: got %#v, %v; want %#v", c.in, v.S, err, c.want)
		}
	}
}

func TestFlexInt(t *testing.T) {
	cases := []struct {
		in   string
		want FlexInt
	}{
		{`17194`, 17194},
		{`"17194"`, 17194},
		{`17194.0`, 17194},
		{`1.7194e4`, 17194},
		{`-3`, -3},
		{`null`, 0},
		{`"abc"`, 0},
		{`""`, 0},
		{`true`, 0},
		{`[1]`, 0},
		{`{"id": 1}`, 0},
		{`9223372036854775807`, 9223372036854775807},
	}
	for _, c := range cases {
		var v struct {
			N FlexInt `json:"n"`
		}
		v.N = 99 // null must reset it
		if err := json.Unmarshal([]byte(`{"n": `+c.in+`}`), &v); err != nil || v.N != c.want {
			t.Errorf("%s: got %d, %v; want %d", c.in, v.N, err, c.want)
		}
	}
}
