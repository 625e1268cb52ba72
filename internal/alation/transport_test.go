package alation

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

func TestNew_PlainHTTPOnlyToLoopback(t *testing.T) {
	creds := Credentials{AccessToken: "tok-abcdef"}
	cases := []struct {
		url      string
		insecure bool
		ok       bool
	}{
		{"https://alation.example.com", false, true},
		{"http://alation.example.com", false, false},
		{"http://alation.example.com", true, true},
		{"http://10.0.0.5:8080", false, false},
		{"http://localhost.evil.example", false, false},
		{"http://127.0.0.1.nip.io", false, false},
		{"http://127.0.0.1", false, true},
		{"http://127.0.0.1:8080", false, true},
		{"http://127.9.9.9:8080", false, true},
		{"http://localhost:8080", false, true},
		{"http://LocalHost", false, true},
		{"http://[::1]:8080", false, true},
		{"http://[::ffff:127.0.0.1]:8080", false, true},
	}
	for _, c := range cases {
		_, err := New(Config{BaseURL: c.url, Credentials: creds, AllowInsecureHTTP: c.insecure})
		if c.ok && err != nil {
			t.Errorf("%s (insecure %v): %v", c.url, c.insecure, err)
		}
		if !c.ok && (err == nil || !strings.Contains(err.Error(), "plain http") || !strings.Contains(err.Error(), "allow_insecure_http")) {
			t.Errorf("%s: want a refusal naming allow_insecure_http, got %v", c.url, err)
		}
	}
}

// tlsFake serves a fake over TLS and counts the connections made to it.
func tlsFake(t *testing.T) (*world, *httptest.Server, *atomic.Int32) {
	t.Helper()
	f := alationfake.New()
	srv := httptest.NewUnstartedServer(f)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // failed handshakes are the point
	conns := &atomic.Int32{}
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return setUpWorld(f, srv.URL), srv, conns
}

// selfSignedCert makes a CA certificate that signed nothing the tests serve.
func selfSignedCert(t *testing.T) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Some Other CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func TestTLS_PrivateCA(t *testing.T) {
	w, srv, _ := tlsFake(t)
	c := newClient(t, w.url, w.static(), func(cfg *Config) { cfg.CACertPEM = certPEM(srv.Certificate()) })
	if _, err := c.SyncTable(t.Context(), orders); err != nil {
		t.Fatal(err)
	}
}

func TestTLS_UntrustedCertificateIsNotRetried(t *testing.T) {
	for name, pemBytes := range map[string][]byte{"system roots only": nil, "another CA": certPEM(selfSignedCert(t))} {
		t.Run(name, func(t *testing.T) {
			w, _, conns := tlsFake(t)
			c := newClient(t, w.url, w.static(), withRetries(5), func(cfg *Config) { cfg.CACertPEM = pemBytes })
			_, err := c.SyncTable(t.Context(), orders)
			re := asRequestError(t, err)
			var cve *tls.CertificateVerificationError
			if re.Attempts != 1 || re.TimedOut() || !errors.As(err, &cve) {
				t.Fatalf("RequestError %+v: %v", re, err)
			}
			if n := conns.Load(); n != 1 {
				t.Fatalf("%d connections: a certificate error must not be retried", n)
			}
			if n := len(w.fake.Requests()); n != 0 {
				t.Fatalf("%d requests got through", n)
			}
		})
	}
}

func TestTLS_InsecureSkipVerify(t *testing.T) {
	w, _, _ := tlsFake(t)
	c := newClient(t, w.url, w.static(), func(cfg *Config) { cfg.InsecureSkipVerify = true })
	if _, err := c.SyncTable(t.Context(), orders); err != nil {
		t.Fatal(err)
	}
}

func TestLogging_RequestsAndBodies(t *testing.T) {
	w := newWorld(t)
	logs := &capLogger{}
	c := newClient(t, w.url, w.static(), withLogger(logs))
	ctx := t.Context()
	if _, err := c.SyncTable(ctx, orders); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListTables(ctx, TableFilter{DSID: testDS}); err != nil {
		t.Fatal(err)
	}
	w.fake.QueueFaults(pathSyncTable, alationfake.Fault{CloseConnection: true})
	c2 := newClient(t, w.url, w.static(), withLogger(logs), withRetries(-1))
	if _, err := c2.SyncTable(ctx, orders); err == nil {
		t.Fatal("a dropped connection succeeded")
	}

	debug := logs.find("DEBUG", "Alation request")
	if len(debug) != 2 {
		t.Fatalf("%d DEBUG request lines, want 2", len(debug))
	}
	wantDebug := []struct {
		method, path string
		status       int
	}{{"POST", pathSyncTable, 201}, {"GET", pathTables + "?ds_id=8", 200}}
	for i, e := range debug {
		d, ok := e.Fields["duration_ms"].(int64)
		if e.Fields["method"] != wantDebug[i].method || e.Fields["path"] != wantDebug[i].path || e.Fields["status"] != wantDebug[i].status || !ok || d < 0 {
			t.Fatalf("DEBUG %d: %v", i, e.Fields)
		}
	}
	failed := logs.find("DEBUG", "Alation request failed")
	if len(failed) != 1 || failed[0].Fields["path"] != pathSyncTable || failed[0].Fields["error"] == "" || failed[0].Fields["status"] != nil {
		t.Fatalf("failed request logs %v", failed)
	}

	reqBodies := logs.find("TRACE", "Alation request body")
	if len(reqBodies) != 2 { // both syncs; the GET has no body
		t.Fatalf("%d request body lines", len(reqBodies))
	}
	rb := reqBodies[0].Fields
	headers, _ := rb["headers"].(map[string]string)
	if !strings.Contains(fmt.Sprint(rb["body"]), `"table":"ORDERS"`) || headers["Token"] != "***" || headers["Content-Type"] != "application/json" {
		t.Fatalf("request body line %v", rb)
	}
	respBodies := logs.find("TRACE", "Alation response body")
	if len(respBodies) != 2 {
		t.Fatalf("%d response body lines", len(respBodies))
	}
	if f := respBodies[0].Fields; f["status"] != 201 || f["content_type"] != "application/json" || !strings.Contains(fmt.Sprint(f["body"]), `"name":"ORDERS"`) {
		t.Fatalf("response body line %v", f)
	}
	if f := respBodies[1].Fields; f["status"] != 200 || !strings.HasPrefix(fmt.Sprint(f["body"]), "[") {
		t.Fatalf("response body line %v", f)
	}
}

// A long response body is logged up to the cap and still read whole.
func TestLogging_LongBodyStillDecoded(t *testing.T) {
	w := newWorld(t)
	logs := &capLogger{}
	c := newClient(t, w.url, w.static(), withLogger(logs))
	id := w.fake.AddCatalogTable(testDS, testSchema, "WIDE", "TABLE")
	w.fake.SetTableTitle(id, "Wide", strings.Repeat("d", 3*maxLoggedBody))
	got, err := c.GetTable(t.Context(), id)
	if err != nil || len(got.Description) != 3*maxLoggedBody {
		t.Fatalf("got %d bytes of description, %v", len(got.Description), err)
	}
	bodies := logs.find("TRACE", "Alation response body")
	if len(bodies) != 1 || len(fmt.Sprint(bodies[0].Fields["body"])) != maxLoggedBody {
		t.Fatalf("logged %v", bodies)
	}
}

// secretForms are the forms in which a secret must never be shown.
func secretForms(secrets ...string) []string {
	var out []string
	for _, s := range secrets {
		if s != "" {
			out = append(out, s, url.QueryEscape(s))
		}
	}
	return out
}

// assertNoSecrets fails if any log line or error shows a secret.
func assertNoSecrets(t *testing.T, logs *capLogger, errs []error, secrets []string) {
	t.Helper()
	if len(secrets) == 0 {
		t.Fatal("no secrets to look for")
	}
	var texts []string
	for _, e := range logs.all() {
		texts = append(texts, e.Msg)
		for k, v := range e.Fields {
			texts = append(texts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	for _, err := range errs {
		if err != nil {
			texts = append(texts, err.Error())
		}
	}
	for _, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("secret %q shown in %q", s, text)
			}
		}
	}
}

// Across whole runs in each auth mode (minting, renewal, errors, listing),
// no log line and no error shows a credential or a minted token.
func TestLogging_NoSecrets(t *testing.T) {
	modes := []struct {
		name  string
		creds func(w *world) (Credentials, []string)
	}{
		{"static token", func(w *world) (Credentials, []string) {
			return w.static(), []string{w.token}
		}},
		{"refresh token", func(w *world) (Credentials, []string) {
			rt := w.fake.IssueRefreshToken(adminID, time.Hour)
			return Credentials{RefreshToken: rt, UserID: adminID}, []string{rt}
		}},
		{"oauth", func(w *world) (Credentials, []string) {
			const secret = "a+b/c=d"
			w.fake.AddOAuthClient("svc-account", secret, adminID)
			return Credentials{ClientID: "svc-account", ClientSecret: secret}, []string{secret}
		}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			w := newWorld(t)
			creds, secrets := m.creds(w)
			logs := &capLogger{}
			c := newClient(t, w.url, creds, withLogger(logs), withRetries(1))
			ctx := t.Context()
			var errs []error
			_, err := c.SyncTable(ctx, orders)
			errs = append(errs, err)
			_, err = c.SyncTable(ctx, SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "MISSING"})
			errs = append(errs, err)
			if m.name != "static token" {
				w.fake.ExpireAccessTokens() // renewal mints a second token
			}
			_, err = c.ListTables(ctx, TableFilter{DSID: testDS})
			errs = append(errs, err)
			w.fake.QueueFaults(pathSyncTable, alationfake.Fault{Status: 503}, alationfake.Fault{CloseConnection: true})
			_, err = c.SyncTable(ctx, orders)
			errs = append(errs, err)
			if errs[0] != nil || errs[1] == nil || errs[2] != nil || errs[3] == nil {
				t.Fatalf("errors %v", errs)
			}
			for _, r := range w.fake.Requests() {
				if r.Token != "" && !strings.Contains(strings.Join(secrets, "\n"), r.Token) {
					secrets = append(secrets, r.Token) // a minted token
				}
			}
			if m.name != "static token" && len(secrets) != 3 {
				t.Fatalf("secrets %q: want the credential and two minted tokens", secrets)
			}
			if len(logs.find("TRACE", "Alation response body")) == 0 || len(logs.find("WARN", retryMsg)) == 0 {
				t.Fatal("the run logged no bodies or no retries: the test proves nothing")
			}
			assertNoSecrets(t, logs, errs, secretForms(secrets...))
		})
	}
}

// echoServer repeats whatever it receives (the token header and the body) in
// its answers, as a careless proxy or a verbose error page might: in JSON
// error details, OAuth error descriptions, HTML pages, unreadable 201s and
// the minting answers themselves.
func echoServer(t *testing.T, failMint bool) *httptest.Server {
	t.Helper()
	var mu sync.Mutex
	syncs := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		echo := "token=" + r.Header.Get("Token") + " body=" + string(body)
		quoted, _ := json.Marshal(echo)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case pathCreateToken:
			if failMint {
				w.WriteHeader(401)
				fmt.Fprintf(w, `{"detail": %s, "code": "401000"}`, quoted)
				return
			}
			w.WriteHeader(201)
			fmt.Fprintf(w, `{"api_access_token": "minted-echo-token-1", "token_status": "ACTIVE", "echo": %s}`, quoted)
		case pathOAuthToken:
			if failMint {
				w.WriteHeader(401)
				fmt.Fprintf(w, `{"error": "invalid_client", "error_description": %s}`, quoted)
				return
			}
			fmt.Fprintf(w, `{"access_token": "minted-echo-token-2", "expires_in": 3600, "echo": %s}`, quoted)
		default:
			mu.Lock()
			syncs++
			n := syncs
			mu.Unlock()
			switch n % 3 {
			case 1:
				w.WriteHeader(400)
				fmt.Fprintf(w, `{"detail": %s}`, quoted)
			case 2:
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(502)
				fmt.Fprintf(w, "<html><body><pre>%s</pre></body></html>", echo)
			default:
				w.WriteHeader(201)
				fmt.Fprintf(w, `{"id": 1, "echo": %s`, quoted)
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestErrors_NoSecretsEchoed(t *testing.T) {
	modes := []struct {
		name    string
		creds   Credentials
		secrets []string
	}{
		{"static token", Credentials{AccessToken: "static-token-0123"}, []string{"static-token-0123"}},
		{"refresh token", Credentials{RefreshToken: "refresh-token-4567", UserID: 1}, []string{"refresh-token-4567", "minted-echo-token-1"}},
		{"oauth", Credentials{ClientID: "svc", ClientSecret: "a+b/c=d"}, []string{"a+b/c=d", "minted-echo-token-2"}},
	}
	for _, m := range modes {
		for _, failMint := range []bool{false, true} {
			if failMint && m.creds.AccessToken != "" {
				continue
			}
			t.Run(fmt.Sprintf("%s, mint fails %v", m.name, failMint), func(t *testing.T) {
				srv := echoServer(t, failMint)
				logs := &capLogger{}
				c := newClient(t, srv.URL, m.creds, withLogger(logs), withRetries(-1))
				var errs []error
				for range 3 {
					_, err := c.SyncTable(t.Context(), orders)
					if err == nil {
						t.Fatal("the echo server never lets a sync succeed")
					}
					errs = append(errs, err)
				}
				assertNoSecrets(t, logs, errs, secretForms(m.secrets...))
			})
		}
	}
}

// The cap holds across every caller of one client.
func TestConcurrencyCap(t *testing.T) {
	w := newWorld(t)
	w.fake.SetLatency(20 * time.Millisecond)
	c := newClient(t, w.url, w.static(), withCap(3))
	syncConcurrently(t, c, 30)
	if n := w.fake.MaxInFlight(); n > 3 || n < 2 {
		t.Fatalf("MaxInFlight = %d, want at most 3 (and more than 1, or the test proves nothing)", n)
	}
	if n := w.fake.SyncCount(testDS, testSchema, "ORDERS"); n != 30 {
		t.Fatalf("SyncCount %d", n)
	}
}

// Connections are kept and reused, in bursts too.
func TestConnectionsReused(t *testing.T) {
	const limit = 3
	w := newWorld(t)
	c := newClient(t, w.url, w.static(), withCap(limit))
	ctx := t.Context()
	for range 100 {
		if _, err := c.SyncTable(ctx, orders); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for range 10 {
				if _, err := c.ListTables(ctx, TableFilter{DSID: testDS}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := len(w.fake.Requests()); n != 200 {
		t.Fatalf("%d requests, want 200", n)
	}
	if n := w.fake.Connections(); n > limit+2 {
		t.Fatalf("%d connections for 200 requests with a cap of %d", n, limit)
	}
}

// Every way a request can fail gives its slot back: with a cap of one, a
// leak would leave the last call waiting until its deadline.
func TestConcurrencyCap_NoSlotLeaks(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static(), withCap(1), withRetries(1))
	ctx := t.Context()
	w.fake.QueueFaults(pathSyncTable,
		alationfake.Fault{Status: 503}, alationfake.Fault{Status: 503}, // retries run out
		alationfake.Fault{CloseConnection: true}, alationfake.Fault{CloseConnection: true}, // network errors run out
		alationfake.Fault{Status: 404},                            // not retried
		alationfake.Fault{Status: 201, Body: `{"id": 1, "name":`}, // unreadable
		alationfake.Fault{Delay: time.Minute},                     // deadline in flight
	)
	for i := range 4 {
		if _, err := c.SyncTable(ctx, orders); err == nil {
			t.Fatalf("call %d succeeded", i)
		}
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	_, err := c.SyncTable(short, orders)
	cancel()
	if err == nil {
		t.Fatal("the delayed call succeeded")
	}
	last, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := c.SyncTable(last, orders); err != nil {
		t.Fatalf("after failures: %v", err)
	}
}
