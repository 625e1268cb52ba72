package alation

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryPolicy is the one retry policy for every call: retry network errors,
// 429 and 500/502/503/504 with capped exponential backoff and jitter,
// honouring Retry-After; never retry other statuses. It lives for one
// logical request so that its logs carry that request's context.
type retryPolicy struct {
	client     *Client
	ctx        context.Context
	method     string
	path       string
	attempts   int
	lastStatus int
	// serverErrors counts the sync's 500 answers (see MaxSyncServerErrorRetries).
	serverErrors int
}

// MaxSyncServerErrorRetries bounds the retries of a sync answered 500,
// whatever Config.MaxRetries: that
// means Alation could not reach the database, and each retry is another
// connection attempt that may itself wait out a database time-out.
const MaxSyncServerErrorRetries = 1

// retryableStatus lists the statuses worth another try. 500 is one: for the
// sync endpoint it means Alation could not reach the database, often briefly.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func (p *retryPolicy) retryableClient() *retryablehttp.Client {
	retryMax := p.client.maxRetries
	if singleAttempt(p.ctx) {
		retryMax = 0
	}
	return &retryablehttp.Client{
		HTTPClient:   p.client.http,
		RetryMax:     retryMax,
		RetryWaitMin: p.client.waitMin,
		RetryWaitMax: p.client.waitMax,
		CheckRetry:   p.checkRetry,
		Backoff:      p.backoff,
		ErrorHandler: p.giveUp,
	}
}

func (p *retryPolicy) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	p.attempts++
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if errors.Is(err, errRefusedWhileWaiting) || isRedirectError(err) || cannotHeal(err) {
			// The library's policy would retry an error it does not
			// know, and these are answered the same way every time.
			return false, err
		}
		// The library's policy knows the other permanent transport errors
		// (bad certificates, too many redirects, malformed URLs).
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	p.lastStatus = resp.StatusCode
	if resp.StatusCode == http.StatusInternalServerError && p.method == http.MethodPost && strings.HasSuffix(p.path, pathSyncTable) {
		p.serverErrors++
		return p.serverErrors <= MaxSyncServerErrorRetries, nil
	}
	return retryableStatus(resp.StatusCode), nil
}

func (p *retryPolicy) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	var wait time.Duration
	fields := map[string]any{"method": p.method, "path": p.path, "attempt": p.attempts, "max_retries": p.client.maxRetries}
	if resp != nil && resp.Header.Get("Retry-After") != "" {
		// The library parses both forms of Retry-After (seconds, HTTP date)
		// for 429 and 503, and falls back to exponential backoff otherwise.
		wait = retryablehttp.DefaultBackoff(minWait, maxWait, attempt, resp)
		fields["retry_after"] = resp.Header.Get("Retry-After")
	} else {
		wait = jitteredBackoff(minWait, maxWait, attempt)
	}
	reason := "a network error"
	if resp != nil {
		fields["status"] = resp.StatusCode
		reason = "HTTP " + strconv.Itoa(resp.StatusCode)
	} else {
		fields["status"] = "network error"
	}
	fields["wait"] = wait.String()
	p.client.log.Warn(p.ctx, "Retrying Alation request", fields)
	notifyRetry(p.ctx, RetryEvent{Request: p.method + " " + p.path, Attempt: p.attempts, Reason: reason, Wait: wait})
	return wait
}

// jitteredBackoff doubles from minWait per attempt, caps at maxWait, and
// picks uniformly in the upper half so that parallel callers spread out.
func jitteredBackoff(minWait, maxWait time.Duration, attempt int) time.Duration {
	ceiling := maxWait
	if attempt < 30 {
		if d := minWait << attempt; d > 0 && d < maxWait {
			ceiling = d
		}
	}
	half := ceiling / 2
	return half + rand.N(half+1)
}

// giveUp is called when retries are exhausted or a permanent error occurs.
// A last response is handed back as it is so that the caller reads
// Alation's message from it; otherwise the error is returned.
func (p *retryPolicy) giveUp(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil && (err == nil || p.ctx.Err() == nil) && !isRedirectError(err) {
		return resp, nil
	}
	if resp != nil {
		resp.Body.Close()
	}
	return nil, err
}

// wrap turns the library's final error into a RequestError that says how
// many attempts were made and whether the deadline was the reason.
func (p *retryPolicy) wrap(err error) error {
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		return redirect // it says all, and no answer came from Alation
	}
	if p.ctx.Err() != nil {
		err = p.ctx.Err()
	}
	return &RequestError{Method: p.method, Path: p.path, Attempts: max(p.attempts, 1), LastStatus: p.lastStatus, Err: err}
}

type singleAttemptKey struct{}

// withSingleAttempt marks ctx's requests as never retried.
func withSingleAttempt(ctx context.Context) context.Context {
	return context.WithValue(ctx, singleAttemptKey{}, true)
}

func singleAttempt(ctx context.Context) bool {
	v, _ := ctx.Value(singleAttemptKey{}).(bool)
	return v
}
