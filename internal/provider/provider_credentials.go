package provider

import (
	"context"
	"fmt"
	"time"

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

// credentialsCheckTimeout bounds the credentials check. Terraform before
// 1.14 (and OpenTofu) does not interrupt a provider while it is configured,
// so Ctrl-C waits for the check: it must not outlast a few seconds.
const credentialsCheckTimeout = 3 * time.Second

// refusedSummary is the summary of the one diagnostic that reports refused
// credentials in full.
const refusedSummary = "Alation Refused the Credentials"

// unreachableSummary is the summary of the one diagnostic that reports an
// Alation that no retry can reach (see alation.UnreachableError).
const unreachableSummary = "Alation Cannot Be Reached"

// checkCredentials asks Alation once whether it accepts the credentials, so
// that refused credentials are reported once, in full, by the first
// operation that needs Alation (the client remembers the refusal and sends
// nothing more with them), instead of the same refusal for every resource.
// Configuring does not fail on a refusal: an operation that needs no request
// (a destroy with -refresh=false, including other providers' resources in
// the same run) must still work. When the check cannot tell (no answer
// within credentialsCheckTimeout, an outage), the credentials may well be
// fine and the resources retry on their own: that is a warning.
func checkCredentials(ctx context.Context, client *alation.Client) diag.Diagnostics {
	ctx, cancel := context.WithTimeout(ctx, credentialsCheckTimeout)
	defer cancel()
	err := client.CheckCredentials(ctx)
	mode := client.AuthMode()
	if err == nil {
		tflog.Debug(ctx, "Alation accepted the credentials", map[string]any{"auth_mode": string(mode)})
		return nil
	}
	if alation.IsBlockingFailure(err) {
		tflog.Debug(ctx, "Alation refused the credentials, or cannot be reached at all; the first operation that needs Alation reports it", map[string]any{"auth_mode": string(mode), "error": err.Error()})
		return nil
	}
	return diag.Diagnostics{diag.NewWarningDiagnostic("Could Not Check the Alation Credentials",
		describeFailure(fmt.Sprintf("check the %s credentials with Alation at %s", mode, client.BaseURL()), "check", err, lookupAdvice)+
			fmt.Sprintf("\n\nThe credentials were neither accepted nor refused within the check's %s: each resource will try Alation itself. ", credentialsCheckTimeout)+skipCheckHint)}
}

// refusalDetail is the whole story of refused credentials, told once by the
// first operation that needed Alation after the check found the refusal.
func refusalDetail(action string, e *alation.RefusedEarlierError) string {
	first := e.First
	return fmt.Sprintf("Did not %s: Alation at %s refused the provider's %s credentials when the provider checked them: %s on %s %s.\n\n"+
		"Alation said: %s\n\n%s\n\nThe credentials come from %s. No request is sent with them for the rest of this run; "+
		"work that needs no request from Alation, such as a destroy with -refresh=false, still runs.",
		action, e.BaseURL, first.AuthMode, first.Status(), first.Method, first.Path,
		quoteMessage(first), tokenAdvice(first), credentialSettings[first.AuthMode])
}

// unreachableDetail is the whole story of an Alation that the credentials
// check found unreachable for good, told once.
func unreachableDetail(action string, e *alation.UnreachableError) string {
	return fmt.Sprintf("Did not %s: Alation at %s cannot be reached: %s (%v).\n\n"+
		"No retry can fix that, so the provider sends nothing more there in this run. Check base_url (or ALATION_BASE_URL): "+
		"the host name, and the scheme (https:// for a server with TLS, http:// only for one without, such as the emulator).",
		action, e.BaseURL, e.Reason, e.First)
}
