package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// fakeWith starts a demo emulator with the auth flags args applied and
// returns its base URL.
func fakeWith(t *testing.T, args ...string) string {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	auth := addAuthFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	f := alationfake.New()
	if err := auth.apply(f); err != nil {
		t.Fatal(err)
	}
	f.SeedDemo()
	u := f.Start()
	t.Cleanup(f.Close)
	return u
}

func statusOf(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type")
}

// Each auth flag sets its variant on the emulator.
func TestAuthFlags(t *testing.T) {
	read := func(u, header, value string) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, u+"/integration/v2/schema/", nil)
		req.Header.Set(header, value)
		return req
	}
	mintOAuth := func(u, path string) *http.Request {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {alationfake.DemoOAuthClientID}, "client_secret": {alationfake.DemoOAuthClientSecret}}
		req, _ := http.NewRequest(http.MethodPost, u+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	}
	mintRefresh := func(u string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, u+"/integration/v1/createAPIAccessToken/", strings.NewReader(`{"refresh_token": "nope", "user_id": 1}`))
		req.Header.Set("Content-Type", "application/json")
		return req
	}

	u := fakeWith(t)
	if s, _ := statusOf(t, read(u, "TOKEN", "made-up")); s != 403 {
		t.Errorf("default refusal status %d, want 403", s)
	}
	u = fakeWith(t, "-expired-token-status", "401", "-html-token-failures")
	if s, ct := statusOf(t, read(u, "TOKEN", "made-up")); s != 401 || !strings.HasPrefix(ct, "text/html") {
		t.Errorf("-expired-token-status 401 -html-token-failures: %d %s", s, ct)
	}
	u = fakeWith(t, "-oauth-token-path", "noslash", "-oauth-token-header", "TOKEN")
	if s, _ := statusOf(t, mintOAuth(u, "/oauth/v2/token/")); s != 404 {
		t.Errorf("-oauth-token-path noslash: the slash path answered %d", s)
	}
	if s, _ := statusOf(t, mintOAuth(u, "/oauth/v2/token")); s != 200 {
		t.Errorf("-oauth-token-path noslash: %d", s)
	}
	u = fakeWith(t, "-oauth-token-header", "bearer")
	resp, err := http.DefaultClient.Do(mintOAuth(u, "/oauth/v2/token/"))
	if err != nil {
		t.Fatal(err)
	}
	var minted struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&minted)
	resp.Body.Close()
	if err != nil || minted.AccessToken == "" {
		t.Fatalf("mint: %v", err)
	}
	if s, _ := statusOf(t, read(u, "TOKEN", minted.AccessToken)); s != 403 {
		t.Errorf("-oauth-token-header bearer: a JWT in TOKEN got %d", s)
	}
	if s, _ := statusOf(t, read(u, "Authorization", "Bearer "+minted.AccessToken)); s != 200 {
		t.Errorf("-oauth-token-header bearer: a bearer JWT got %d", s)
	}
	u = fakeWith(t, "-refresh-token-refusal", "400")
	if s, _ := statusOf(t, mintRefresh(u)); s != 400 {
		t.Errorf("-refresh-token-refusal 400: %d", s)
	}
	u = fakeWith(t, "-refresh-token-refusal", "status-failed")
	if s, _ := statusOf(t, mintRefresh(u)); s != 200 {
		t.Errorf("-refresh-token-refusal status-failed: %d", s)
	}
	for _, args := range [][]string{
		{"-oauth-token-header", "Authorization"}, {"-oauth-token-path", "trailing"}, {"-refresh-token-refusal", "403"}, {"-expired-token-status", "500"},
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: %v", args, err)
		}
	}
}
