package alationfake

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The authentication answers the public evidence leaves open are modes of
// the fake: which header an OAuth access token must come in, which form of
// the OAuth token path is served, the status of a refused token, whether a
// refusal comes as an HTML page, and how the mint refuses a refresh token.

// OAuthTokenHeader is where the fake accepts an OAuth (JWT) access token.
// API access tokens (made in the UI or minted from a refresh token) are
// always read from the TOKEN header.
type OAuthTokenHeader string

const (
	// OAuthHeaderEither accepts a JWT in TOKEN or as Authorization: Bearer
	// (the default).
	OAuthHeaderEither OAuthTokenHeader = "either"
	// OAuthHeaderBearer accepts a JWT only as Authorization: Bearer, as
	// Alation's docs describe it; in TOKEN it is an invalid token.
	OAuthHeaderBearer OAuthTokenHeader = "bearer"
	// OAuthHeaderToken accepts a JWT only in TOKEN, as Alation's SDKs send
	// it; the Authorization header is ignored.
	OAuthHeaderToken OAuthTokenHeader = "TOKEN"
)

// OAuthTokenPaths is which spelling of the OAuth token endpoint is served;
// the other answers 404 with an HTML page.
type OAuthTokenPaths string

const (
	OAuthPathBoth    OAuthTokenPaths = "both"    // /oauth/v2/token/ and /oauth/v2/token (the default)
	OAuthPathSlash   OAuthTokenPaths = "slash"   // /oauth/v2/token/ only, as the API reference writes it
	OAuthPathNoSlash OAuthTokenPaths = "noslash" // /oauth/v2/token only, as Alation's Allie writes it
)

// RefreshTokenRefusal is how createAPIAccessToken refuses an invalid or
// expired refresh token.
type RefreshTokenRefusal string

const (
	// RefusalStatus401 answers 401 {"detail": "Refresh token provided is
	// invalid.", "code": "401000"} (the default; confirmed for an invalid one).
	RefusalStatus401 RefreshTokenRefusal = "401"
	// RefusalStatus400 answers 400 with the same detail.
	RefusalStatus400 RefreshTokenRefusal = "400"
	// RefusalStatusFailed answers 200 {"status": "failed", "message": ...},
	// which both official SDKs check for.
	RefusalStatusFailed RefreshTokenRefusal = "status-failed"
)

// authVariants are the fake's authentication modes.
type authVariants struct {
	oauthHeader    OAuthTokenHeader
	oauthPaths     OAuthTokenPaths
	htmlFailures   bool
	refreshRefusal RefreshTokenRefusal
}

var defaultAuthVariants = authVariants{oauthHeader: OAuthHeaderEither, oauthPaths: OAuthPathBoth, refreshRefusal: RefusalStatus401}

// SetOAuthTokenHeader chooses where an OAuth access token is accepted. An
// unknown value is an error.
func (f *Fake) SetOAuthTokenHeader(h OAuthTokenHeader) error {
	switch h {
	case OAuthHeaderEither, OAuthHeaderBearer, OAuthHeaderToken:
	default:
		return fmt.Errorf("OAuth token header must be %q, %q or %q, not %q", OAuthHeaderEither, OAuthHeaderBearer, OAuthHeaderToken, h)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth.oauthHeader = h
	return nil
}

// SetOAuthTokenPaths chooses which spelling of the OAuth token path is
// served. An unknown value is an error.
func (f *Fake) SetOAuthTokenPaths(p OAuthTokenPaths) error {
	switch p {
	case OAuthPathBoth, OAuthPathSlash, OAuthPathNoSlash:
	default:
		return fmt.Errorf("OAuth token path must be %q, %q or %q, not %q", OAuthPathBoth, OAuthPathSlash, OAuthPathNoSlash, p)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth.oauthPaths = p
	return nil
}

// SetHTMLTokenFailures makes every refusal of a token or credential (a
// missing, invalid or expired access token, a refused mint) an HTML page
// with the same status, as a gateway in front of Alation may send.
func (f *Fake) SetHTMLTokenFailures(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth.htmlFailures = on
}

// SetRefreshTokenRefusal chooses how the mint refuses a refresh token. An
// unknown value is an error.
func (f *Fake) SetRefreshTokenRefusal(r RefreshTokenRefusal) error {
	switch r {
	case RefusalStatus401, RefusalStatus400, RefusalStatusFailed:
	default:
		return fmt.Errorf("refresh token refusal must be %q, %q or %q, not %q", RefusalStatus401, RefusalStatus400, RefusalStatusFailed, r)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth.refreshRefusal = r
	return nil
}

// serves reports whether the OAuth token path p is served. Callers hold f.mu.
func (v authVariants) serves(p string) bool {
	switch v.oauthPaths {
	case OAuthPathSlash:
		return strings.HasSuffix(p, "/")
	case OAuthPathNoSlash:
		return !strings.HasSuffix(p, "/")
	}
	return true
}

// presented finds the access token a request authenticates with, by the
// OAuth header mode: the token and "", or nil and the refusal's detail.
// Callers hold f.mu.
func (f *Fake) presented(r *http.Request) (*token, string) {
	tokenHeader := strings.TrimSpace(r.Header.Get("Token"))
	bearer, hasBearer := bearerToken(r)
	mode := f.auth.oauthHeader
	if hasBearer && mode != OAuthHeaderToken {
		if t := f.tokens[bearer]; t != nil && t.kind == accessToken && t.jwt {
			return t, ""
		}
	}
	if tokenHeader != "" {
		if t := f.tokens[tokenHeader]; t != nil && t.kind == accessToken && (!t.jwt || mode != OAuthHeaderBearer) {
			return t, ""
		}
		return nil, "Invalid token."
	}
	if hasBearer && mode != OAuthHeaderToken {
		return nil, "Authentication failed: invalid bearer token."
	}
	return nil, "Authentication credentials were not provided."
}

// bearerToken reads "Authorization: Bearer <token>".
func bearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// refuse answers a refused credential: Alation's JSON, or, in HTML mode, a
// gateway's page with the same status. Callers must not hold f.mu.
func (f *Fake) refuse(w http.ResponseWriter, status int, body map[string]string) {
	f.mu.Lock()
	html := f.auth.htmlFailures
	f.mu.Unlock()
	if html {
		writeHTML(w, status, gatewayPage(status))
		return
	}
	writeJSON(w, status, body)
}

// gatewayPage is the kind of page a gateway sends instead of Alation's JSON.
func gatewayPage(status int) string {
	return fmt.Sprintf("<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center><hr><center>gateway</center></body></html>\n",
		status, http.StatusText(status), status, http.StatusText(status))
}

// refusedRefreshToken answers a mint that refuses the refresh token, in
// the configured way. Callers must not hold f.mu.
func (f *Fake) refusedRefreshToken(w http.ResponseWriter) {
	const detail = "Refresh token provided is invalid."
	f.mu.Lock()
	mode := f.auth.refreshRefusal
	f.mu.Unlock()
	switch mode {
	case RefusalStatusFailed:
		writeJSON(w, http.StatusOK, map[string]string{"status": "failed", "message": detail})
	case RefusalStatus400:
		f.refuse(w, http.StatusBadRequest, map[string]string{"detail": detail, "code": "400000"})
	default:
		f.refuse(w, http.StatusUnauthorized, map[string]string{"detail": detail, "code": "401000"})
	}
}

// Token shapes as Alation hands them out: API access tokens are 43
// URL-safe base64 characters (32 bytes), refresh tokens 86 (64 bytes), and
// OAuth access tokens are JWTs.

func newAccessTokenValue() string  { return randomURLSafe(32) }
func newRefreshTokenValue() string { return randomURLSafe(64) }

func randomURLSafe(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand does not fail on supported platforms; stay unique anyway.
		return fmt.Sprintf("tok-%d", time.Now().UnixNano())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// newJWT is a JWT of the shape Alation's OAuth server issues: header,
// claims and an RS256-sized signature, each base64url-encoded. The fake
// never verifies it: it looks the whole value up.
func newJWT(clientID string, userID int64, issued time.Time, ttl time.Duration) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v) // maps of strings and numbers always encode
		return base64.RawURLEncoding.EncodeToString(b)
	}
	header := enc(map[string]string{"alg": "RS256", "typ": "JWT"})
	claims := enc(map[string]any{
		"sub": fmt.Sprint(userID), "client_id": clientID, "scope": "openid",
		"iat": issued.Unix(), "exp": addTTL(issued, ttl).Unix(), "jti": randomURLSafe(16),
	})
	return header + "." + claims + "." + randomURLSafe(256)
}
