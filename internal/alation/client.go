package alation

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Endpoint paths, relative to the base URL.
const (
	pathSyncTable   = "/api/v1/table/sync/"
	pathCreateToken = "/integration/v1/createAPIAccessToken/"
	pathOAuthToken  = "/oauth/v2/token/"
	// pathOAuthTokenNoSlash is how Alation's Allie writes it; an instance
	// may serve only one of the two (see postOAuthToken).
	pathOAuthTokenNoSlash = "/oauth/v2/token"
	pathTables            = "/integration/v2/table/"
	pathV2DataSources     = "/integration/v2/datasource/"
	pathV1DataSources     = "/integration/v1/datasource/"
)

// Defaults for Config's zero values.
const (
	DefaultMaxRetries            = 4
	DefaultMaxConcurrentRequests = 10
	DefaultRetryWaitMin          = 500 * time.Millisecond
	DefaultRetryWaitMax          = 30 * time.Second
	// MaxResponseBytes caps what is read of any one response body.
	MaxResponseBytes = 16 << 20
)

// Config configures a Client. BaseURL and Credentials are required.
type Config struct {
	// BaseURL is the Alation instance, e.g. "https://alation.example.com".
	BaseURL     string
	Credentials Credentials
	// MaxRetries is how often one request is retried on 429, 5xx and
	// network errors. Negative means no retries; zero means the default.
	MaxRetries int
	// MaxConcurrentRequests caps requests in flight across all callers.
	MaxConcurrentRequests int
	RetryWaitMin          time.Duration
	RetryWaitMax          time.Duration
	// UserAgent is sent on every request.
	UserAgent string
	// Logger receives request, retry and body logs; nil logs nothing.
	Logger Logger
	// AllowInsecureHTTP permits credentials over plain http to a host that
	// is not loopback.
	AllowInsecureHTTP bool
	// CACertPEM adds private certificate authorities to the system pool.
	CACertPEM []byte
	// InsecureSkipVerify turns off TLS certificate checks.
	InsecureSkipVerify bool
	// Now is the clock for token expiry; nil means time.Now.
	Now func() time.Time
}

// Client talks to one Alation instance. Safe for concurrent use.
type Client struct {
	base       *url.URL
	creds      Credentials
	mode       AuthMode
	tokens     tokenSource
	http       *http.Client
	maxRetries int
	waitMin    time.Duration
	waitMax    time.Duration
	userAgent  string
	log        Logger
	now        func() time.Time

	secretsMu sync.RWMutex
	secrets   []string

	// firstRefusal is Alation's first refusal of the credentials, after
	// which no authenticated call is sent (see accessToken).
	firstRefusal atomic.Pointer[APIError]
	// refusalReported says whether firstRefusal has reached a caller in
	// full (see RefusedEarlierError.FirstReport).
	refusalReported atomic.Bool
	// unreachable is the credentials check's error when no retry can heal
	// it (see UnreachableError); no call is sent after it.
	unreachable         atomic.Pointer[RequestError]
	unreachableReported atomic.Bool

	// oauthPath is the OAuth token path that answered, once one has.
	oauthPath atomic.Pointer[string]
	// hidden remembers where Alation refused include_hidden=true (see
	// datasources_hidden.go), so that no listing asks for it again.
	hidden hiddenRefusals

	tables tableCache
}

// New checks cfg and builds a Client. It makes no request: tokens are minted
// on first use.
func New(cfg Config) (*Client, error) {
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	mode, err := cfg.Credentials.Mode()
	if err != nil {
		return nil, err
	}
	if base.Scheme == "http" && !cfg.AllowInsecureHTTP && !IsLoopbackHost(base.Hostname()) {
		return nil, fmt.Errorf("refusing to send Alation credentials over plain http to %s: anyone on the network path could read them; use https, or set allow_insecure_http if this network is trusted", base.Host)
	}
	c := &Client{
		base:       base,
		creds:      cfg.Credentials,
		mode:       mode,
		maxRetries: cfg.MaxRetries,
		waitMin:    cfg.RetryWaitMin,
		waitMax:    cfg.RetryWaitMax,
		userAgent:  cfg.UserAgent,
		log:        cfg.Logger,
		now:        cfg.Now,
	}
	if c.maxRetries == 0 {
		c.maxRetries = DefaultMaxRetries
	} else if c.maxRetries < 0 {
		c.maxRetries = 0
	}
	if c.waitMin <= 0 {
		c.waitMin = DefaultRetryWaitMin
	}
	if c.waitMax < c.waitMin {
		c.waitMax = max(DefaultRetryWaitMax, c.waitMin)
	}
	if c.log == nil {
		c.log = nopLogger{}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.userAgent == "" {
		c.userAgent = "terraform-provider-alation"
	}
	for _, s := range cfg.Credentials.secrets() {
		c.addSecret(s)
	}
	limit := cfg.MaxConcurrentRequests
	if limit <= 0 {
		limit = DefaultMaxConcurrentRequests
	}
	tr, err := newTransport(cfg, limit)
	if err != nil {
		return nil, err
	}
	c.http = &http.Client{
		Transport:     &limitTransport{sem: make(chan struct{}, limit), next: &refusalTransport{client: c, next: &logTransport{client: c, next: tr}}},
		CheckRedirect: c.checkRedirect,
	}
	switch mode {
	case AuthAccessToken:
		c.tokens = staticToken(cfg.Credentials.AccessToken)
	case AuthRefreshToken:
		c.tokens = newMintedToken(c.refreshTokenMint, c.refusedSoFar, c.now)
	case AuthClientCredentials:
		c.tokens = newMintedToken(c.clientCredentialsMint, c.refusedSoFar, c.now)
	}
	return c, nil
}

// ParseBaseURL accepts an absolute http(s) URL with a host and no query.
func ParseBaseURL(raw string) (*url.URL, error) {
	if err := missingScheme(raw); err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("base_url %q is not a URL: %v", raw, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("base_url %q must be an absolute http or https URL such as https://alation.example.com", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("base_url %q must not carry a query, fragment or user info", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// missingScheme catches the commonest slip, a host (and port) without a
// scheme, before Go's URL parser answers it with its own words ("first path
// segment in URL cannot contain colon" for "127.0.0.1:18080").
func missingScheme(raw string) error {
	s := strings.TrimSpace(raw)
	if s == "" || strings.Contains(s, "://") {
		return nil
	}
	if scheme, _, ok := strings.Cut(s, ":"); ok && (strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "http")) {
		return nil // "https:host" is mistyped differently: the generic message fits it
	}
	withHTTPS := "https://" + strings.TrimPrefix(s, "//")
	msg := fmt.Sprintf("base_url %q has no scheme: it must be an absolute http or https URL, such as %q", raw, withHTTPS)
	if u, err := url.Parse(withHTTPS); err == nil && IsLoopbackHost(u.Hostname()) {
		msg += fmt.Sprintf(", or %q for a server on this machine without TLS (such as the emulator)", "http://"+strings.TrimPrefix(s, "//"))
	}
	return errors.New(msg)
}

// IsLoopbackHost reports whether host is localhost or a loopback address.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func newTransport(cfg Config, limit int) (*http.Transport, error) {
	tr := cleanhttp.DefaultPooledTransport()
	// Keep an idle connection for every request that may be in flight, so
	// bursts reuse connections instead of opening new ones.
	tr.MaxIdleConnsPerHost = limit
	tr.MaxIdleConns = max(limit, 100)
	// A slot is freed when a body is closed, which can be a moment before
	// the transport pools the connection: cap connections too, so that the
	// next request waits for it instead of dialling a new one.
	tr.MaxConnsPerHost = limit
	if len(cfg.CACertPEM) > 0 || cfg.InsecureSkipVerify {
		tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.InsecureSkipVerify} //nolint:gosec // opt-in, warned about by the provider
		if len(cfg.CACertPEM) > 0 {
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(cfg.CACertPEM) {
				return nil, errors.New("the CA certificate file holds no PEM certificate")
			}
			tlsCfg.RootCAs = pool
		}
		tr.TLSClientConfig = tlsCfg
	}
	return tr, nil
}

// BaseURL returns the normalized base URL.
func (c *Client) BaseURL() string { return c.base.String() }

// AbsoluteURL joins a catalog path such as "/table/17194/" to the base URL.
// Absolute URLs and the empty string come back unchanged.
func (c *Client) AbsoluteURL(p string) string {
	if p == "" || strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		return p
	}
	return c.base.String() + "/" + strings.TrimLeft(p, "/")
}

// request describes one API call.
type request struct {
	method string
	path   string   // relative to the base URL
	target *url.URL // instead of path and query: a resolved X-Next-Page link
	query  url.Values
	json   any
	form   url.Values
	noAuth bool
	// tokenCheck marks a read that needs nothing but a valid token: any
	// 401 or 403 to it refuses the token (APIError.TokenRefused).
	tokenCheck bool
	// noRecord keeps a refusal of the credentials off the record (and the
	// token unrenewed): for a check whose caller decides (confirmRefusal).
	noRecord bool
	// answer, when set, receives the success answer as it came, for a
	// caller that finds it unusable after decoding.
	answer *answer
	// roleGated marks a request that asks for something only some roles
	// may (include_hidden=true): a 403 is first read as that refusal, so
	// it neither renews the token nor counts as refused credentials. The
	// caller asks again without it, and that answer tells.
	roleGated bool
}

// answer is a success answer as it came.
type answer struct {
	status      int
	contentType string
	body        []byte
}

// call sends r with retries and token renewal and decodes a 2xx body into
// out (when out is not nil). It returns the response headers for paging.
func (c *Client) call(ctx context.Context, r request, out any) error {
	_, err := c.callHeader(ctx, r, out)
	return err
}

func (c *Client) callHeader(ctx context.Context, r request, out any) (http.Header, error) {
	var body []byte
	contentType := ""
	switch {
	case r.json != nil:
		b, err := json.Marshal(r.json)
		if err != nil {
			return nil, err
		}
		body, contentType = b, "application/json"
	case r.form != nil:
		body, contentType = []byte(r.form.Encode()), "application/x-www-form-urlencoded"
	}
	target, display := c.resolve(r)

	renewed := false
	for {
		tok := ""
		if !r.noAuth {
			var err error
			if tok, err = c.accessToken(ctx); err != nil {
				// The context ended while another caller was minting: say
				// so as every other deadline is said, with this request.
				var re *RequestError
				if ctx.Err() != nil && errors.Is(err, ctx.Err()) && !errors.As(err, &re) {
					return nil, &RequestError{Method: r.method, Path: display, Err: err}
				}
				return nil, err
			}
		}
		resp, attempts, err := c.send(ctx, r.method, target, display, body, contentType, tok)
		if errors.Is(err, errRefusedWhileWaiting) {
			return nil, c.refusedEarlier(c.firstRefusal.Load())
		}
		if err != nil {
			return nil, c.carrying(r, err)
		}
		data, readErr := readCapped(resp.Body)
		status := resp.StatusCode
		// Alation may answer an expired token with either status. A minted
		// token is renewed once; a 403 that persists is real.
		renew := readErr == nil && (status == http.StatusUnauthorized || status == http.StatusForbidden && !r.roleGated) &&
			!r.noAuth && !r.noRecord && !renewed && c.tokens.renewable()
		var failed error
		if readErr == nil && !renew && (status < 200 || status > 299) {
			failed = c.apiError(r, display, status, resp.Header, data, attempts)
		}
		// Closing the body frees the request's concurrency slot: a refusal
		// is on record by now, so no request waiting for the slot goes out
		// with the refused credentials. (Renewal waits for the mint, which
		// needs a slot: it comes after.)
		resp.Body.Close()
		switch {
		case readErr != nil:
			return nil, &ResponseError{Method: r.method, Path: display, StatusCode: status,
				ContentType: resp.Header.Get("Content-Type"), Excerpt: Excerpt(data, c.redact), Err: readErr}
		case renew:
			c.tokens.renew(tok)
			renewed = true
			c.log.Debug(ctx, "Alation refused the access token; minting a new one and retrying once", map[string]any{"status": status, "path": display})
			continue
		case failed != nil:
			return nil, c.confirmRefusal(ctx, r, failed)
		}
		if r.answer != nil {
			*r.answer = answer{status: status, contentType: resp.Header.Get("Content-Type"), body: data}
		}
		if out != nil {
			if err := decodeJSON(data, out); err != nil {
				return nil, &ResponseError{Method: r.method, Path: display, StatusCode: status,
					ContentType: resp.Header.Get("Content-Type"), Excerpt: Excerpt(data, c.redact), Err: err}
			}
		}
		return resp.Header, nil
	}
}

// apiError is the error for an answer that is not a success. For an
// authenticated request whose credentials Alation refused, the refusal is
// recorded (see refused).
func (c *Client) apiError(r request, display string, status int, header http.Header, data []byte, attempts int) error {
	e := newAPIError(r.method, display, status, header, data, c.redact)
	e.Attempts = attempts
	if r.noAuth {
		return e
	}
	e.AuthMode = c.mode
	if r.tokenCheck && (status == http.StatusUnauthorized || status == http.StatusForbidden) {
		e.TokenRefused = true
	}
	if !r.noRecord && e.RefusesCredentials() && (!r.roleGated || status != http.StatusForbidden) {
		return c.refused(e, e)
	}
	return e
}

// resolve turns r's path into a URL on the base host; display is the path
// and query used in messages.
func (c *Client) resolve(r request) (*url.URL, string) {
	u := r.target
	if u == nil {
		u = &url.URL{Scheme: c.base.Scheme, Host: c.base.Host, Path: c.base.Path + r.path}
		if len(r.query) > 0 {
			u.RawQuery = r.query.Encode()
		}
	}
	display := u.Path
	if u.RawQuery != "" {
		display += "?" + u.RawQuery
	}
	return u, display
}

// send makes one logical request, retried per the policy in retry.go.
func (c *Client) send(ctx context.Context, method string, target *url.URL, display string, body []byte, contentType, tok string) (*http.Response, int, error) {
	var rawBody any
	if body != nil {
		rawBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, target.String(), rawBody)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if tok != "" {
		setTokenHeaders(req.Header, c.mode, tok)
	}
	p := &retryPolicy{client: c, ctx: ctx, method: method, path: display}
	resp, err := p.retryableClient().Do(req)
	if err != nil {
		return nil, p.attempts, p.wrap(err)
	}
	return resp, p.attempts, nil
}

// readCapped reads at most MaxResponseBytes; a longer body is an error, so
// a runaway proxy page cannot exhaust memory.
func readCapped(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxResponseBytes+1))
	if err != nil {
		return data, fmt.Errorf("reading the response body: %w", err)
	}
	if len(data) > MaxResponseBytes {
		return data[:512], fmt.Errorf("the response body is larger than %d MiB", MaxResponseBytes>>20)
	}
	return data, nil
}

func decodeJSON(data []byte, out any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("the body is empty, expected JSON")
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("the body is not the JSON expected: %v", err)
	}
	return nil
}

// addSecret registers a value that must never appear in logs or errors.
func (c *Client) addSecret(s string) {
	if len(s) < 4 {
		return
	}
	// Also mask the forms a secret takes in a form or JSON body.
	forms := []string{s, url.QueryEscape(s)}
	if b, err := json.Marshal(s); err == nil {
		forms = append(forms, string(b[1:len(b)-1]))
	}
	c.secretsMu.Lock()
	for _, f := range forms {
		if !slices.Contains(c.secrets, f) {
			c.secrets = append(c.secrets, f)
		}
	}
	c.secretsMu.Unlock()
}

// redact masks every known secret in s.
func (c *Client) redact(s string) string {
	c.secretsMu.RLock()
	defer c.secretsMu.RUnlock()
	// Masking can complete another occurrence of a secret (the mask's
	// asterisks next to a secret's own), so repeat until none is left. It
	// ends: every secret is longer than the mask, so each pass shortens s.
	for masked := true; masked; {
		masked = false
		for _, secret := range c.secrets {
			if secret != "" && strings.Contains(s, secret) {
				s = strings.ReplaceAll(s, secret, "***")
				masked = true
			}
		}
	}
	return s
}
