package alationfake

import (
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"time"
)

// Layout of the timestamps in token answers, e.g. "2026-11-25T20:00:00.000000Z".
const tokenTimeLayout = "2006-01-02T15:04:05.000000Z"

// authenticate checks the access token (the TOKEN header, or for an OAuth
// token the header the OAuth mode accepts) and returns the caller's user
// id. Every refusal, a missing, invalid or expired token alike, gets the
// same status, as Django REST framework gives every failed authentication
// one (see SetExpiredTokenStatus). On failure it has already answered.
func (f *Fake) authenticate(w http.ResponseWriter, r *http.Request) (int64, bool) {
	f.mu.Lock()
	t, detail := f.presented(r)
	var uid int64
	if t != nil {
		uid = t.userID
		if !f.now().Before(t.expires) {
			detail = "The API access token has expired."
		}
	}
	status := f.expiredStatus
	f.mu.Unlock()
	if detail != "" {
		f.refuse(w, status, map[string]string{"detail": detail, "code": fmt.Sprintf("%d000", status)})
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
		ans = tokenBody(f.addToken(newAccessTokenValue(), accessToken, uid, f.mintedTTL), now)
		f.mintCount++
	}
	f.mu.Unlock()
	if ans == nil {
		f.refusedRefreshToken(w)
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
// POST /oauth/v2/token/ (or /oauth/v2/token, see SetOAuthTokenPaths) with a
// form-encoded body. It mints JWTs.
func (f *Fake) handleOAuthToken(w http.ResponseWriter, r *http.Request, body []byte) {
	f.mu.Lock()
	served := f.auth.serves(r.URL.Path)
	f.mu.Unlock()
	if !served {
		writeHTML(w, http.StatusNotFound, notFoundPage)
		return
	}
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
		t := f.addToken(newJWT(id, c.userID, f.now(), f.mintedTTL), accessToken, c.userID, f.mintedTTL)
		t.jwt = true
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
		f.refuse(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed: unknown client or wrong secret."})
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
	return f.addToken(newAccessTokenValue(), accessToken, userID, ttl).value
}

// IssueRefreshToken creates a refresh token for a user, valid for ttl.
func (f *Fake) IssueRefreshToken(userID int64, ttl time.Duration) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addToken(newRefreshTokenValue(), refreshToken, userID, ttl).value
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

// SetExpiredTokenStatus chooses the status of a refused access token:
// 403 (the default: the evidence leans to it for an expired token) or 401.
// It applies to expired, invalid and missing tokens alike, as Django REST
// framework answers every failed authentication with one status, so a
// made-up token tells which one an instance uses. Any other value is
// ignored.
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
