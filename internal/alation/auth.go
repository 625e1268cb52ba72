package alation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Credentials holds the secrets for exactly one of Alation's three ways to
// authenticate. Validate says which one is complete.
type Credentials struct {
	// AccessToken is an API access token made in Alation's UI (mode 1).
	AccessToken string
	// RefreshToken and UserID mint access tokens through
	// createAPIAccessToken (mode 2).
	RefreshToken string
	UserID       int64
	// ClientID and ClientSecret mint access tokens through OAuth 2.0 client
	// credentials on Alation Cloud (mode 3).
	ClientID     string
	ClientSecret string
}

// AuthMode names an authentication mode.
type AuthMode string

const (
	AuthAccessToken       AuthMode = "api_access_token"
	AuthRefreshToken      AuthMode = "refresh_token"
	AuthClientCredentials AuthMode = "client_credentials"
)

// Mode returns the one complete mode, or an error that says what is missing
// or which modes clash. Errors name the provider's attribute names, which are
// also the natural names of the fields.
func (c Credentials) Mode() (AuthMode, error) {
	var complete []AuthMode
	var partial []string
	if c.AccessToken != "" {
		complete = append(complete, AuthAccessToken)
	}
	switch {
	case c.RefreshToken != "" && c.UserID > 0:
		complete = append(complete, AuthRefreshToken)
	case c.RefreshToken != "":
		partial = append(partial, "refresh_token is set but user_id is not: a refresh token mints access tokens only together with the id of the user it belongs to")
	case c.UserID > 0:
		partial = append(partial, "user_id is set but refresh_token is not")
	}
	switch {
	case c.ClientID != "" && c.ClientSecret != "":
		complete = append(complete, AuthClientCredentials)
	case c.ClientID != "":
		partial = append(partial, "client_id is set but client_secret is not")
	case c.ClientSecret != "":
		partial = append(partial, "client_secret is set but client_id is not")
	}
	if len(partial) > 0 {
		return "", errors.New(strings.Join(partial, "; "))
	}
	switch len(complete) {
	case 0:
		return "", errors.New("no credentials: set api_access_token, or refresh_token with user_id, or client_id with client_secret")
	case 1:
		return complete[0], nil
	default:
		names := make([]string, len(complete))
		for i, m := range complete {
			names[i] = string(m)
		}
		return "", fmt.Errorf("more than one authentication mode is configured (%s): keep exactly one", strings.Join(names, ", "))
	}
}

func (c Credentials) secrets() []string {
	return []string{c.AccessToken, c.RefreshToken, c.ClientSecret}
}

// tokenSource hands out the access token for the TOKEN header.
type tokenSource interface {
	token(ctx context.Context) (string, error)
	// renewable reports whether a refused token can be replaced by a new
	// one, so that a retry makes sense.
	renewable() bool
	// renew is called when Alation refused tok as possibly expired, when
	// the source is renewable.
	renew(tok string)
}

type staticToken string

func (s staticToken) token(context.Context) (string, error) { return string(s), nil }
func (s staticToken) renewable() bool                       { return false }
func (s staticToken) renew(string)                          {}

// mintFunc asks Alation for a new access token and says when it expires
// (zero when Alation did not say).
type mintFunc func(ctx context.Context) (tok string, expires time.Time, err error)

// mintedToken caches a minted token for every caller of one Client. Minting
// is single-flight: the lock is a one-slot channel so that waiting callers
// still honour their contexts.
type mintedToken struct {
	mint mintFunc
	// blocked is the error for credentials Alation refused meanwhile: a
	// caller that queued for the lock behind a refused mint must not mint
	// again.
	blocked func() error
	now     func() time.Time
	lock    chan struct{}
	current string
	expires time.Time
	renewAt time.Time
	stale   bool
}

func newMintedToken(mint mintFunc, blocked func() error, now func() time.Time) *mintedToken {
	return &mintedToken{mint: mint, blocked: blocked, now: now, lock: make(chan struct{}, 1)}
}

func (m *mintedToken) token(ctx context.Context) (string, error) {
	select {
	case m.lock <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-m.lock }()

	now := m.now()
	if m.current != "" && !m.stale && (m.renewAt.IsZero() || now.Before(m.renewAt)) {
		return m.current, nil
	}
	if err := m.blocked(); err != nil {
		return "", err
	}
	tok, expires, err := m.mint(ctx)
	if err != nil {
		return "", err
	}
	m.current, m.expires, m.stale = tok, expires, false
	m.renewAt = time.Time{}
	if !expires.IsZero() {
		// Renew a little before expiry so that no request carries a token
		// that dies in flight: a tenth of the lifetime, at most a minute.
		early := expires.Sub(now) / 10
		if early > time.Minute {
			early = time.Minute
		}
		m.renewAt = expires.Add(-early)
	}
	return tok, nil
}

func (m *mintedToken) renewable() bool { return true }

func (m *mintedToken) renew(tok string) {
	m.lock <- struct{}{}
	defer func() { <-m.lock }()
	// Only the first caller refused with this token marks it stale; others
	// that were refused with the same token just pick up the new one.
	if m.current == tok {
		m.stale = true
	}
}

// refreshTokenMint mints through POST /integration/v1/createAPIAccessToken/.
func (c *Client) refreshTokenMint(ctx context.Context) (string, time.Time, error) {
	var out struct {
		APIAccessToken string `json:"api_access_token"`
		TokenExpiresAt string `json:"token_expires_at"`
		TokenStatus    string `json:"token_status"`
		Status         string `json:"status"`
		Message        string `json:"message"`
	}
	in := map[string]any{"refresh_token": c.creds.RefreshToken, "user_id": c.creds.UserID}
	var got answer
	if err := c.call(ctx, request{method: "POST", path: pathCreateToken, json: in, noAuth: true, answer: &got}, &out); err != nil {
		return "", time.Time{}, c.mintFailed("minting an access token from the refresh token", err)
	}
	if strings.EqualFold(out.Status, "failed") {
		return "", time.Time{}, c.mintFailed("minting an access token from the refresh token",
			c.failedMint(pathCreateToken, got, firstNonEmpty(out.Message, `"status": "failed"`)))
	}
	if out.APIAccessToken == "" {
		return "", time.Time{}, &ResponseError{Method: "POST", Path: pathCreateToken, StatusCode: got.status,
			Excerpt: "no api_access_token in the answer", Err: errors.New("no access token was minted")}
	}
	c.addSecret(out.APIAccessToken)
	return out.APIAccessToken, parseExpiry(out.TokenExpiresAt), nil
}

// failedMint is the refusal of a mint answered 2xx with "status": "failed",
// which both official SDKs treat as a refusal: as final as a 401.
func (c *Client) failedMint(path string, got answer, message string) *APIError {
	return &APIError{Method: "POST", Path: path, StatusCode: got.status, ContentType: got.contentType,
		Detail: clip(c.redact(message), 500), Attempts: 1, StatusFailed: true}
}

// clientCredentialsMint mints through POST /oauth/v2/token/, or
// /oauth/v2/token when that is the spelling the instance serves.
func (c *Client) clientCredentialsMint(ctx context.Context) (string, time.Time, error) {
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		Status      string `json:"status"`
		Message     string `json:"message"`
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.creds.ClientID},
		"client_secret": {c.creds.ClientSecret},
	}
	started := c.now()
	path, got, err := c.postOAuthToken(ctx, form, &out)
	if err != nil {
		return "", time.Time{}, c.mintFailed("minting an access token with the OAuth client credentials", err)
	}
	if strings.EqualFold(out.Status, "failed") {
		return "", time.Time{}, c.mintFailed("minting an access token with the OAuth client credentials",
			c.failedMint(path, got, firstNonEmpty(out.Message, `"status": "failed"`)))
	}
	if out.AccessToken == "" {
		return "", time.Time{}, &ResponseError{Method: "POST", Path: path, StatusCode: got.status,
			Excerpt: "no access_token in the answer", Err: errors.New("no access token was minted")}
	}
	c.addSecret(out.AccessToken)
	var expires time.Time
	if out.ExpiresIn > 0 {
		expires = started.Add(time.Duration(out.ExpiresIn) * time.Second)
	}
	return out.AccessToken, expires, nil
}

// postOAuthToken posts the client credentials to the token path that last
// worked, else the documented one; when that path does not exist there (404,
// or 405 from a slash-appending redirect that turned the POST into a GET),
// it tries the other spelling once and keeps whichever answered.
func (c *Client) postOAuthToken(ctx context.Context, form url.Values, out any) (string, answer, error) {
	path := c.OAuthTokenPath()
	var got answer
	err := c.call(ctx, request{method: "POST", path: path, form: form, noAuth: true, answer: &got}, out)
	if s := StatusCode(err); s == http.StatusNotFound || s == http.StatusMethodNotAllowed {
		other := otherOAuthPath(path)
		c.log.Debug(ctx, "The OAuth token path is not there; trying its other spelling once", map[string]any{"path": path, "status": s, "other": other})
		got = answer{}
		if err2 := c.call(ctx, request{method: "POST", path: other, form: form, noAuth: true, answer: &got}, out); StatusCode(err2) != http.StatusNotFound {
			path, err = other, err2
		}
	}
	if err == nil {
		c.oauthPath.Store(&path)
	}
	return path, got, err
}

// OAuthTokenPath is the OAuth token path that last answered a mint, or the
// documented one before any has.
func (c *Client) OAuthTokenPath() string {
	if p := c.oauthPath.Load(); p != nil {
		return *p
	}
	return pathOAuthToken
}

func otherOAuthPath(p string) string {
	if p == pathOAuthToken {
		return pathOAuthTokenNoSlash
	}
	return pathOAuthToken
}

// parseExpiry reads Alation's token_expires_at, which comes with or without
// a zone and fractional seconds. Zero means unknown: renewal then happens
// only when Alation refuses the token.
func parseExpiry(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999", "2006-01-02 15:04:05.999999Z07:00", "2006-01-02 15:04:05.999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
