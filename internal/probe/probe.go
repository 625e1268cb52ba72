// Package probe asks a real Alation the questions that its public
// documentation leaves open (which OAuth header it takes, how it refuses a
// bad token, how it pages, whether a listing stops at 1,000 rows...) and
// prints the answers as a table a user can paste into an issue.
//
// It only reads, unless it is given one table that it may sync. Every
// secret is masked in what it prints.
package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// Config is what the probe needs: the client's configuration and,
// optionally, one table it may sync.
type Config struct {
	Client alation.Config
	// Table, when set, is synced once to time the sync and show its answer.
	Table *alation.SyncTableInput
	// Timeout bounds each request.
	Timeout time.Duration
}

// Row is one line of the report.
type Row struct{ Check, Result string }

// prober holds what every check shares.
type prober struct {
	client *alation.Client
	base   *url.URL
	http   *http.Client
	token  string
	cfg    Config
}

// Run makes every check, in order, and returns the report's rows. Only a
// configuration that cannot be used at all is an error.
func Run(ctx context.Context, cfg Config) ([]Row, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	cfg.Client.MaxRetries = -1 // the probe reports first answers, not retried ones
	client, err := alation.New(cfg.Client)
	if err != nil {
		return nil, err
	}
	base, err := alation.ParseBaseURL(cfg.Client.BaseURL)
	if err != nil {
		return nil, err
	}
	p := &prober{client: client, base: base, cfg: cfg, http: &http.Client{
		Timeout: cfg.Timeout,
		// Never follow a redirect: the probe reports it, and a credential
		// never leaves for another host.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     transport(cfg.Client),
	}}
	rows := []Row{{"base_url", client.BaseURL()}, p.version(ctx)}
	rows = append(rows, p.credentials(ctx)...)
	if p.token != "" {
		rows = append(rows, p.oauthHeader(ctx), p.invalidToken(ctx), p.errorShape(ctx), p.unknownParameter(ctx),
			p.pagingLink(ctx), p.listingCap(ctx))
		rows = append(rows, p.role(ctx)...)
		if cfg.Table != nil {
			rows = append(rows, p.sync(ctx))
		} else {
			rows = append(rows, Row{"sync", "not tried: set ALATION_PROBE_TABLE=DATASOURCE_ID/SCHEMA/TABLE to sync one table you allow"})
		}
	}
	for i := range rows {
		rows[i].Result = client.Redact(rows[i].Result)
	}
	return rows, nil
}

func transport(cfg alation.Config) http.RoundTripper {
	// Proxies come from the environment, as for the provider.
	tr := &http.Transport{Proxy: http.ProxyFromEnvironment, TLSHandshakeTimeout: 10 * time.Second}
	if cfg.InsecureSkipVerify || len(cfg.CACertPEM) > 0 {
		tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.InsecureSkipVerify} //nolint:gosec // the user's own opt-in, as for the provider
		if pool, err := x509.SystemCertPool(); err == nil && len(cfg.CACertPEM) > 0 && pool.AppendCertsFromPEM(cfg.CACertPEM) {
			tlsCfg.RootCAs = pool
		}
		tr.TLSClientConfig = tlsCfg
	}
	return tr
}

// answer is one raw exchange.
type answer struct {
	status      int
	contentType string
	header      http.Header
	body        []byte
	took        time.Duration
	err         error
}

// get sends one request with the headers given (none: unauthenticated).
func (p *prober) do(ctx context.Context, method, path string, query url.Values, headers map[string]string, body []byte) answer {
	u := *p.base
	u.Path = p.base.Path + path
	u.RawQuery = query.Encode()
	var rd io.Reader
	if body != nil {
		rd = strings.NewReader(string(body))
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return answer{err: err}
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	start := time.Now()
	resp, err := p.http.Do(req)
	if err != nil {
		return answer{err: err, took: time.Since(start)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return answer{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), header: resp.Header, body: data, took: time.Since(start), err: err}
}

// get is an authenticated GET.
func (p *prober) get(ctx context.Context, path string, query url.Values) answer {
	return p.do(ctx, "GET", path, query, p.authHeaders(), nil)
}

// authHeaders are the headers the provider sends with its token.
func (p *prober) authHeaders() map[string]string {
	h := map[string]string{"TOKEN": p.token}
	if p.client.AuthMode() == alation.AuthClientCredentials {
		h["Authorization"] = "Bearer " + p.token
	}
	return h
}

// describe renders an answer in one line: status, content type, a masked
// excerpt of the body.
func (a answer) describe() string {
	if a.err != nil {
		return "no answer: " + a.err.Error()
	}
	excerpt := strings.ReplaceAll(alation.Excerpt(a.body, func(s string) string { return s }), "`", "'")
	if len(excerpt) > 160 {
		excerpt = excerpt[:160] + "…"
	}
	if excerpt == "" {
		return fmt.Sprintf("HTTP %d, %s, empty body", a.status, orNone(a.contentType))
	}
	return fmt.Sprintf("HTTP %d, %s, `%s`", a.status, orNone(a.contentType), excerpt)
}

func orNone(s string) string {
	if s == "" {
		return "no content type"
	}
	return s
}

// version asks the endpoint Alation's own agent SDK reads for the release.
func (p *prober) version(ctx context.Context) Row {
	a := p.do(ctx, "GET", "/full_version", nil, nil, nil)
	var v map[string]any
	if a.err == nil && a.status == http.StatusOK && json.Unmarshal(a.body, &v) == nil {
		if name, ok := v["ALATION_RELEASE_NAME"].(string); ok && name != "" {
			return Row{"Alation version", name + " (GET /full_version)"}
		}
	}
	return Row{"Alation version", "not told: GET /full_version answered " + a.describe()}
}

// credentials checks the credentials as the provider does, and keeps the
// token for the checks that follow.
func (p *prober) credentials(ctx context.Context) []Row {
	mode := string(p.client.AuthMode())
	if err := p.client.CheckCredentials(ctx); err != nil {
		return []Row{{"credentials", mode + ": not accepted: " + err.Error()}}
	}
	tok, err := p.client.AccessToken(ctx)
	if err != nil {
		return []Row{{"credentials", mode + ": " + err.Error()}}
	}
	p.token = tok
	rows := []Row{{"credentials", mode + ": accepted"}}
	if shape := tokenShape(tok); shape != "" {
		rows = append(rows, Row{"access token shape", shape})
	}
	return rows
}

// tokenShape describes a token without showing it.
func tokenShape(tok string) string {
	if parts := strings.Split(tok, "."); len(parts) == 3 {
		return fmt.Sprintf("a JWT (%d characters)", len(tok))
	}
	return fmt.Sprintf("%d characters", len(tok))
}

// oauthHeader tries each header alone, for an OAuth access token, and
// names the token path that minted it.
func (p *prober) oauthHeader(ctx context.Context) Row {
	if p.client.AuthMode() != alation.AuthClientCredentials {
		return Row{"OAuth token header", "not applicable (" + string(p.client.AuthMode()) + ")"}
	}
	q := url.Values{"limit": {"1"}}
	token := p.do(ctx, "GET", pathSchemas, q, map[string]string{"TOKEN": p.token}, nil)
	bearer := p.do(ctx, "GET", pathSchemas, q, map[string]string{"Authorization": "Bearer " + p.token}, nil)
	ok := func(a answer) bool { return a.err == nil && a.status == http.StatusOK }
	var verdict string
	switch {
	case ok(token) && ok(bearer):
		verdict = "either accepted"
	case ok(bearer):
		verdict = "only Authorization: Bearer accepted"
	case ok(token):
		verdict = "only TOKEN accepted"
	default:
		verdict = "neither accepted alone"
	}
	return Row{"OAuth token header", fmt.Sprintf("%s (TOKEN alone: %s; Authorization: Bearer alone: %s); token minted at POST %s",
		verdict, statusOf(token), statusOf(bearer), p.client.OAuthTokenPath())}
}

// statusOf is an answer's status, or why there was none.
func statusOf(a answer) string {
	if a.err != nil {
		return "no answer"
	}
	return fmt.Sprintf("HTTP %d", a.status)
}

const (
	pathSchemas = "/integration/v2/schema/"
	pathTables  = "/integration/v2/table/"
)

// invalidToken shows how Alation refuses a token it never issued.
func (p *prober) invalidToken(ctx context.Context) Row {
	a := p.do(ctx, "GET", pathSchemas, url.Values{"limit": {"1"}}, map[string]string{"TOKEN": "probe-not-a-token-0000000000000000000000000"}, nil)
	row := Row{"invalid token gets", a.describe()}
	if a.err == nil {
		// Django REST framework answers every failed authentication with
		// one status, so an expired token most likely gets this one too.
		row.Result += "; " + bodyShape(a)
	}
	return row
}

// errorShape reads a 404's body for its keys.
func (p *prober) errorShape(ctx context.Context) Row {
	a := p.get(ctx, "/integration/v2/datasource/0/", nil)
	return Row{"error body (GET /integration/v2/datasource/0/)", a.describe() + "; " + bodyShape(a)}
}

// bodyShape names the top-level keys of a JSON object body, or says what
// else the body is.
func bodyShape(a answer) string {
	if a.err != nil {
		return ""
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(a.body, &obj); err != nil {
		if strings.Contains(strings.ToLower(a.contentType), "html") {
			return "an HTML page"
		}
		return "not a JSON object"
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return "keys " + strings.Join(keys, ", ")
}

// unknownParameter shows whether Alation rejects a query parameter it does
// not know (the provider must then send only documented ones).
func (p *prober) unknownParameter(ctx context.Context) Row {
	a := p.get(ctx, pathTables, url.Values{"limit": {"1"}, "probe_unknown": {"1"}})
	if a.status == http.StatusOK {
		return Row{"unknown query parameter", "ignored (HTTP 200)"}
	}
	return Row{"unknown query parameter", a.describe()}
}

// pagingLink reads the form of X-Next-Page on a one-row page.
func (p *prober) pagingLink(ctx context.Context) Row {
	a := p.get(ctx, pathTables, url.Values{"limit": {"1"}})
	if a.err != nil || a.status != http.StatusOK {
		return Row{"paging link", a.describe()}
	}
	link := a.header.Get("X-Next-Page")
	switch {
	case link == "":
		return Row{"paging link", "no X-Next-Page on a one-row page (one table or none)"}
	case strings.HasPrefix(link, "http://") || strings.HasPrefix(link, "https://"):
		return Row{"paging link", "an absolute URL: " + link}
	case strings.HasPrefix(link, "/"):
		return Row{"paging link", "a path: " + link}
	}
	return Row{"paging link", "a relative reference: " + link}
}

// listingCap reads a 1,000-row page and its next one, to tell a cap of one
// call from a cap of a whole listing.
func (p *prober) listingCap(ctx context.Context) Row {
	a := p.get(ctx, pathTables, url.Values{"limit": {"1000"}})
	var rows []json.RawMessage
	if a.err != nil || a.status != http.StatusOK || json.Unmarshal(a.body, &rows) != nil {
		return Row{"listing past 1,000 rows", a.describe()}
	}
	link := a.header.Get("X-Next-Page")
	switch {
	case len(rows) < 1000 && link == "":
		return Row{"listing past 1,000 rows", fmt.Sprintf("cannot tell: the catalog lists %d tables, fewer than 1,000", len(rows))}
	case link == "":
		return Row{"listing past 1,000 rows", p.pastTheCap(ctx)}
	}
	next := p.client.AbsoluteURL(link)
	if !strings.HasPrefix(next, p.base.String()) {
		return Row{"listing past 1,000 rows", "not followed: the next page is on another host: " + link}
	}
	u, err := url.Parse(next)
	if err != nil {
		return Row{"listing past 1,000 rows", "bad next link: " + link}
	}
	more := p.do(ctx, "GET", strings.TrimPrefix(u.Path, p.base.Path), u.Query(), p.authHeaders(), nil)
	var page []json.RawMessage
	if more.err != nil || more.status != http.StatusOK || json.Unmarshal(more.body, &page) != nil {
		return Row{"listing past 1,000 rows", "the next page failed: " + more.describe()}
	}
	return Row{"listing past 1,000 rows", fmt.Sprintf("yes: the page after 1,000 rows has %d", len(page))}
}

// sync syncs the one table the user allowed, and times it.
func (p *prober) sync(ctx context.Context) Row {
	body, err := json.Marshal(p.cfg.Table)
	if err != nil {
		return Row{"sync", err.Error()}
	}
	a := p.do(ctx, "POST", "/api/v1/table/sync/", nil, p.authHeaders(), body)
	return Row{"sync of " + p.cfg.Table.String(), fmt.Sprintf("%s in %s; %s", a.describe(), a.took.Round(time.Millisecond), bodyShape(a))}
}

// Markdown renders rows as a table.
func Markdown(rows []Row) string {
	var b strings.Builder
	b.WriteString("| check | answer |\n|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s |\n", r.Check, strings.ReplaceAll(r.Result, "|", "\\|"))
	}
	return b.String()
}
