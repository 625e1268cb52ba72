package alationfake

import (
	"cmp"
	"net/http"
)

// ErrorWording is how the emulated sync words its refusals. Alation's
// reference documents the causes of the sync's 400, 403 and 404, not the
// words it sends, so the provider is tested against several wordings and
// must not depend on any of them.
type ErrorWording struct {
	name       string
	terse      bool
	terseText  string
	fieldKeyed bool
}

var (
	// WordingDocumented, the default, words each refusal after the cause
	// Alation's reference gives for it, as {"detail": ..., "code": "404000"}.
	WordingDocumented = ErrorWording{name: "documented"}
	// WordingFieldKeyed answers a refusal about a field the Django REST
	// framework way, with no detail: {"table": ["This field is required."]}.
	// The other refusals read as WordingDocumented.
	WordingFieldKeyed = ErrorWording{name: "field-keyed", fieldKeyed: true}
)

// WordingTerse words every refusal of the sync (400, 403, 404) with detail
// alone, such as "Not found." (a real 404 body elsewhere in Alation's API).
// An empty detail uses Django REST framework's default for each status.
func WordingTerse(detail string) ErrorWording {
	return ErrorWording{name: "terse", terse: true, terseText: detail}
}

// String names the wording as the emulator command's flag does.
func (wd ErrorWording) String() string { return cmp.Or(wd.name, "documented") }

// drfDefaults is what Django REST framework says for each status when a
// view gives no reason of its own.
var drfDefaults = map[int]string{
	http.StatusBadRequest: "Invalid input.",
	http.StatusForbidden:  "You do not have permission to perform this action.",
	http.StatusNotFound:   "Not found.",
}

// SetErrorWording picks how the sync words its refusals from now on.
func (f *Fake) SetErrorWording(wd ErrorWording) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wording = wd
}

// write sends the refusal errs[0], worded as wd says; with
// WordingFieldKeyed, every field error among errs goes into one body, as
// Django REST framework's validation reports all fields at once.
func (wd ErrorWording) write(w http.ResponseWriter, errs ...*apiErr) {
	e := errs[0]
	switch {
	case wd.terse && drfDefaults[e.status] != "":
		writeError(w, e.status, cmp.Or(wd.terseText, drfDefaults[e.status]))
	case wd.fieldKeyed && e.field != "":
		body := map[string][]string{}
		for _, x := range errs {
			if x != nil && x.field != "" && len(body[x.field]) == 0 {
				body[x.field] = []string{cmp.Or(x.fieldText, x.detail)}
			}
		}
		writeJSON(w, e.status, body)
	default:
		writeAPIErr(w, e)
	}
}
