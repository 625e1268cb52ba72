package alation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode"
)

// APIError is an error status from Alation (or a proxy in front of it).
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	// Code is Alation's own error code, such as "404000", when the body had one.
	Code string
	// Detail is Alation's own message: "detail", else OAuth's
	// "error_description"/"error", else "title", else the field errors of
	// a field-keyed body (see Fields). Empty when the body was not JSON.
	Detail string
	// Fields are the fields a Django REST framework validation body names,
	// {"table": ["This field is required."]}, sorted; Detail quotes them.
	Fields []string
	// ContentType and Excerpt describe a body that was not Alation's JSON
	// (an HTML page from a load balancer, say). Excerpt is short and sanitized.
	ContentType string
	Excerpt     string
	// Attempts is how many times the request was sent.
	Attempts int
	// RetryAfter is the server's Retry-After header, if any.
	RetryAfter string
	// AuthMode is how the refused request authenticated (the client's mode,
	// token endpoints included); empty for a request that carried none.
	AuthMode AuthMode
	// Minting is true for an answer of a token endpoint: Alation refused
	// to mint an access token, rather than refused one.
	Minting bool
	// StatusFailed is a mint answered 2xx with "status": "failed", which
	// both official SDKs read as a refusal.
	StatusFailed bool
	// TokenRefused means the refusal is of the access token, known from
	// more than words: the request needed nothing but a valid token, or a
	// read that needs nothing else was refused too (see confirmRefusal).
	TokenRefused bool
}

// Status is the answer's status for messages, such as "HTTP 403
// Forbidden", or `HTTP 200 OK with "status": "failed"` for a failed mint.
func (e *APIError) Status() string {
	s := fmt.Sprintf("HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.StatusFailed {
		s += ` with "status": "failed"`
	}
	return s
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s", e.Method, e.Path, e.Status())
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %q", e.Detail)
	} else if e.ContentType != "" || e.Excerpt != "" {
		fmt.Fprintf(&b, " (content type %q, body %q)", e.ContentType, e.Excerpt)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// Message is what Alation said, in the best form available: its detail text,
// else an excerpt of the body.
func (e *APIError) Message() string {
	if e.Detail != "" {
		return e.Detail
	}
	if e.Excerpt != "" {
		return fmt.Sprintf("(no Alation message; %s body: %q)", orUnknown(e.ContentType), e.Excerpt)
	}
	return "(empty response body)"
}

// RefusesCredentials tells a refusal of the credentials from a refusal of
// the request: any 401; a token endpoint's 400, 403 or "status": "failed"
// (a mint refused once is refused for the whole run); a 403 known to be
// about the token (TokenRefused); and a 403 whose message is about the
// token rather than about permissions (Alation's sync answers 403 both to
// a bad token and to a user who is not an admin).
func (e *APIError) RefusesCredentials() bool {
	switch {
	case e.StatusCode == http.StatusUnauthorized || e.TokenRefused:
		return true
	case e.Minting && (e.StatusFailed || e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusForbidden):
		return true
	case e.StatusCode != http.StatusForbidden:
		return false
	}
	d := strings.ToLower(e.Detail)
	return strings.Contains(d, "token") || strings.Contains(d, "credential") || strings.Contains(d, "authenticat")
}

// ResponseError is a success status whose body could not be decoded, or a
// body that was too large to read.
type ResponseError struct {
	Method      string
	Path        string
	StatusCode  int
	ContentType string
	Excerpt     string
	Err         error
}

func (e *ResponseError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d with a response that could not be read (content type %q, body %q): %v",
		e.Method, e.Path, e.StatusCode, orUnknown(e.ContentType), e.Excerpt, e.Err)
}

func (e *ResponseError) Unwrap() error { return e.Err }

// RequestError means no usable answer came back: a network failure, or the
// caller's context ended (its deadline, typically Terraform's timeouts).
type RequestError struct {
	Method   string
	Path     string
	Attempts int
	// LastStatus is the status of the last answer before giving up, 0 if none.
	LastStatus int
	Err        error
}

func (e *RequestError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	switch {
	case errors.Is(e.Err, context.DeadlineExceeded):
		b.WriteString("the operation's timeout expired")
	default:
		b.WriteString(e.Err.Error())
	}
	fmt.Fprintf(&b, " (after %d attempt%s", e.Attempts, plural(e.Attempts))
	if e.LastStatus != 0 {
		fmt.Fprintf(&b, "; last answer HTTP %d %s", e.LastStatus, http.StatusText(e.LastStatus))
	}
	b.WriteString(")")
	return b.String()
}

func (e *RequestError) Unwrap() error { return e.Err }

// TimedOut reports whether the request gave up because its context's deadline
// passed, rather than because retries ran out.
func (e *RequestError) TimedOut() bool { return errors.Is(e.Err, context.DeadlineExceeded) }

// NotFoundError is returned by look-ups (never by SyncTable) when the catalog
// has no such object. Alation's list endpoints answer [] rather than 404.
type NotFoundError struct {
	Kind string // "table", "data source"
	What string // how it was looked for
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no %s in the catalog matches %s", e.Kind, e.What)
}

// IsNotFound reports whether err is a *NotFoundError.
func IsNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf)
}

// StatusCode returns the HTTP status of an *APIError in err's chain, or 0.
func StatusCode(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}

// errorBody covers the error shapes Alation is known to use: the usual
// {"detail","code"}, the richer {"title","errors"} and OAuth's.
type errorBody struct {
	Detail           json.RawMessage `json:"detail"`
	Code             json.RawMessage `json:"code"`
	Title            string          `json:"title"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
	Errors           json.RawMessage `json:"errors"`
}

// newAPIError builds an APIError from a response body; it never fails.
func newAPIError(method, path string, status int, header http.Header, body []byte, redact func(string) string) *APIError {
	e := &APIError{
		Method: method, Path: path, StatusCode: status,
		ContentType: header.Get("Content-Type"),
		RetryAfter:  header.Get("Retry-After"),
	}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		e.Code = rawText(eb.Code)
		e.Detail = firstNonEmpty(rawText(eb.Detail), eb.ErrorDescription, eb.Error, eb.Title, rawText(eb.Errors))
	}
	if e.Detail == "" {
		e.Fields, e.Detail = fieldErrors(body)
	}
	if e.Detail == "" {
		e.Excerpt = Excerpt(body, redact)
	}
	// Mask before clipping: a secret cut in two by the clip would no
	// longer match, and its first half would stay.
	e.Detail = clip(redact(e.Detail), 500)
	return e
}

// rawText turns a JSON string, number or other value into plain text.
func rawText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

var (
	tagPattern   = regexp.MustCompile(`<[^>]*>`)
	spacePattern = regexp.MustCompile(`\s+`)
)

// Excerpt is a short, single-line, printable rendering of a body for error
// messages: markup is stripped, control characters dropped, secrets masked.
func Excerpt(body []byte, redact func(string) string) string {
	s := string(body)
	if strings.Contains(s, "<") {
		s = tagPattern.ReplaceAllString(s, " ")
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r // collapsed to a space below
		case r == '\uFFFD' || unicode.IsControl(r):
			// Invalid UTF-8, C0 and C1 controls (C1's CSI, U+009B, is an
			// escape sequence to some terminals).
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(spacePattern.ReplaceAllString(s, " "))
	if redact != nil {
		s = redact(s)
	}
	return clip(s, 200)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary.
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n] + "…"
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func orUnknown(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
