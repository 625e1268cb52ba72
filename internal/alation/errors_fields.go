package alation

import (
	"encoding/json"
	"slices"
	"strings"
)

// nonFieldErrors is where Django REST framework puts a validation error
// that is about no one field.
const nonFieldErrors = "non_field_errors"

// fieldErrors reads a Django REST framework validation body, which has no
// "detail": {"table": ["This field is required."]}, each field with a list
// of messages. It returns the fields' names and one line that quotes them
// all ("table: This field is required."), or nothing for another body
// (whose excerpt is quoted instead).
func fieldErrors(body []byte) (names []string, quoted string) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return nil, ""
	}
	fields := map[string][]string{}
	for k, raw := range m {
		var msgs []string
		if json.Unmarshal(raw, &msgs) != nil {
			continue // not a field's messages; a nested serializer's are too deep to quote
		}
		if len(msgs) > 0 {
			fields[k] = msgs
		}
	}
	if len(fields) == 0 {
		return nil, ""
	}
	parts := make([]string, 0, len(fields))
	if msgs, ok := fields[nonFieldErrors]; ok {
		parts = append(parts, strings.Join(msgs, " "))
		delete(fields, nonFieldErrors)
	}
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		parts = append(parts, k+": "+strings.Join(fields[k], " "))
	}
	return names, strings.Join(parts, "; ")
}
