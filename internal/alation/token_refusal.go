package alation

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
)

// setTokenHeaders puts the access token where Alation may look for it: the
// TOKEN header always, as Alation's SDKs send it; for an OAuth access token
// also Authorization: Bearer, as Alation's docs describe it (which of the two
// an instance reads for a JWT is unknown). Both go to base_url's origin
// only: checkRedirect stops a request that is redirected elsewhere, and
// paging links to another host are refused.
func setTokenHeaders(h http.Header, mode AuthMode, tok string) {
	h.Set("TOKEN", tok)
	if mode == AuthClientCredentials {
		h.Set("Authorization", "Bearer "+tok)
	}
}

// refusedSoFar is the error for a call that must not be sent any more
// because Alation refused the credentials (or cannot be reached for good):
// a caller that waited for the mint lock behind a refused mint gets it
// instead of minting again.
func (c *Client) refusedSoFar() error { return c.BlockingFailure() }

// confirmRefusal decides what an authenticated 403 means when neither its
// words nor its body say it is about the token (a permission refusal in
// Alation's JSON looks the same as a gateway's HTML page for a bad token):
// one single-attempt read that needs nothing but a valid token tells. If
// that read is refused too, the token is what Alation refuses, and the 403
// is recorded as a refusal of the credentials; otherwise it stays a
// refusal of this request (not an admin, a private object...). A minted
// token has been renewed once before this: an expired token is not the
// cause. A role-gated request's 403 is about the role: its caller asks
// again without what needs the role.
func (c *Client) confirmRefusal(ctx context.Context, r request, err error) error {
	var e *APIError
	if r.noAuth || r.tokenCheck || r.roleGated || !errors.As(err, &e) || e.StatusCode != http.StatusForbidden || e.RefusesCredentials() {
		return err
	}
	var page []json.RawMessage
	check := request{method: "GET", path: pathSchemas, query: url.Values{"limit": {"1"}}, tokenCheck: true, noRecord: true}
	checkErr := c.call(withSingleAttempt(ctx), check, &page)
	var ce *APIError
	if !errors.As(checkErr, &ce) || !ce.TokenRefused {
		c.log.Debug(ctx, "Alation answered 403 to a token it accepts for reads: a refusal of the request, not of the credentials",
			map[string]any{"path": e.Path, "check_error": errorText(checkErr)})
		return err
	}
	e.TokenRefused = true
	c.log.Debug(ctx, "Alation answered 403 and refuses the token for a read too: the credentials are refused", map[string]any{"path": e.Path})
	return c.refused(err, e)
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
