package alationfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// apiErr is an error answer waiting to be written. A validation error
// names its field, and says what Django REST framework would say of it
// under that field (see WordingFieldKeyed).
type apiErr struct {
	status    int
	detail    string
	field     string
	fieldText string
	code      string // Alation's error code; empty: the status and "000"
}

// fieldErr is a 400 about one field.
func fieldErr(field, fieldText, format string, args ...any) *apiErr {
	return &apiErr{status: http.StatusBadRequest, detail: fmt.Sprintf(format, args...), field: field, fieldText: fieldText}
}

func badRequest(format string, args ...any) *apiErr {
	return &apiErr{status: http.StatusBadRequest, detail: fmt.Sprintf(format, args...)}
}

// firstErr returns the first non-nil error.
func firstErr(errs ...*apiErr) *apiErr {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// parseBody decodes a request body the way Django REST framework's default
// parsers do: JSON, form-encoded or multipart, chosen by Content-Type. A
// request that declares no Content-Type carries no data at all.
func parseBody(r *http.Request, body []byte) (map[string]any, *apiErr) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return map[string]any{}, nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, &apiErr{status: http.StatusUnsupportedMediaType, detail: fmt.Sprintf("Unsupported media type %q in request.", ct)}
	}
	switch mt {
	case "application/json":
		if len(bytes.TrimSpace(body)) == 0 {
			return map[string]any{}, nil
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, badRequest("JSON parse error: the request body is not valid JSON.")
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return nil, badRequest("JSON parse error: unexpected data after the JSON value.")
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, badRequest("Invalid data: expected a JSON object.")
		}
		return m, nil
	case "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, badRequest("Form parse error: the request body is not valid form encoding.")
		}
		return lastValues(vals), nil
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		form, err := mr.ReadForm(maxBodyBytes)
		if err != nil {
			return nil, badRequest("Multipart form parse error: the request body is not a valid multipart form.")
		}
		defer func() { _ = form.RemoveAll() }()
		return lastValues(form.Value), nil
	default:
		return nil, &apiErr{status: http.StatusUnsupportedMediaType, detail: fmt.Sprintf("Unsupported media type %q in request.", mt)}
	}
}

// lastValues keeps the last value of each form key, as Django's QueryDict.get does.
func lastValues(vals map[string][]string) map[string]any {
	m := make(map[string]any, len(vals))
	for k, v := range vals {
		if len(v) > 0 {
			m[k] = v[len(v)-1]
		}
	}
	return m
}

// hintContentType adds a hint to a missing-field error when the body was
// ignored because the request declared no Content-Type.
func hintContentType(r *http.Request, body []byte, e *apiErr) *apiErr {
	if r.Header.Get("Content-Type") != "" || len(bytes.TrimSpace(body)) == 0 || !strings.HasPrefix(e.detail, "Missing required field") {
		return e
	}
	c := *e
	c.detail += " (the request has no Content-Type header, so its body was not read)"
	return &c
}

func missing(name string) *apiErr {
	return fieldErr(name, "This field is required.", "Missing required field: %s", name)
}

func notInteger(name string) *apiErr {
	return fieldErr(name, "A valid integer is required.", "Invalid value for %s: a valid integer is required.", name)
}

// intField reads a required integer. Like Django REST framework, it accepts a
// JSON number or a string holding an integer, and "8.0" as 8.
func intField(m map[string]any, name string) (int64, *apiErr) {
	v, ok := m[name]
	if !ok || v == nil {
		return 0, missing(name)
	}
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = strings.TrimSpace(x)
		if s == "" {
			return 0, missing(name)
		}
	default:
		return 0, notInteger(name)
	}
	if i := strings.IndexByte(s, '.'); i >= 0 && strings.Trim(s[i+1:], "0") == "" {
		s = s[:i]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, notInteger(name)
	}
	return n, nil
}

// stringField reads a required, non-empty string. Numbers are taken as their
// text, as Django REST framework's CharField does.
func stringField(m map[string]any, name string) (string, *apiErr) {
	v, ok := m[name]
	if !ok || v == nil {
		return "", missing(name)
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case json.Number:
		s = x.String()
	default:
		return "", fieldErr(name, "Not a valid string.", "Invalid value for %s: a string is required.", name)
	}
	if s == "" {
		return "", missing(name)
	}
	return s, nil
}

// tableTypeField reads the optional table_type: "TABLE" (the default) or "VIEW".
func tableTypeField(m map[string]any) (string, *apiErr) {
	v, ok := m["table_type"]
	if !ok || v == nil {
		return "TABLE", nil
	}
	s, isStr := v.(string)
	if !isStr || (s != "TABLE" && s != "VIEW") {
		shown, _ := json.Marshal(v)
		return "", fieldErr("table_type", fmt.Sprintf("%s is not a valid choice.", shown),
			`Bad value for table_type: %s. It must be "TABLE" or "VIEW".`, shown)
	}
	return s, nil
}

// syncAnswer is the body of a successful sync, in Alation's field order.
type syncAnswer struct {
	ID           int64   `json:"id"`
	URL          string  `json:"url"`
	Name         string  `json:"name"`
	SchemaName   string  `json:"schema_name"`
	Title        string  `json:"title"`
	Description  string  `json:"description"`
	DSID         int64   `json:"ds_id"`
	IsView       bool    `json:"is_view"`
	CustomFields []any   `json:"custom_fields"`
	SchemaID     int64   `json:"schema_id"`
	Synonyms     *string `json:"synonyms"`
	DBComment    *string `json:"db_comment"`
}

// handleSync implements POST /api/v1/table/sync/. The checks run in the
// order Alation documents its errors.
func (f *Fake) handleSync(w http.ResponseWriter, r *http.Request, body []byte, userID int64) {
	f.mu.Lock()
	wording, role := f.wording, f.roleOf(userID)
	f.mu.Unlock()
	// Django REST framework checks permissions before the view reads the
	// body: a user who may not sync is refused whatever it sent.
	if !role.canSync() {
		wording.write(w, &apiErr{status: http.StatusForbidden, detail: "Only an admin can trigger a table metadata sync; this user is not an admin."})
		return
	}
	m, perr := parseBody(r, body)
	if perr != nil {
		wording.write(w, perr)
		return
	}
	dsID, e1 := intField(m, "datasource_id")
	schemaName, e2 := stringField(m, "schema")
	table, e3 := stringField(m, "table")
	tableType, e4 := tableTypeField(m)
	if e := firstErr(e1, e2, e3); e != nil {
		// Django REST framework reports every invalid field at once.
		wording.write(w, hintContentType(r, body, e), e1, e2, e3, e4)
		return
	}
	if e4 != nil {
		wording.write(w, e4)
		return
	}

	ans, e := f.sync(dsID, schemaName, table, tableType)
	if e != nil {
		wording.write(w, e)
		return
	}
	w.Header().Set("Location", "/api/table/")
	f.mu.Lock()
	shape := f.syncAnswer
	f.mu.Unlock()
	writeJSON(w, http.StatusCreated, shape.apply(ans))
}

// SyncAnswer is how much a successful sync says: Alation documents the
// whole entry, but an older release, a gateway that rewrites bodies or a
// broken instance may say less. The sync itself happens either way.
type SyncAnswer int

const (
	// SyncAnswerFull is the documented answer (the default).
	SyncAnswerFull SyncAnswer = iota
	// SyncAnswerIDOnly is {"id": N}.
	SyncAnswerIDOnly
	// SyncAnswerIDAndURL is {"id": N, "url": "/table/N/"}.
	SyncAnswerIDAndURL
	// SyncAnswerNoID is the documented answer without its id.
	SyncAnswerNoID
	// SyncAnswerStringID is the documented answer with the id as a JSON
	// string, "17000".
	SyncAnswerStringID
	// SyncAnswerZeroID is the documented answer with id 0.
	SyncAnswerZeroID
)

// SetSyncAnswer picks what successful syncs answer from now on.
func (f *Fake) SetSyncAnswer(a SyncAnswer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.syncAnswer = a
}

// apply shapes a full answer.
func (a SyncAnswer) apply(full syncAnswer) any {
	switch a {
	case SyncAnswerIDOnly:
		return map[string]any{"id": full.ID}
	case SyncAnswerIDAndURL:
		return map[string]any{"id": full.ID, "url": full.URL}
	case SyncAnswerFull:
		return full
	}
	var m map[string]any
	b, _ := json.Marshal(full) // a syncAnswer always encodes
	_ = json.Unmarshal(b, &m)
	switch a {
	case SyncAnswerNoID:
		delete(m, "id")
	case SyncAnswerStringID:
		m["id"] = strconv.FormatInt(full.ID, 10)
	case SyncAnswerZeroID:
		m["id"] = 0
	}
	return m
}

// SetStrictTableType picks how the emulator treats a sync whose table_type
// is not what the database reports (a view synced as "TABLE"): Alation does
// not document it. Off (the default), it catalogues what the database
// reports, table_type notwithstanding; on, it looks only among objects of
// that type and answers 404, table not found.
func (f *Fake) SetStrictTableType(strict bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.strictTableType = strict
}

// sync runs the checks that need the catalog and records a successful sync.
func (f *Fake) sync(dsID int64, schemaName, table, tableType string) (syncAnswer, *apiErr) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ds, dsOK := f.dataSources[dsID]
	if !dsOK {
		return syncAnswer{}, &apiErr{status: http.StatusNotFound, detail: fmt.Sprintf("The data source or schema is invalid: there is no data source %d.", dsID)}
	}
	sid, sOK := f.schemaByName[schemaKey{dsID, schemaName}]
	if !sOK {
		return syncAnswer{}, &apiErr{status: http.StatusNotFound, detail: fmt.Sprintf("The data source or schema is invalid: data source %d has no schema %q.", dsID, schemaName)}
	}
	if f.schemas[sid].excluded {
		return syncAnswer{}, fieldErr("schema", "", "Schema %q is excluded from the catalog of data source %d.", schemaName, dsID)
	}
	if ds.Unreachable {
		return syncAnswer{}, &apiErr{status: http.StatusInternalServerError, detail: fmt.Sprintf("Could not connect to the data source %d: the connection timed out.", dsID)}
	}
	k := tableKey{dsID, schemaName, table}
	if f.denied[k] {
		return syncAnswer{}, &apiErr{status: http.StatusForbidden, detail: fmt.Sprintf(
			"The service account of data source %d does not have permission to read the metadata of %s.%s.", dsID, schemaName, table)}
	}
	srcType, inSource := f.sourceTables[k]
	if !inSource || (f.strictTableType && srcType != tableType) {
		return syncAnswer{}, &apiErr{status: http.StatusNotFound, detail: fmt.Sprintf("Table not found in data source: %s.%s (data source %d).", schemaName, table, dsID)}
	}

	// What ends up in the catalog is what the database reports.
	t := f.catalogue(k, srcType)
	f.syncCounts[k]++
	return syncAnswer{
		ID:           t.ID,
		URL:          t.URL,
		Name:         t.Name,
		SchemaName:   t.SchemaName,
		Title:        t.Title,
		Description:  t.Description,
		DSID:         t.DSID,
		IsView:       t.TableType == "VIEW",
		CustomFields: slices.Clone(nonNil(t.CustomFields)),
		SchemaID:     t.SchemaID,
	}, nil
}

// nonNil turns a nil slice into an empty one so it encodes as [].
func nonNil(v []any) []any {
	if v == nil {
		return []any{}
	}
	return v
}
