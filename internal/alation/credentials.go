package alation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// CheckCredentials asks Alation once whether it accepts the credentials, so
// that a caller can report refused credentials before any real work. For the
// minting modes the check is the mint itself, whose token the calls that
// follow then use: it costs nothing extra. A static api_access_token is
// checked with a one-row schema listing, a cheap read that any authenticated
// user may make.
//
// A refusal comes back as an *APIError with status 401 or 403 (Minting set
// when the token endpoint refused); anything else (a *RequestError, a 5xx)
// means the check could not tell.
//
// The check is one attempt, never retried: it is advisory when it cannot
// tell, so it must not keep a caller (a provider being configured, which old
// Terraform CLIs do not interrupt) waiting through backoffs; the caller
// bounds its time. A refusal it finds is left for the first call that needs
// Alation to report in full (see RefusedEarlierError.FirstReport): the
// caller of the check need not report it, and work that needs no request
// (a destroy) can go on.
func (c *Client) CheckCredentials(ctx context.Context) error {
	ctx = withSingleAttempt(ctx)
	var err error
	if c.mode != AuthAccessToken {
		_, err = c.accessToken(ctx)
	} else {
		var page []json.RawMessage // decoded only to make sure Alation, not a proxy's page, answered
		err = c.call(ctx, request{method: "GET", path: pathSchemas, query: url.Values{"limit": {"1"}}, tokenCheck: true}, &page)
	}
	if c.firstRefusal.Load() != nil {
		// Nobody has shown the refusal to a user yet.
		c.refusalReported.Store(false)
	}
	c.recordUnreachable(err)
	return err
}

// IsBlockingFailure reports whether err means that no call of the run can
// succeed: Alation refused the credentials, now or earlier in the client's
// life, or the credentials check found it unreachable for good.
func IsBlockingFailure(err error) bool {
	var e *APIError
	var earlier *RefusedEarlierError
	var unreachable *UnreachableError
	var reqErr *RequestError
	return errors.As(err, &earlier) || errors.As(err, &unreachable) || (errors.As(err, &e) && e.RefusesCredentials()) ||
		(errors.As(err, &reqErr) && cannotHeal(reqErr))
}

// BlockingFailure is the *RefusedEarlierError for credentials Alation
// has refused in this client's life, or the *UnreachableError for an
// Alation the credentials check found unreachable, or nil: a caller that is
// about to plan work needing Alation can fail early without a request.
func (c *Client) BlockingFailure() error {
	if first := c.firstRefusal.Load(); first != nil {
		return c.refusedEarlier(first)
	}
	return c.unreachableError()
}

// AuthMode is the mode the credentials authenticate with.
func (c *Client) AuthMode() AuthMode { return c.mode }

// RefusedEarlierError means Alation had already refused the credentials
// during this client's life (one Terraform run): the call was not sent, or
// its identical refusal is not repeated in full. The first refusal's error
// tells the whole story; this one points to it.
type RefusedEarlierError struct {
	// First is Alation's first refusal.
	First *APIError
	// BaseURL is the Alation instance that refused.
	BaseURL string
	// FirstReport is set on exactly one error per refusal when the refusal
	// itself reached no user (the credentials check found it): that error
	// should tell the whole story, the others only point to it.
	FirstReport bool
}

func (e *RefusedEarlierError) Error() string {
	return fmt.Sprintf("Alation refused the %s credentials earlier in this run (HTTP %d on %s %s: %s); no request is sent with them any more",
		e.First.AuthMode, e.First.StatusCode, e.First.Method, e.First.Path, e.First.Message())
}

// accessToken is the token for an authenticated call, unless Alation already
// refused the credentials: then every call fails at once, instead of each
// asking Alation again and getting the same refusal.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	if first := c.firstRefusal.Load(); first != nil {
		return "", c.refusedEarlier(first)
	}
	if err := c.unreachableError(); err != nil {
		return "", err
	}
	return c.tokens.token(ctx)
}

// refusedEarlier is the error for a call not sent because of first.
func (c *Client) refusedEarlier(first *APIError) *RefusedEarlierError {
	return &RefusedEarlierError{First: first, BaseURL: c.BaseURL(), FirstReport: c.refusalReported.CompareAndSwap(false, true)}
}

// refused records e, a refusal of the credentials reported as err. The first
// refusal is returned as it is, with everything Alation said; any later one,
// from a call that was already in flight, becomes a *RefusedEarlierError.
func (c *Client) refused(err error, e *APIError) error {
	if c.firstRefusal.CompareAndSwap(nil, e) {
		c.refusalReported.Store(true) // err, returned to its caller, reports it
		return err
	}
	return c.refusedEarlier(c.firstRefusal.Load())
}

// mintFailed wraps a failed mint's error with what was being done, and
// records a refused mint: the refresh token or OAuth client will not be
// accepted later in the run either.
func (c *Client) mintFailed(doing string, err error) error {
	wrapped := fmt.Errorf("%s: %w", doing, err)
	var e *APIError
	if errors.As(err, &e) {
		e.AuthMode, e.Minting = c.mode, true
		if e.RefusesCredentials() {
			return c.refused(wrapped, e)
		}
	}
	return wrapped
}

// errRefusedWhileWaiting stops a request that was prepared with credentials
// Alation refused while it waited for a slot (max_concurrent_requests).
var errRefusedWhileWaiting = errors.New("not sent: Alation refused the credentials while the request waited its turn")

// refusalTransport sits behind the concurrency cap, so that requests queued
// there when Alation refused the credentials are not sent either.
type refusalTransport struct {
	client *Client
	next   http.RoundTripper
}

func (t *refusalTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("TOKEN") != "" && t.client.firstRefusal.Load() != nil {
		return nil, errRefusedWhileWaiting
	}
	return t.next.RoundTrip(req)
}

// AccessToken is the token the client sends, minted if need be: for tools
// that make requests the client has no method for, such as the probe.
func (c *Client) AccessToken(ctx context.Context) (string, error) { return c.accessToken(ctx) }

// Redact masks every secret the client knows in s (its credentials and the
// tokens it minted).
func (c *Client) Redact(s string) string { return c.redact(s) }
