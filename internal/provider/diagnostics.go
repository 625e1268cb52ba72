package provider

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// Every diagnostic about an API call has one voice: the summary names the
// operation; the detail names the table, says what failed with the HTTP
// status, quotes Alation's own words, and ends with what to do.

// syncErrorDiagnostic is a failed sync's diagnostic; hint, when not empty,
// is what the catalog suggests instead (see caseVariantHint), and wait is
// wait_for_table_timeout, which the detail says it did not use for a 404
// that waiting cannot heal.
func syncErrorDiagnostic(in alation.SyncTableInput, op string, err error, hint string, wait time.Duration) diag.Diagnostic {
	var failure *alation.SyncFailure
	errors.As(err, &failure)
	detail := describeFailure("sync table "+in.String(), op, err, func(e *alation.APIError) string { return adviseSync(e, failure) })
	for _, more := range []string{hint, noWaitNote(err, failure, wait)} {
		if more != "" {
			detail += "\n\n" + more
		}
	}
	if op == "invoke" {
		detail = forAction(detail)
	}
	return failureDiagnostic("Unable to Sync Table", err, detail)
}

// forAction rewords a sync's advice for the action: it has no dependencies
// of its own to fix (its action_trigger events order it), and the next plain
// apply does not run it again, -invoke does.
func forAction(detail string) string {
	detail = strings.ReplaceAll(detail, resourceOrderHint, "(trigger the action with after_create and after_update of the resource that "+
		"creates the table; before_create and before_update run before the DDL)")
	detail = strings.ReplaceAll(detail, "or drop this resource", "or remove this action")
	return detail + "\n\nA plain terraform apply does not run a failed action again unless its resource changes: once the cause is fixed, " +
		"sync with terraform apply -invoke=<this action's address>."
}

// catalogEntryChanged says that a re-sync found the table under another
// catalog entry than the plan, made from state, expected.
func catalogEntryChanged(in alation.SyncTableInput, changed []change) diag.Diagnostic {
	parts := make([]string, len(changed))
	for i, c := range changed {
		parts[i] = c.String()
	}
	return diag.NewErrorDiagnostic("Catalog Entry Changed", fmt.Sprintf(
		"Alation synced %s, and answered with a catalog entry that is not the one this resource recorded: %s. "+
			"Since the state was last refreshed, the entry was removed and catalogued again, the catalog was rebuilt, "+
			"or base_url was pointed at another Alation.\n\n"+
			"The state is left as it was. Run terraform apply again without -refresh=false (a saved plan must be made again): "+
			"its refresh reads the table's entry afresh.", in, strings.Join(parts, ", ")))
}

func readErrorDiagnostic(table string, err error) diag.Diagnostic {
	return failureDiagnostic("Unable to Read Table", err, describeFailure("read table "+table+" from the catalog", "read", err, lookupAdvice))
}

// failureDiagnostic is the error diagnostic for a failed call: summary,
// unless err is the one report in full of refused credentials.
func failureDiagnostic(summary string, err error, detail string) diag.Diagnostic {
	var earlier *alation.RefusedEarlierError
	var unreachable *alation.UnreachableError
	switch {
	case errors.As(err, &earlier) && earlier.FirstReport:
		summary = refusedSummary
	case errors.As(err, &unreachable) && unreachable.FirstReport:
		summary = unreachableSummary
	}
	return diag.NewErrorDiagnostic(summary, detail)
}

// firstReport reports whether err is the one error that tells the whole
// story of a failure that blocks the run (refused credentials, an
// unreachable Alation); blocking says whether it is such a failure at all.
func firstReport(err error) (first, blocking bool) {
	var earlier *alation.RefusedEarlierError
	var unreachable *alation.UnreachableError
	switch {
	case errors.As(err, &earlier):
		return earlier.FirstReport, true
	case errors.As(err, &unreachable):
		return unreachable.FirstReport, true
	}
	return false, false
}

// importErrorDiagnostic explains a failed import of id; hint, for an
// import by name, is what the catalog has instead (catalogHint).
func importErrorDiagnostic(id string, err error, hint string) diag.Diagnostic {
	if alation.IsNotFound(err) {
		return diag.NewErrorDiagnostic("Cannot Import Table",
			fmt.Sprintf("Cannot import %q: %v.%s\n\nImport reads the catalog and never syncs. Check the id or names (names are case-sensitive; "+
				"two-level schemas are written \"database.schema\"), or let Terraform sync the table by applying the resource instead of importing it.", id, err, hint))
	}
	return failureDiagnostic("Cannot Import Table", err, describeFailure("read table "+strconv.Quote(id)+" from the catalog", "import", err, lookupAdvice))
}

// describeFailure renders err for the action ("sync table ds 8, x.y").
func describeFailure(action, op string, err error, advice func(*alation.APIError) string) string {
	var apiErr *alation.APIError
	var reqErr *alation.RequestError
	var respErr *alation.ResponseError
	var waitErr *alation.TableWaitError
	var earlier *alation.RefusedEarlierError
	var redirect *alation.RedirectError
	var loop *alation.PagingLoopError
	if errors.As(err, &waitErr) {
		return fmt.Sprintf("Synced %d times over %s (wait_for_table_timeout) and the table never appeared in the data source.\n\n",
			waitErr.Attempts, waitErr.Waited) + describeFailure(action, op, waitErr.Err, afterWaiting(waitErr.Waited))
	}
	var unreachable *alation.UnreachableError
	switch {
	case errors.As(err, &earlier) && earlier.FirstReport:
		return refusalDetail(action, earlier)
	case errors.As(err, &unreachable) && unreachable.FirstReport:
		return unreachableDetail(action, unreachable)
	case errors.As(err, &unreachable):
		return fmt.Sprintf("Did not %s: Alation at %s could not be reached earlier in this run (%s), so the provider sends it no more requests. "+
			"The first error about it says what to do.", action, unreachable.BaseURL, unreachable.Reason)
	case errors.As(err, &earlier):
		// The first refusal's diagnostic has the whole story; repeating
		// it for every resource would bury it.
		return fmt.Sprintf("Did not %s: Alation refused the %s credentials earlier in this run (HTTP %d, %s), so the provider sends no more requests with them. "+
			"The first error about it says what to do.", action, earlier.First.AuthMode, earlier.First.StatusCode, quoteMessage(earlier.First))
	case errors.As(err, &redirect):
		return redirectFailure(action, redirect)
	case errors.As(err, &loop):
		return pagingLoopFailure(action, loop)
	case errors.As(err, &apiErr):
		var b strings.Builder
		fmt.Fprintf(&b, "Alation refused to %s: %s", action, apiErr.Status())
		switch {
		case apiErr.Attempts > 1 && apiErr.StatusCode == http.StatusInternalServerError && isSyncOp(op):
			fmt.Fprintf(&b, ", still after %d attempts (a sync answered 500 is retried %s at most: each try makes Alation connect to the database again)",
				apiErr.Attempts, times(alation.MaxSyncServerErrorRetries))
		case apiErr.Attempts > 1:
			fmt.Fprintf(&b, ", still after %d attempts (max_retries ran out)", apiErr.Attempts)
		}
		fmt.Fprintf(&b, ".\n\nAlation said: %s", quoteMessage(apiErr))
		if apiErr.Minting {
			b.WriteString("\n\nThis happened while minting an access token. " + mintAdvice(apiErr))
		} else if a := advice(apiErr); a != "" {
			b.WriteString("\n\n" + a)
		}
		return b.String()
	case errors.As(err, &reqErr) && reqErr.TimedOut():
		return fmt.Sprintf("Could not %s: the %s timeout expired before Alation answered (%v).\n\n%s",
			action, op, reqErr, timeoutAdvice(op))
	case errors.As(err, &reqErr) && isCertificateError(reqErr):
		return fmt.Sprintf("Could not %s: Alation's TLS certificate is not trusted (%v).\n\n"+
			"If Alation uses a private certificate authority, set ca_cert_file (or ALATION_CA_CERT_FILE) to its PEM file.", action, reqErr)
	case errors.As(err, &reqErr):
		return fmt.Sprintf("Could not %s: no answer from Alation (%v).\n\n"+
			"Check base_url, the network path and any proxy between here and Alation; retries are governed by max_retries.", action, reqErr)
	case errors.As(err, &respErr):
		return fmt.Sprintf("Could not %s: Alation answered HTTP %d, but not with what the API documents (content type %q; body begins %q): %v.\n\n"+
			"A proxy or load balancer may be answering instead of Alation: check base_url.", action, respErr.StatusCode, respErr.ContentType, respErr.Excerpt, respErr.Err)
	default:
		return fmt.Sprintf("Could not %s: %v", action, err)
	}
}

// isSyncOp reports whether op names an operation that syncs.
func isSyncOp(op string) bool { return op == "create" || op == "update" || op == "invoke" }

func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// redirectFailure explains a redirect to another host, which was not
// followed because the request carried the credentials.
func redirectFailure(action string, e *alation.RedirectError) string {
	return fmt.Sprintf("Could not %s: %s %s was answered HTTP %d %s, a redirect to %s, another host than base_url's %s. "+
		"The request carries %s, so the provider did not follow the redirect and sent nothing to %s.\n\n"+
		"A proxy in front of Alation, or a base_url that is not Alation's own address, is the likely cause. "+
		"If %s is Alation's own address, set base_url to it; otherwise have the proxy pass the Alation API through without redirecting.",
		action, e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode), e.To, e.From, e.Carried, e.To, e.To)
}

// pagingLoopFailure explains a listing stopped because its paging
// repeated itself.
func pagingLoopFailure(action string, e *alation.PagingLoopError) string {
	return fmt.Sprintf("Could not %s: Alation's paging repeated itself on GET %s: %s. The provider stopped there, after %d request%s, "+
		"rather than read the same pages again and again.\n\n"+
		"A proxy between here and Alation that rewrites the X-Next-Page header (it must pass it on unchanged) is the likely cause, "+
		"or else an Alation bug: check the proxy, or report the request above to Alation support.",
		action, e.Path, e.Repetition(), e.Requests, pluralS(e.Requests))
}

func timeoutAdvice(op string) string {
	switch op {
	case "invoke":
		return "Alation syncs while the request is open and can be slow on a busy source. Raise the action's timeout, " +
			"or check Alation's and the data source's health."
	case "create", "update":
		return "Alation syncs while the request is open and can be slow on a busy source. Raise the resource's timeouts." + op +
			", or check Alation's and the data source's health."
	default:
		return fmt.Sprintf("Catalog reads are bounded at %s. Check Alation's health and the network path, then try again.", defaultReadTimeout)
	}
}

func quoteMessage(e *alation.APIError) string {
	if e.Detail != "" {
		msg := fmt.Sprintf("%q", e.Detail)
		if e.Code != "" {
			msg += " (code " + e.Code + ")"
		}
		return msg
	}
	return e.Message()
}

// syncAdvice says what to do about a failed sync, from Alation's answer
// alone.
func syncAdvice(e *alation.APIError) string { return adviseSync(e, nil) }

// adviseSync says what to do about each error the sync endpoint documents.
// f, when the client read it, says what a 400, 403 or 404 means; without
// it, Alation's words are the only hint. Where nothing tells, every cause
// for the status is listed, likeliest first.
func adviseSync(e *alation.APIError, f *alation.SyncFailure) string {
	cause := alation.SyncCauseOf(e)
	if f != nil {
		cause = f.Cause
	}
	switch e.StatusCode {
	case http.StatusBadRequest:
		return badRequestAdvice(e, cause)
	case http.StatusUnauthorized:
		return tokenAdvice(e)
	case http.StatusForbidden:
		return forbiddenAdvice(e, cause)
	case http.StatusNotFound:
		return notFoundAdvice(f, cause)
	case http.StatusTooManyRequests:
		return "Alation is throttling API calls. Lower max_concurrent_requests or Terraform's -parallelism, raise max_retries, or ask an Alation admin about API throttling."
	case http.StatusInternalServerError:
		return "Alation could not connect to the data source (a timeout, a blocked port, or the source's credentials). Test the data source's connection in Alation, then apply again."
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "Alation, or a proxy in front of it, is unavailable. Try again later, or raise max_retries."
	}
	return ""
}

// lookupAdvice covers the catalog read endpoints.
func lookupAdvice(e *alation.APIError) string {
	switch e.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		return tokenAdvice(e)
	case http.StatusNotFound:
		return "Alation has no such endpoint: the Integration API v2 needs Alation 2021.2 or later. Check base_url."
	}
	if a := syncAdvice(e); e.StatusCode >= 429 && a != "" && e.StatusCode != http.StatusInternalServerError {
		return a
	}
	return "Check Alation's health and try again."
}

const resourceOrderHint = "(make this resource depend on the resource that creates the table)"

const tableNotFoundAdvice = "Check the table name and that the DDL ran first " + resourceOrderHint + "; names are case-sensitive."

// afterWaiting is advice for a table that never appeared within
// wait_for_table_timeout (which waits only while the table is what the
// data source lacks): waiting is what already failed, so the advice puts
// the name first and suggests a longer wait only for a longer lag.
func afterWaiting(waited time.Duration) func(*alation.APIError) string {
	return func(*alation.APIError) string {
		return tableNotFoundAdvice + fmt.Sprintf(" Raise wait_for_table_timeout only if the database's metadata can lag behind DDL by more than %s.", waited)
	}
}

// tokenAdvice says what to do about refused credentials, for the auth mode
// in use and for what was refused: a mint, or an access token.
func tokenAdvice(e *alation.APIError) string {
	switch e.AuthMode {
	case alation.AuthRefreshToken:
		if e.Minting {
			return "Alation did not accept the refresh token for this user_id. A refresh token expires (60 days by default), can be revoked, " +
				"and belongs to exactly one user: make a new one for the user, and check that user_id is that user's id."
		}
		return "Alation refused an access token the provider had just minted from the refresh token: check that the user of user_id is still active and may use the API."
	case alation.AuthClientCredentials:
		if e.Minting {
			return "Alation did not accept the OAuth client: check client_id and client_secret (a secret can be rotated or revoked) " +
				"against the service account on this Alation Cloud instance."
		}
		return "Alation refused an access token the provider had just minted with the OAuth client credentials: check that the service account is still active and may use the API."
	}
	const renew = "make a new one, or switch to refresh_token with user_id, or client_id with client_secret, which the provider renews itself."
	if strings.Contains(strings.ToLower(e.Detail), "expired") {
		return "Alation did not accept the credentials: the api_access_token has expired. An api_access_token expires (24 hours by default) and is never renewed by the provider: " + renew
	}
	return "Alation did not accept the credentials: check that the api_access_token is complete, was made on this Alation instance, and was not revoked. " +
		"An api_access_token expires (24 hours by default) and is never renewed by the provider: " + renew
}

// mintAdvice covers a token endpoint that refused or failed to mint.
func mintAdvice(e *alation.APIError) string {
	switch {
	case e.RefusesCredentials():
		return tokenAdvice(e)
	case e.StatusCode == http.StatusNotFound:
		return "Alation has no such token endpoint: check base_url. OAuth client credentials (client_id, client_secret) need Alation Cloud."
	case e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500:
		return "Alation, or a proxy in front of it, is unavailable. Try again later, or raise max_retries."
	}
	return "Alation found the token request invalid: check the values of " + credentialSettings[e.AuthMode] + "."
}

func isCertificateError(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknownAuthority) || errors.As(err, &invalid) || errors.As(err, &hostname) || errors.As(err, &verify)
}
