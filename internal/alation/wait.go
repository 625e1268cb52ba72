package alation

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// maxTableWaitPoll caps the pause between syncs while waiting for a table.
const maxTableWaitPoll = 10 * time.Second

// SyncTableWaiting is SyncTable for databases whose metadata lags behind
// DDL (read replicas, eventually consistent information schemas): while the
// table is what the data source lacks (see IsTableNotInSource), it syncs
// again, with growing pauses, until wait has passed or ctx ends. Any other
// error ends it at once. With wait <= 0 it syncs once.
//
// A refused sync (400, 403, 404) comes back as a *SyncFailure saying what
// the refusal means. Reading that costs requests for a 404 only, once: the
// 404s that follow while waiting are taken to mean the same.
func (c *Client) SyncTableWaiting(ctx context.Context, in SyncTableInput, wait time.Duration) (*SyncedTable, error) {
	giveUp := c.now().Add(wait)
	pause := 2 * c.waitMin
	var first *SyncFailure // the first 404, read
	for attempt := 1; ; attempt++ {
		table, err := c.SyncTable(ctx, in)
		if err == nil {
			return table, nil
		}
		if first != nil && StatusCode(err) == http.StatusNotFound {
			err = first.again(err)
		} else if err = c.explainSyncFailure(ctx, in, err); StatusCode(err) == http.StatusNotFound {
			errors.As(err, &first)
		}
		if wait <= 0 || !IsTableNotInSource(err) {
			return nil, err
		}
		left := giveUp.Sub(c.now())
		if left <= 0 {
			return nil, &TableWaitError{Table: in.String(), Waited: wait, Attempts: attempt, Err: err}
		}
		pause = min(pause, left, maxTableWaitPoll)
		c.log.Warn(ctx, "Table not in the data source yet; syncing again after a pause", map[string]any{
			"table": in.String(), "attempt": attempt, "wait": pause.String(), "time_left": left.Round(time.Millisecond).String(),
		})
		notifyRetry(ctx, RetryEvent{Request: "POST " + pathSyncTable, Attempt: attempt, Wait: pause,
			Reason: "the table is not in the data source yet (" + left.Round(time.Second).String() + " of the wait left)"})
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, &RequestError{Method: "POST", Path: pathSyncTable, Attempts: attempt, LastStatus: http.StatusNotFound, Err: ctx.Err()}
		case <-timer.C:
		}
		pause *= 2
	}
}

// TableWaitError means the table was still not in the data source when the
// wait for it ran out. It wraps Alation's last answer.
type TableWaitError struct {
	Table    string
	Waited   time.Duration
	Attempts int
	Err      error
}

func (e *TableWaitError) Error() string {
	return "still not in the data source after waiting " + e.Waited.String() + ": " + e.Err.Error()
}

func (e *TableWaitError) Unwrap() error { return e.Err }
