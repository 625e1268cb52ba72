package alationfake

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// Alation rejects a query parameter it does not know: 400
// {"detail": "Invalid query parameters: [ids]", "code": "400006"}. The
// emulator does the same by default, so that every test checks that the
// client sends only what each endpoint takes.

// codeInvalidQuery is Alation's error code for unknown query parameters.
const codeInvalidQuery = "400006"

// pageParams are the paging parameters every listing takes.
var pageParams = []string{"limit", "skip"}

// lookupsOf is field with each text lookup the listings accept.
func lookupsOf(fields ...string) []string {
	var out []string
	for _, f := range fields {
		for _, op := range strLookups {
			out = append(out, f+op)
		}
	}
	return out
}

// Parameters of each listing.
var (
	tableParams      = slices.Concat(pageParams, []string{"id", "ds_id", "schema_id"}, lookupsOf("name", "schema_name"))
	schemaParams     = slices.Concat(pageParams, []string{"id", "ds_id"}, lookupsOf("name"))
	dataSourceParams = slices.Concat(pageParams, []string{"include_hidden"})
)

// SetStrictParams picks whether unknown query parameters are refused (true,
// the default, as Alation does) or ignored.
func (f *Fake) SetStrictParams(strict bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lenientParams = !strict
}

// unknownParams is the refusal of r's query parameters that are not in
// known, or nil.
func (f *Fake) unknownParams(r *http.Request, known []string) *apiErr {
	f.mu.Lock()
	lenient := f.lenientParams
	f.mu.Unlock()
	if lenient {
		return nil
	}
	var unknown []string
	for name := range r.URL.Query() {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return &apiErr{status: http.StatusBadRequest, code: codeInvalidQuery,
		detail: fmt.Sprintf("Invalid query parameters: [%s]", strings.Join(unknown, ", "))}
}

// writeAPIErr sends e as Alation's usual error body, with e's code when it
// has one.
func writeAPIErr(w http.ResponseWriter, e *apiErr) {
	if e.code == "" {
		writeError(w, e.status, e.detail)
		return
	}
	writeJSON(w, e.status, map[string]string{"detail": e.detail, "code": e.code})
}
