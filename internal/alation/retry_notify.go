package alation

import (
	"context"
	"time"
)

// RetryEvent describes a pause the client takes before trying again, for
// callers that show progress to a person (a Terraform action's messages).
type RetryEvent struct {
	// What is being retried: "POST /api/v1/table/sync/".
	Request string
	// Attempt is the attempt that just failed, from 1.
	Attempt int
	// Reason says why it failed: "HTTP 503", "a network error", or that
	// the table is not in the data source yet (wait_for_table_timeout).
	Reason string
	// Wait is the pause before the next attempt.
	Wait time.Duration
}

type retryNotifyKey struct{}

// WithRetryNotify returns a context under which the client calls notify
// before every pause to retry a request made with it. notify runs on the
// request's goroutine and must be quick.
func WithRetryNotify(ctx context.Context, notify func(RetryEvent)) context.Context {
	return context.WithValue(ctx, retryNotifyKey{}, notify)
}

func notifyRetry(ctx context.Context, ev RetryEvent) {
	if notify, ok := ctx.Value(retryNotifyKey{}).(func(RetryEvent)); ok && notify != nil {
		notify(ev)
	}
}
