package alationfake

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Layout of the timestamps in token answers, e.g. "2026-11-25T20:00:00.000000Z".
const tokenTimeLayout = "2006-01-02T15:04:05.000000Z"

// authenticate checks the TOKEN header and returns the caller's user id. On
// failure it has already answered.
func (f *Fake) authenticate(w http.ResponseWriter, r *http.Request) (int64, bool) {
	v := strings.TrimSpace(r.Header.Get("Token"))
	if v == "" {
		writeError(w, http.StatusForbidden, "Authentication credentials were not provided.")
		return 0, false
	}
	f.mu.Lock()
	t, ok := f.tokens[v]
	var uid int64
	var expired bool
	if ok {
		ok = t.kind == accessToken
		uid, expired = t.userID, !f.now().Before(t.expires)
	}
	status := f.expiredStatus
	f.mu.Unlock()
	switch {
	case !ok:
		writeError(w, http.StatusForbidden, "Invalid token.")
		return 0, false
	case expired:
		writeError(w, status, "The API access token has expired.")
		return 0, false
	}
	return uid, true
}

// tokenBody is the answer of createAPIAccessToken and validateAPIAccessToken.
func tokenBody(t *token, now time.Time) map[string]any {
	st := "ACTIVE"
	if !now.Before(t.expires) {
		st = "EXPIRED"
	}
	return map[string]any{
		"api_access_token": t.value,
		"user_id":          t.userID,
		"created_at":       t.created.UTC().Format(tokenTimeLayout),
		"token_expires_at": t.expires.UTC().Format(tokenTimeLayout),
		"token_status":     st,
	}
}

// tokenRequest reads the body both token endpoints take: a token field and
// user_id. On a bad body it has already answered.
func tokenRequest(w http.ResponseWriter, r *http.Request, body []byte, field string) (string, int64, bool) {
	m, perr := parseBody(r, body)
	if perr != nil {
		writeError(w, perr.status, perr.detail)
		return "", 0, false
	}
	tok, e1 := stringField(m, field)
	uid, e2 := intField(m, "user_id")
	if e := firstErr(e1, e2); e != nil {
		e = hintContentType(r, body, e)
		writeError(w, e.status, e.detail)
		return "", 0, false
	}
	return tok, uid, true
}

// handleCreateToken mints an access token from a refresh token:
// POST /integration/v1/createAPIAccessToken/.
func (f *Fake) handleCreateToken(w http.ResponseWriter, r *http.Request, body []byte) {
	rt, uid, ok := tokenRequest(w, r, body, "refresh_token")
	if !ok {
		return
	}
	f.mu.Lock()
	now := f.now()
	t, ok := f.tokens[rt]
	var ans map[string]any
	if ok && t.kind == refreshToken && t.userID == uid && now.Before(t.expires) {
		ans = tokenBody(f.addToken(newTokenValue(), accessToken, uid, f.mintedTTL), now)
		f.mintCount++
	}
	f.mu.Unlock()
	if ans == nil {
		writeError(w, http.StatusUnauthorized, "Refresh token provided is invalid.")
		return
	}
	writeJSON(w, http.StatusCreated, ans)
}

// handleValidateToken reports on an access token:
// POST /integration/v1/validateAPIAccessToken/.
func (f *Fake) handleValidateToken(w http.ResponseWriter, r *http.Request, body []byte) {
	at, uid, ok := tokenRequest(w, r, body, "api_access_token")
	if !ok {
		return
	}
	f.mu.Lock()
	t, ok := f.tokens[at]
	var ans map[string]any
	if ok && t.kind == accessToken && t.userID == uid {
		ans = tokenBody(t, f.now())
	}
	f.mu.Unlock()
	if ans == nil {
		writeError(w, http.StatusUnauthorized, "API access token provided is invalid.")
		return
	}
	writeJSON(w, http.StatusOK, ans)
}

// oauthError answers in the OAuth 2.0 error format.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// handleOAuthToken implements the client credentials grant:
// POST /oauth/v2/token/ with a form-encoded body.
func (f *Fake) handleOAuthToken(w http.ResponseWriter, r *http.Request, body []byte) {
	w.Header().Set("Cache-Control", "no-store")
	form := url.Values{}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "application/x-www-form-urlencoded" {
		form, err = url.ParseQuery(string(body))
		if err != nil {
			oauthError(w, http.StatusBadRequest, "invalid_request", "The request body is not a valid form.")
			return
		}
	}
	if gt := form.Get("grant_type"); gt != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type",
			"Only grant_type=client_credentials is supported, sent as a form-encoded body.")
		return
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, secret = formUnescape(u), formUnescape(p)
	}
	f.mu.Lock()
	c, ok := f.oauthClients[id]
	var ans map[string]any
	if id != "" && ok && c.secret == secret {
		t := f.addToken(newTokenValue(), accessToken, c.userID, f.mintedTTL)
		f.mintCount++
		ans = map[string]any{
			"access_token": t.value,
			"token_type":   "Bearer",
			"expires_in":   int64(f.mintedTTL / time.Second),
			"scope":        "openid",
		}
	}
	f.mu.Unlock()
	if ans == nil {
		if _, _, basic := r.BasicAuth(); basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
		}
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed: unknown client or wrong secret.")
		return
	}
	writeJSON(w, http.StatusOK, ans)
}

// formUnescape undoes the form encoding OAuth applies to Basic credentials,
// keeping the raw value when it is not valid encoding.
func formUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// AddUser registers a user: a Server Admin, or a Viewer (see
// AddUserWithRole). Only admins may trigger syncs.
func (f *Fake) AddUser(id int64, admin bool) { f.AddUserWithRole(id, roleFor(admin)) }

// newTokenValue returns a fresh random token string.
func newTokenValue() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand does not fail on supported platforms; stay unique anyway.
		return fmt.Sprintf("tok-%d", time.Now().UnixNano())
	}
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// addToken stores a credential. Callers hold f.mu.
func (f *Fake) addToken(value string, kind tokenKind, userID int64, ttl time.Duration) *token {
	now := f.now()
	t := &token{value: value, kind: kind, userID: userID, created: now, expires: addTTL(now, ttl)}
	f.tokens[value] = t
	return t
}

// addTTL adds ttl to t without overflowing.
func addTTL(t time.Time, ttl time.Duration) time.Time {
	if ttl > math.MaxInt64/2 {
		ttl = math.MaxInt64 / 2
	}
	return t.Add(ttl)
}

// IssueAccessToken creates a static API access token for a user, like one
// made in the Alation UI, valid for ttl on the fake's clock.
func (f *Fake) IssueAccessToken(userID int64, ttl time.Duration) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addToken(newTokenValue(), accessToken, userID, ttl).value
}

// IssueRefreshToken creates a refresh token for a user, valid for ttl.
func (f *Fake) IssueRefreshToken(userID int64, ttl time.Duration) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addToken(newTokenValue(), refreshToken, userID, ttl).value
}

// AddOAuthClient registers an OAuth client (an Alation Cloud service account)
// acting as userID.
func (f *Fake) AddOAuthClient(clientID, clientSecret string, userID int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.oauthClients[clientID] = oauthClient{secret: clientSecret, userID: userID}
}

// SetMintedTokenTTL sets the lifetime of tokens minted from now on by
// createAPIAccessToken and the OAuth token endpoint (default 24h).
func (f *Fake) SetMintedTokenTTL(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mintedTTL = d
}

// ExpireAccessTokens makes every access token issued or minted so far
// expired. Refresh tokens are not touched.
func (f *Fake) ExpireAccessTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	past := f.now().Add(-time.Second)
	for _, t := range f.tokens {
		if t.kind == accessToken && t.expires.After(past) {
			t.expires = past
		}
	}
}

// SetExpiredTokenStatus chooses how an expired access token is answered:
// 401 (the default) or 403. Any other value is ignored.
func (f *Fake) SetExpiredTokenStatus(code int) {
	if code != 401 && code != 403 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expiredStatus = code
}

// MintCount is the number of access tokens successfully minted through
// createAPIAccessToken and the OAuth token endpoint.
func (f *Fake) MintCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mintCount
}
