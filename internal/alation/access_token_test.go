package alation

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// A static token is handed through without a request, its expiry unknown.
func TestIssueAccessToken_static(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, w.static())
	got, err := c.IssueAccessToken(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got.Token != w.token || got.Minted || !got.ExpiresAt.IsZero() {
		t.Fatalf("issued %+v, want the configured token, not minted, no expiry", got)
	}
	if n := len(w.fake.Requests()); n != 0 {
		t.Fatalf("%d requests, want none", n)
	}
}

// The minting modes mint a fresh token with every call, one that Alation
// accepts, that is not the client's own, that expires when Alation says,
// and that the client's logs redact.
func TestIssueAccessToken_mints(t *testing.T) {
	for _, m := range mintingModes {
		t.Run(m.name, func(t *testing.T) {
			w := newWorld(t)
			w.fake.SetMintedTokenTTL(10 * time.Minute)
			c := newClient(t, w.url, m.creds(w))
			if _, err := c.SyncTable(t.Context(), orders); err != nil {
				t.Fatal(err)
			}
			own := w.fake.Requests()[1].Token
			before := time.Now()
			first, err := c.IssueAccessToken(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			second, err := c.IssueAccessToken(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if n := w.fake.MintCount(); n != 3 {
				t.Fatalf("%d mints, want the client's own and one per issued token", n)
			}
			for _, got := range []IssuedToken{first, second} {
				if !got.Minted || got.Token == "" || got.Token == own || !w.fake.KnowsAccessToken(got.Token) {
					t.Fatalf("issued %+v (client's own %q): want a fresh token Alation knows", got, own)
				}
				// The emulator's clock and this one are the same machine's;
				// the bounds are the TTL either side of the calls.
				if got.ExpiresAt.Before(before.Add(10*time.Minute-time.Second)) || got.ExpiresAt.After(time.Now().Add(10*time.Minute+time.Second)) {
					t.Fatalf("expires at %v, want about ten minutes from now", got.ExpiresAt)
				}
				if strings.Contains(c.Redact("token "+got.Token), got.Token) {
					t.Fatal("the issued token is not redacted from logs")
				}
			}
			if first.Token == second.Token {
				t.Fatal("two calls issued the same token, want a fresh one each")
			}
			// The client keeps sending its own token.
			w.fake.ResetLog()
			if _, err := c.SyncTable(t.Context(), orders); err != nil {
				t.Fatal(err)
			}
			if tok := w.fake.Requests()[0].Token; tok != own {
				t.Fatalf("the client sent %q after issuing, want its own %q", tok, own)
			}
		})
	}
}

// Refused credentials are the mint's *APIError; after a refusal, nothing is
// sent.
func TestIssueAccessToken_refused(t *testing.T) {
	w := newWorld(t)
	c := newClient(t, w.url, Credentials{RefreshToken: "not-a-refresh-token", UserID: adminID})
	_, err := c.IssueAccessToken(t.Context())
	ae := asAPIError(t, err)
	if ae.StatusCode != 401 || !ae.Minting || ae.AuthMode != AuthRefreshToken {
		t.Fatalf("APIError %+v", ae)
	}
	w.fake.ResetLog()
	_, err = c.IssueAccessToken(t.Context())
	var earlier *RefusedEarlierError
	if !errors.As(err, &earlier) || earlier.First != ae {
		t.Fatalf("after the refusal: %v, want a *RefusedEarlierError", err)
	}
	if n := len(w.fake.Requests()); n != 0 {
		t.Fatalf("%d requests after the refusal, want none", n)
	}

	static := newClient(t, w.url, Credentials{AccessToken: "not-a-token"})
	if err := static.CheckCredentials(t.Context()); err == nil {
		t.Fatal("the emulator accepted a token it never issued")
	}
	if _, err := static.IssueAccessToken(t.Context()); !errors.As(err, &earlier) {
		t.Fatalf("a static token Alation refused: %v, want a *RefusedEarlierError", err)
	}
}
