package alation

// Fuzz targets for everything that reads what a server sent. The seed
// corpora live in testdata/fuzz/<FuzzName>/ and run with every `go test`;
// fuzz with, for example:
//
//	go test -run '^$' -fuzz '^FuzzAPIError$' -fuzztime 30s ./internal/alation/

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// fuzzSecrets are registered with the client the targets redact with; the
// seeds put them in bodies.
var fuzzSecrets = []string{"fuzz-secret-token-0001", "a+b/c=d", "refresh-f00d-cafe"}

// maxExcerpt is the longest excerpt: 200 bytes and the ellipsis.
const maxExcerpt = 200 + len("…")

func fuzzClient(extra ...string) *Client {
	c := &Client{}
	for _, s := range append(fuzzSecrets, extra...) {
		c.addSecret(s)
	}
	return c
}

// checkExcerpt asserts what every excerpt promises: short, valid UTF-8, one
// line of printable text, no markup, no secret of c.
func checkExcerpt(t *testing.T, c *Client, ex string) {
	t.Helper()
	if !utf8.ValidString(ex) {
		t.Fatalf("excerpt is not valid UTF-8: %q", ex)
	}
	if len(ex) > maxExcerpt {
		t.Fatalf("excerpt of %d bytes: %q", len(ex), ex)
	}
	for _, r := range ex {
		if unicode.IsControl(r) || r == utf8.RuneError {
			t.Fatalf("excerpt keeps control character %U: %q", r, ex)
		}
	}
	if strings.Contains(ex, "  ") || strings.TrimSpace(ex) != ex && !strings.HasSuffix(ex, " …") {
		t.Fatalf("excerpt whitespace not collapsed: %q", ex)
	}
	if i := strings.IndexByte(ex, '<'); i >= 0 && strings.IndexByte(ex[i:], '>') >= 0 {
		t.Fatalf("excerpt keeps markup: %q", ex)
	}
	checkNoSecret(t, c, strings.TrimSuffix(ex, "…"))
}

// checkNoSecret asserts that s shows none of c's secrets in any form.
func checkNoSecret(t *testing.T, c *Client, s string) {
	t.Helper()
	for _, secret := range c.secrets {
		if strings.Contains(s, secret) {
			t.Fatalf("secret %q survives in %q", secret, s)
		}
	}
}

// checkCustomFields asserts that each field holds at most one kind of value.
func checkCustomFields(t *testing.T, fields []CustomField) {
	t.Helper()
	for i, f := range fields {
		kinds := 0
		for _, set := range []bool{f.Value != nil, f.Values != nil, f.Objects != nil} {
			if set {
				kinds++
			}
		}
		if kinds > 1 {
			t.Fatalf("custom field %d holds %d kinds of value: %+v", i, kinds, f)
		}
	}
}

// startsWith reports whether data's first non-space byte is b.
func startsWith(data []byte, b byte) bool {
	d := bytes.TrimSpace(data)
	return len(d) > 0 && d[0] == b
}

func FuzzCustomFieldDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var fields []CustomField
		err := json.Unmarshal(data, &fields)
		if err == nil && !json.Valid(data) {
			t.Fatalf("invalid JSON decoded: %q", data)
		}
		// Custom field items never fail to decode: any valid list is read.
		if err != nil && json.Valid(data) && startsWith(data, '[') {
			t.Fatalf("a valid JSON list failed to decode: %v", err)
		}
		if err != nil {
			return
		}
		checkCustomFields(t, fields)
		// Cross-check with a plain decode of the items.
		var items []json.RawMessage
		if json.Unmarshal(data, &items) != nil || len(items) != len(fields) {
			t.Fatalf("%d fields from %q", len(fields), data)
		}
		for i, item := range items {
			var plain struct {
				Value json.RawMessage `json:"value"`
			}
			if json.Unmarshal(item, &plain) != nil || len(plain.Value) == 0 {
				continue
			}
			var strs []string
			if json.Unmarshal(plain.Value, &strs) == nil && !reflect.DeepEqual(fields[i].Values, strs) {
				t.Fatalf("item %d: list of strings %q decoded as %+v", i, strs, fields[i])
			}
			if string(bytes.TrimSpace(plain.Value)) == "null" && (fields[i].Value != nil || fields[i].Values != nil || fields[i].Objects != nil) {
				t.Fatalf("item %d: null value decoded as %+v", i, fields[i])
			}
		}
	})
}

// decodes decodes data into out as the client does and reports whether it
// worked; a failure must say so plainly, a success must come from valid
// JSON, and the body's excerpt must keep its promises either way.
func decodes(t *testing.T, c *Client, data []byte, out any) bool {
	t.Helper()
	err := decodeJSON(data, out)
	checkExcerpt(t, c, Excerpt(data, c.redact))
	if err != nil {
		if !strings.HasPrefix(err.Error(), "the body ") {
			t.Fatalf("unclear error: %v", err)
		}
		return false
	}
	if !json.Valid(data) {
		t.Fatalf("invalid JSON decoded: %q", data)
	}
	return true
}

func FuzzSyncedTableDecode(f *testing.F) {
	c := fuzzClient()
	f.Fuzz(func(t *testing.T, data []byte) {
		var st SyncedTable
		if !decodes(t, c, data, &st) {
			return
		}
		checkCustomFields(t, st.CustomFields)
		if st.DBComment.Value != "" && !st.DBComment.Valid {
			t.Fatalf("db_comment %+v", st.DBComment)
		}
	})
}

func FuzzCatalogTableListDecode(f *testing.F) {
	c := fuzzClient()
	f.Fuzz(func(t *testing.T, data []byte) {
		var list []CatalogTable
		if !decodes(t, c, data, &list) {
			return
		}
		if startsWith(data, '{') {
			t.Fatalf("an object decoded as a list: %q", data)
		}
		for _, tb := range list {
			checkCustomFields(t, tb.CustomFields)
		}
	})
}

func FuzzAPIError(f *testing.F) {
	c := fuzzClient()
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 100 || status > 999 {
			status = 400 + (status%200+200)%200
		}
		h := http.Header{}
		h.Set("Content-Type", contentType)
		e := newAPIError("POST", pathSyncTable, status, h, body, c.redact)
		if e.StatusCode != status || e.ContentType != contentType || e.Method != "POST" || e.Path != pathSyncTable {
			t.Fatalf("APIError %+v", e)
		}
		if e.Detail != "" && e.Excerpt != "" {
			t.Fatalf("both a detail and an excerpt: %+v", e)
		}
		if len(e.Detail) > 500+len("…") {
			t.Fatalf("detail of %d bytes", len(e.Detail))
		}
		checkExcerpt(t, c, e.Excerpt)
		msg, m := e.Error(), e.Message()
		if !utf8.ValidString(msg) || m == "" {
			t.Fatalf("Error %q, Message %q", msg, m)
		}
		// Secrets come from the body here; a server echoing one in its
		// Content-Type header is not masked.
		if !containsAny(contentType, c.secrets) {
			checkNoSecret(t, c, msg)
			checkNoSecret(t, c, strings.TrimSuffix(m, "…"))
			checkNoSecret(t, c, strings.TrimSuffix(e.Detail, "…"))
		}
		if StatusCode(e) != status {
			t.Fatalf("StatusCode %d", StatusCode(e))
		}
	})
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func FuzzExcerpt(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte, secret string) {
		var c *Client
		if utf8.ValidString(secret) {
			c = fuzzClient(secret)
		} else {
			c = fuzzClient()
		}
		ex := Excerpt(body, c.redact)
		checkExcerpt(t, c, ex)
		if ex2 := Excerpt([]byte(ex), c.redact); len(ex) <= 200 && ex2 != ex {
			t.Fatalf("an excerpt is not its own excerpt: %q -> %q", ex, ex2)
		}
	})
}

func FuzzParseExpiry(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		got := parseExpiry(s)
		if got.IsZero() {
			return
		}
		again := parseExpiry(got.Format(time.RFC3339Nano))
		if !again.Equal(got) {
			t.Fatalf("%q parsed as %v, which reads back as %v", s, got, again)
		}
		if y := got.Year(); y < 0 || y > 9999 {
			t.Fatalf("%q parsed as year %d", s, y)
		}
	})
}
