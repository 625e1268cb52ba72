package alation

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Every request this client sends carries credentials: the TOKEN header,
// or, for a mint, the refresh token or OAuth client secret in its body,
// which a 307 or 308 sends again to wherever Location points. Dropping
// headers cannot protect a body, so no redirect may leave base_url's origin.

// RedirectError means Alation, or something in front of it, answered with a
// redirect to another origin (scheme, host or port) than base_url's. The
// redirect was not followed: nothing was sent to To.
type RedirectError struct {
	Method     string
	Path       string
	StatusCode int
	// From is base_url's origin, To the redirect's, such as
	// "https://alation.example.com" and "https://sso.example.com:8443".
	From string
	To   string
	// Carried says which credentials the request carried, and where.
	Carried string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d %s redirects to %s, another host than base_url's %s; the request carries %s, so it was not followed "+
		"(a proxy in front of Alation, or a base_url that is not Alation's own address, is the likely cause)",
		e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode), e.To, e.From, e.Carried)
}

func isRedirectError(err error) bool {
	var e *RedirectError
	return err != nil && errors.As(err, &e)
}

// carrying completes a *RedirectError in err with what r carried.
func (c *Client) carrying(r request, err error) error {
	var e *RedirectError
	if !errors.As(err, &e) {
		return err
	}
	switch {
	case !r.noAuth && c.mode == AuthClientCredentials:
		e.Carried = "the access token (TOKEN and Authorization headers)"
	case !r.noAuth:
		e.Carried = "the access token (TOKEN header)"
	case r.path == pathCreateToken:
		e.Carried = "the refresh token in its body"
	case r.path == pathOAuthToken || r.path == pathOAuthTokenNoSlash:
		e.Carried = "the OAuth client secret in its body"
	default:
		e.Carried = "credentials"
	}
	return err
}

// checkRedirect follows a redirect only within base_url's origin, where
// the credentials were meant to go (a 307 or 308 sends the body again).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if !sameOrigin(req.URL, c.base) {
		first := via[0]
		e := &RedirectError{Method: first.Method, Path: first.URL.Path, From: origin(c.base), To: origin(req.URL), Carried: "credentials"}
		if first.URL.RawQuery != "" {
			e.Path += "?" + first.URL.RawQuery
		}
		if req.Response != nil {
			e.StatusCode = req.Response.StatusCode
		}
		return e
	}
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return nil
}

// sameOrigin compares scheme, host and port, a default port being the
// same as none.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// origin renders u's scheme, host and port for messages.
func origin(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
}
