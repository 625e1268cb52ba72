package alation

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// recordRetries collects the events WithRetryNotify reports.
func recordRetries(ctx context.Context) (context.Context, *[]RetryEvent) {
	var events []RetryEvent
	return WithRetryNotify(ctx, func(ev RetryEvent) { events = append(events, ev) }), &events
}

func TestWithRetryNotify_reportsEachRetryOfARequest(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static(), withRetries(3))
	w.fake.QueueFaults(pathSyncTable, alationfake.Fault{Status: 503}, alationfake.Fault{Status: 429})
	ctx, events := recordRetries(t.Context())
	if _, err := c.SyncTable(ctx, orders); err != nil {
		t.Fatal(err)
	}
	if len(*events) != 2 {
		t.Fatalf("events %+v, want 2", *events)
	}
	for i, want := range []string{"HTTP 503", "HTTP 429"} {
		ev := (*events)[i]
		if ev.Attempt != i+1 || ev.Reason != want || ev.Request != "POST "+pathSyncTable || ev.Wait <= 0 {
			t.Fatalf("event %d: %+v", i, ev)
		}
	}
}

func TestWithRetryNotify_reportsTheWaitForATable(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static())
	missing := orders
	missing.Table = "not_yet"
	ctx, events := recordRetries(t.Context())
	_, err := c.SyncTableWaiting(ctx, missing, 50*time.Millisecond)
	if !IsTableNotInSource(err) {
		t.Fatalf("err = %v", err)
	}
	if len(*events) == 0 {
		t.Fatal("no event while waiting for the table")
	}
	if ev := (*events)[0]; ev.Attempt != 1 || !strings.Contains(ev.Reason, "not in the data source yet") {
		t.Fatalf("event %+v", ev)
	}
}

func TestWithRetryNotify_silentWithoutIt(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static(), withRetries(1))
	w.fake.QueueFaults(pathSyncTable, alationfake.Fault{Status: 503})
	if _, err := c.SyncTable(t.Context(), orders); err != nil {
		t.Fatal(err)
	}
}
