package alationfake

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// body is a sync's answer body, decoded: a detail, or messages by field.
func body(t *testing.T, r result) (detail string, fields map[string][]string) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object (%v): %s", err, r.body)
	}
	if raw, ok := m["detail"]; ok {
		if err := json.Unmarshal(raw, &detail); err != nil {
			t.Fatalf("detail is not a string: %s", r.body)
		}
		return detail, nil
	}
	fields = map[string][]string{}
	for k, raw := range m {
		var msgs []string
		if err := json.Unmarshal(raw, &msgs); err != nil {
			t.Fatalf("%s is not a list of messages: %s", k, r.body)
		}
		fields[k] = msgs
	}
	return "", fields
}

// Each wording says the same refusals with the same statuses, in its own
// words and shape.
func TestSync_ErrorWording(t *testing.T) {
	f, u, admin, nonAdmin := syncWorld(t)
	refusals := []struct {
		name, token, body string
		status            int
	}{
		{"missing table", admin, `{"datasource_id":8,"schema":"main.dbo"}`, 400},
		{"two fields missing", admin, `{"datasource_id":8}`, 400},
		{"bad table_type", admin, `{"datasource_id":8,"schema":"main.dbo","table":"orders","table_type":"view"}`, 400},
		{"excluded schema", admin, `{"datasource_id":8,"schema":"staging","table":"raw"}`, 400},
		{"not admin", nonAdmin, `{"datasource_id":8,"schema":"main.dbo","table":"orders"}`, 403},
		{"denied", admin, `{"datasource_id":8,"schema":"main.dbo","table":"secret"}`, 403},
		{"unknown data source", admin, `{"datasource_id":99,"schema":"main.dbo","table":"orders"}`, 404},
		{"unknown schema", admin, `{"datasource_id":8,"schema":"nope","table":"orders"}`, 404},
		{"not in source", admin, `{"datasource_id":8,"schema":"main.dbo","table":"nope"}`, 404},
	}
	documented := map[string]string{
		"missing table": "Missing required field: table", "two fields missing": "Missing required field: schema",
		"bad table_type":      `Bad value for table_type: "view". It must be "TABLE" or "VIEW".`,
		"excluded schema":     `Schema "staging" is excluded from the catalog of data source 8.`,
		"not admin":           "Only an admin can trigger a table metadata sync; this user is not an admin.",
		"denied":              "The service account of data source 8 does not have permission to read the metadata of main.dbo.secret.",
		"unknown data source": "The data source or schema is invalid: there is no data source 99.",
		"unknown schema":      `The data source or schema is invalid: data source 8 has no schema "nope".`,
		"not in source":       "Table not found in data source: main.dbo.nope (data source 8).",
	}
	fieldKeyed := map[string]map[string][]string{
		"missing table":      {"table": {"This field is required."}},
		"two fields missing": {"schema": {"This field is required."}, "table": {"This field is required."}},
		"bad table_type":     {"table_type": {`"view" is not a valid choice.`}},
		"excluded schema":    {"schema": {`Schema "staging" is excluded from the catalog of data source 8.`}},
	}
	drf := map[int]string{400: "Invalid input.", 403: "You do not have permission to perform this action.", 404: "Not found."}
	for _, wd := range []ErrorWording{WordingDocumented, WordingTerse("Not found."), WordingTerse(""), WordingFieldKeyed} {
		f.SetErrorWording(wd)
		for _, c := range refusals {
			t.Run(wd.String()+"/"+c.name, func(t *testing.T) {
				r := postJSON(t, u+syncPath, c.token, c.body)
				if r.status != c.status {
					t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
				}
				detail, fields := body(t, r)
				switch want := fieldKeyed[c.name]; {
				case wd == WordingFieldKeyed && want != nil:
					if !reflect.DeepEqual(fields, want) {
						t.Fatalf("body %s, want the fields %v and no detail", r.body, want)
					}
				case wd.terse && wd.terseText != "":
					r.wantError(t, c.status)
					if detail != wd.terseText {
						t.Fatalf("detail %q, want %q", detail, wd.terseText)
					}
				case wd.terse:
					r.wantError(t, c.status)
					if detail != drf[c.status] {
						t.Fatalf("detail %q, want %q", detail, drf[c.status])
					}
				default:
					r.wantError(t, c.status)
					if detail != documented[c.name] {
						t.Fatalf("detail %q, want %q", detail, documented[c.name])
					}
				}
			})
		}
	}
	// Wording is words only: what succeeds still succeeds.
	if r := postJSON(t, u+syncPath, admin, `{"datasource_id":8,"schema":"main.dbo","table":"orders"}`); r.status != http.StatusCreated {
		t.Fatalf("sync under %s wording: %d %s", WordingFieldKeyed, r.status, r.body)
	}
	// A refusal that is not the sync's own keeps Alation's words.
	r := call(t, http.MethodPost, u+syncPath, admin, "text/plain", "x")
	r.wantError(t, http.StatusUnsupportedMediaType, "text/plain")
}
