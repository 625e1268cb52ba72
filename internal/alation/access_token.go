package alation

import (
	"context"
	"time"
)

// IssuedToken is an access token handed to another tool of the caller's
// run, such as the ephemeral alation_access_token.
type IssuedToken struct {
	// Token goes in the TOKEN header of Alation API calls.
	Token string
	// ExpiresAt is when Alation said the token expires; zero when it did
	// not say, as for a static api_access_token, whose expiry only Alation
	// knows.
	ExpiresAt time.Time
	// Minted is true when Token was minted for this call, false when it is
	// the configured api_access_token.
	Minted bool
}

// IssueAccessToken returns an access token for another tool. A refresh
// token or OAuth client mints a fresh one with each call, apart from the
// token the client itself sends: the tool gets the token's whole lifetime,
// and the client's renewals never replace a token the tool still holds. A
// static api_access_token is handed through as it is, without a request.
//
// Credentials Alation refused earlier in the client's life, or an Alation
// found unreachable for good, fail at once, as every call then does. A
// minted token is a secret the client redacts from its logs.
func (c *Client) IssueAccessToken(ctx context.Context) (IssuedToken, error) {
	if first := c.firstRefusal.Load(); first != nil {
		return IssuedToken{}, c.refusedEarlier(first)
	}
	if err := c.unreachableError(); err != nil {
		return IssuedToken{}, err
	}
	var mint mintFunc
	switch c.mode {
	case AuthRefreshToken:
		mint = c.refreshTokenMint
	case AuthClientCredentials:
		mint = c.clientCredentialsMint
	default:
		return IssuedToken{Token: c.creds.AccessToken}, nil
	}
	tok, expires, err := mint(ctx)
	if err != nil {
		return IssuedToken{}, err
	}
	return IssuedToken{Token: tok, ExpiresAt: expires, Minted: true}, nil
}
