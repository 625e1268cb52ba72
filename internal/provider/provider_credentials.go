package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// credentialSettings names, per auth mode, where its credentials come from.
var credentialSettings = map[alation.AuthMode]string{
	alation.AuthAccessToken:       "api_access_token (or ALATION_API_ACCESS_TOKEN)",
	alation.AuthRefreshToken:      "refresh_token and user_id (or ALATION_REFRESH_TOKEN and ALATION_USER_ID)",
	alation.AuthClientCredentials: "client_id and client_secret (or ALATION_CLIENT_ID and ALATION_CLIENT_SECRET)",
}

const skipCheckHint = "To configure the provider without this check (one request per Terraform run), set skip_credentials_validation = true " +
	"or ALATION_SKIP_CREDENTIALS_VALIDATION=true."

// checkCredentials asks Alation once whether it accepts the credentials, so
// that refused credentials are one diagnostic before any resource instead of
// the same refusal for every resource. Only a refusal is an error: when the
// check cannot tell (no answer, an outage), the credentials may well be fine,
// the resources retry on their own, and a destroy, which needs no API call,
// must still work; so that is a warning.
func checkCredentials(ctx context.Context, client *alation.Client) diag.Diagnostics {
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	err := client.CheckCredentials(ctx)
	mode := client.AuthMode()
	if err == nil {
		tflog.Debug(ctx, "Alation accepted the credentials", map[string]any{"auth_mode": string(mode)})
		return nil
	}
	var apiErr *alation.APIError
	if errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden) {
		return diag.Diagnostics{diag.NewErrorDiagnostic("Alation Refused the Credentials", fmt.Sprintf(
			"Alation at %s refused the provider's %s credentials when the provider checked them, before any resource: HTTP %d %s on %s %s.\n\n"+
				"Alation said: %s\n\n%s\n\nThe credentials come from %s.\n\n%s",
			client.BaseURL(), mode, apiErr.StatusCode, http.StatusText(apiErr.StatusCode), apiErr.Method, apiErr.Path,
			quoteMessage(apiErr), tokenAdvice(apiErr), credentialSettings[mode], skipCheckHint))}
	}
	return diag.Diagnostics{diag.NewWarningDiagnostic("Could Not Check the Alation Credentials",
		describeFailure(fmt.Sprintf("check the %s credentials with Alation at %s", mode, client.BaseURL()), "check", err, lookupAdvice)+
			"\n\nThe credentials were neither accepted nor refused: each resource will try Alation itself. "+skipCheckHint)}
}
