package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// -sync-error-wording names each wording the emulator plays, and nothing
// else.
func TestSyncErrorWordingFlag(t *testing.T) {
	for _, name := range []string{"documented", "terse", "field-keyed"} {
		if wd, err := syncErrorWording(name); err != nil || wd.String() != name {
			t.Errorf("%s: %v, %v", name, wd, err)
		}
	}
	err := run(context.Background(), []string{"-sync-error-wording", "polite"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `"field-keyed"`) {
		t.Fatalf("a wording the emulator does not play: %v", err)
	}
}

// The announcement says which schemas no extraction has catalogued yet.
func TestAnnounceNotCatalogued(t *testing.T) {
	f := alationfake.New()
	token := f.SeedDemo()
	f.AddSourceSchema(8, "ANALYTICS.NEW")
	f.AddSourceTable(8, "ANALYTICS.NEW", "EVENTS", "TABLE")
	var stderr bytes.Buffer
	announce(io.Discard, &stderr, "http://127.0.0.1:1", token, f.Inventory())
	if !inOrder(stderr.String(), `schema "ANALYTICS.NEW" (in the database, not yet extracted: a sync answers 404)`, "EVENTS") {
		t.Fatalf("the announcement:\n%s", stderr.String())
	}
}

func inOrder(s string, parts ...string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}
