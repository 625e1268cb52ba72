package alation

import (
	"context"
	"errors"
	"fmt"
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
	mint    mintFunc
	now     func() time.Time
	lock    chan struct{}
	current string
	expires time.Time
	renewAt time.Time
	stale   bool
}

func newMintedToken(mint mintFunc, now func() time.Time) *mintedToken {
	return &mintedToken{mint: mint, now: now, lock: make(chan struct{}, 1)}
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
	if err := c.call(ctx, request{method: "POST", path: pathCreateToken, json: in, noAuth: true}, &out); err != nil {
		return "", time.Time{}, c.mintFailed("minting an access token from the refresh token", err)
	}
	if strings.EqualFold(out.Status, "failed") || out.APIAccessToken == "" {
		return "", time.Time{}, &ResponseError{Method: "POST", Path: pathCreateToken, StatusCode: 200,
			Excerpt: Excerpt([]byte(firstNonEmpty(out.Message, out.Status, "no api_access_token in the answer")), c.redact),
			Err:     errors.New("no access token was minted")}
	}
	c.addSecret(out.APIAccessToken)
	return out.APIAccessToken, parseExpiry(out.TokenExpiresAt), nil
}

// clientCredentialsMint mints through POST /oauth/v2/token/.
func (c *Client) clientCredentialsMint(ctx context.Context) (string, time.Time, error) {
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		Status      string `json:"status"`
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.creds.ClientID},
		"client_secret": {c.creds.ClientSecret},
	}
	started := c.now()
	if err := c.call(ctx, request{method: "POST", path: pathOAuthToken, form: form, noAuth: true}, &out); err != nil {
		return "", time.Time{}, c.mintFailed("minting an access token with the OAuth client credentials", err)
	}
	if strings.EqualFold(out.Status, "failed") || out.AccessToken == "" {
		return "", time.Time{}, &ResponseError{Method: "POST", Path: pathOAuthToken, StatusCode: 200,
			Excerpt: firstNonEmpty(out.Status, "no access_token in the answer"),
			Err:     errors.New("no access token was minted")}
	}
	c.addSecret(out.AccessToken)
	var expires time.Time
	if out.ExpiresIn > 0 {
		expires = started.Add(time.Duration(out.ExpiresIn) * time.Second)
	}
	return out.AccessToken, expires, nil
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
