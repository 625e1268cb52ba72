package alation

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// CustomField is one custom field value on a catalog object. Alation sends
// the value as a string, a list of strings, or a list of object references;
// any other JSON is kept as its text in Value so that nothing is lost and
// nothing fails to decode.
type CustomField struct {
	FieldID   int64
	FieldName string
	// Value is set for a scalar value (a string, or any other JSON as text).
	Value *string
	// Values is set for a list of strings.
	Values []string
	// Objects is set for a list of object references (people, groups...).
	Objects []ObjectRef
}

// ObjectRef points at another catalog object, such as a user.
type ObjectRef struct {
	OType string `json:"otype"`
	OID   int64  `json:"oid"`
}

func (f *CustomField) UnmarshalJSON(data []byte) error {
	var raw struct {
		FieldID   json.RawMessage `json:"field_id"`
		FieldName json.RawMessage `json:"field_name"`
		Value     json.RawMessage `json:"value"`
	}
	if json.Unmarshal(data, &raw) != nil {
		// Not an object: keep the whole item as text.
		text := rawText(bytes.TrimSpace(data))
		*f = CustomField{Value: &text}
		return nil //nolint:nilerr // an odd item is kept as text: decoding must never fail on it
	}
	var id FlexInt
	_ = id.UnmarshalJSON(raw.FieldID)
	*f = CustomField{FieldID: int64(id), FieldName: rawText(raw.FieldName)}
	f.setValue(raw.Value)
	return nil
}

func (f *CustomField) setValue(v json.RawMessage) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return
	}
	var strs []string
	if json.Unmarshal(v, &strs) == nil {
		f.Values = strs
		return
	}
	var refs []ObjectRef
	if json.Unmarshal(v, &refs) == nil && refsLookLikeRefs(v) {
		f.Objects = refs
		return
	}
	text := rawText(v)
	f.Value = &text
}

// refsLookLikeRefs guards against a list of arbitrary objects decoding into
// empty ObjectRefs: each item must carry an otype.
func refsLookLikeRefs(v json.RawMessage) bool {
	var items []map[string]json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		return false
	}
	for _, it := range items {
		if _, ok := it["otype"]; !ok {
			return false
		}
	}
	return true
}

// FlexStrings decodes null, a string, or a list of strings (or of anything,
// kept as JSON text) into a list of strings. Alation documents some fields
// only loosely ("often null").
type FlexStrings []string

func (s *FlexStrings) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*s = nil
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(data, &list) == nil {
		out := make(FlexStrings, 0, len(list))
		for _, item := range list {
			out = append(out, rawText(item))
		}
		*s = out
		return nil
	}
	*s = FlexStrings{rawText(data)}
	return nil
}

// FlexString decodes null, a string, or any other JSON (kept as its text).
type FlexString struct {
	Value string
	Valid bool
}

func (s *FlexString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*s = FlexString{}
		return nil
	}
	*s = FlexString{Value: rawText(data), Valid: true}
	return nil
}

// FlexInt decodes a JSON number or a numeric string; anything else is 0.
type FlexInt int64

func (n *FlexInt) UnmarshalJSON(data []byte) error {
	v, err := strconv.ParseInt(rawText(data), 10, 64)
	if err != nil {
		var f float64
		if json.Unmarshal(data, &f) == nil {
			v = int64(f)
		}
	}
	*n = FlexInt(v)
	return nil
}
