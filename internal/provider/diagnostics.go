package provider

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// Every diagnostic about an API call has one voice: the summary names the
// operation; the detail names the table, says what failed with the HTTP
// status, quotes Alation's own words, and ends with what to do.

func syncErrorDiagnostic(in alation.SyncTableInput, op string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unable to Sync Table", describeFailure("sync table "+in.String(), op, err, syncAdvice))
}

func readErrorDiagnostic(table string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unable to Read Table", describeFailure("read table "+table+" from the catalog", "read", err, lookupAdvice))
}

func importErrorDiagnostic(id string, err error) diag.Diagnostic {
	if alation.IsNotFound(err) {
		return diag.NewErrorDiagnostic("Cannot Import Table",
			fmt.Sprintf("Cannot import %q: %v.\n\nImport reads the catalog and never syncs. Check the id or names (names are case-sensitive; "+
				"two-level schemas are written \"database.schema\"), or let Terraform sync the table by applying the resource instead of importing it.", id, err))
	}
	return diag.NewErrorDiagnostic("Cannot Import Table", describeFailure("read table "+id+" from the catalog", "import", err, lookupAdvice))
}

// describeFailure renders err for the action ("sync table ds 8, x.y").
func describeFailure(action, op string, err error, advice func(*alation.APIError) string) string {
	var apiErr *alation.APIError
	var reqErr *alation.RequestError
	var respErr *alation.ResponseError
	var waitErr *alation.TableWaitError
	if errors.As(err, &waitErr) {
		return fmt.Sprintf("Synced %d times over %s (wait_for_table_timeout) and the table never appeared in the data source.\n\n",
			waitErr.Attempts, waitErr.Waited) + describeFailure(action, op, waitErr.Err, advice)
	}
	switch {
	case errors.As(err, &apiErr):
		var b strings.Builder
		fmt.Fprintf(&b, "Alation refused to %s: HTTP %d %s", action, apiErr.StatusCode, http.StatusText(apiErr.StatusCode))
		if apiErr.Attempts > 1 {
			fmt.Fprintf(&b, ", still after %d attempts (max_retries ran out)", apiErr.Attempts)
		}
		fmt.Fprintf(&b, ".\n\nAlation said: %s", quoteMessage(apiErr))
		if strings.Contains(err.Error(), "minting an access token") {
			b.WriteString("\n\nThis happened while minting an access token. " + tokenAdvice(apiErr))
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

// syncAdvice says what to do about each error the sync endpoint documents.
// Alation's wording is matched loosely; where it says nothing recognisable,
// every documented cause for the status is listed.
func syncAdvice(e *alation.APIError) string {
	d := strings.ToLower(e.Detail)
	switch e.StatusCode {
	case http.StatusBadRequest:
		switch {
		case strings.Contains(d, "exclu"):
			return "The schema is excluded from the catalog in the data source's per-object settings (Settings > Per-Object Parameters in Alation). Include it there, or drop this resource."
		case strings.Contains(d, "table_type"):
			return "table_type must be \"TABLE\" or \"VIEW\"."
		default:
			return "Alation found the request incomplete or a value invalid. Check datasource_id, schema and table; if the schema is excluded in the data source's per-object settings, include it."
		}
	case http.StatusUnauthorized:
		return tokenAdvice(e)
	case http.StatusForbidden:
		switch {
		case strings.Contains(d, "admin"):
			return "The token's user must be a Server Admin or Catalog Admin to trigger a sync: use such a user's credentials, or ask an Alation admin to grant the role."
		case strings.Contains(d, "service account") || strings.Contains(d, "privilege") || strings.Contains(d, "permission to view"):
			return "The data source's service account cannot see this table's metadata: grant it access (SELECT, or your database's metadata privilege) on the table, then apply again."
		case strings.Contains(d, "authenticat") || strings.Contains(d, "token") || strings.Contains(d, "credential"):
			return tokenAdvice(e)
		default:
			return "Either the credentials were not accepted, the token's user is not a Server or Catalog Admin, or the data source's service account cannot see the table. Check each in that order."
		}
	case http.StatusNotFound:
		switch {
		case strings.Contains(d, "table not found"):
			return "Check the table name and that the DDL ran first (make this resource depend on the resource that creates the table); names are case-sensitive. " +
				"If the database's metadata lags behind DDL, set wait_for_table_timeout."
		case strings.Contains(d, "data source") || strings.Contains(d, "schema"):
			return "Check datasource_id and schema. Sources with two levels above tables (SQL Server, Snowflake, Databricks...) need \"database.schema\"; names are case-sensitive."
		default:
			return "Either the data source or schema does not exist, or the table is not in the data source. Check datasource_id, schema and table (case-sensitive) and that the DDL ran first."
		}
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

func tokenAdvice(*alation.APIError) string {
	return "Alation did not accept the credentials. An api_access_token expires (24 hours by default) and is never renewed by the provider: " +
		"make a new one, or switch to refresh_token with user_id, or client_id with client_secret, which the provider renews itself. " +
		"A refresh token expires too (60 days by default), and belongs to exactly one user_id."
}

func isCertificateError(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknownAuthority) || errors.As(err, &invalid) || errors.As(err, &hostname) || errors.As(err, &verify)
}
