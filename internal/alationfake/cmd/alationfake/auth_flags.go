package main

import (
	"flag"
	"fmt"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// authFlags are the flags choosing the authentication variants the
// emulator plays (the answers Alation's public evidence leaves open).
type authFlags struct {
	expiredStatus  *int
	oauthHeader    *string
	oauthPath      *string
	htmlFailures   *bool
	refreshRefusal *string
}

func addAuthFlags(fs *flag.FlagSet) *authFlags {
	return &authFlags{
		expiredStatus: fs.Int("expired-token-status", 403, "status of a refused access token (expired, invalid or missing): 403 or 401"),
		oauthHeader: fs.String("oauth-token-header", string(alationfake.OAuthHeaderEither),
			`where an OAuth (JWT) access token is accepted: "either", "bearer" (Authorization: Bearer only) or "TOKEN" (the TOKEN header only)`),
		oauthPath: fs.String("oauth-token-path", string(alationfake.OAuthPathBoth),
			`spelling of the OAuth token path served: "both", "slash" (/oauth/v2/token/ only) or "noslash" (/oauth/v2/token only)`),
		htmlFailures: fs.Bool("html-token-failures", false, "answer every refused token or credential with a gateway's HTML page instead of Alation's JSON"),
		refreshRefusal: fs.String("refresh-token-refusal", string(alationfake.RefusalStatus401),
			`how createAPIAccessToken refuses a refresh token: "401", "400" or "status-failed" (200 with {"status": "failed"})`),
	}
}

// apply sets the chosen variants on f, or says which value is wrong.
func (a *authFlags) apply(f *alationfake.Fake) error {
	if *a.expiredStatus != 401 && *a.expiredStatus != 403 {
		return fmt.Errorf("-expired-token-status must be 401 or 403, not %d", *a.expiredStatus)
	}
	f.SetExpiredTokenStatus(*a.expiredStatus)
	if err := f.SetOAuthTokenHeader(alationfake.OAuthTokenHeader(*a.oauthHeader)); err != nil {
		return fmt.Errorf("-oauth-token-header: %w", err)
	}
	if err := f.SetOAuthTokenPaths(alationfake.OAuthTokenPaths(*a.oauthPath)); err != nil {
		return fmt.Errorf("-oauth-token-path: %w", err)
	}
	if err := f.SetRefreshTokenRefusal(alationfake.RefreshTokenRefusal(*a.refreshRefusal)); err != nil {
		return fmt.Errorf("-refresh-token-refusal: %w", err)
	}
	f.SetHTMLTokenFailures(*a.htmlFailures)
	return nil
}
