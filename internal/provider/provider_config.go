package provider

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

var osGetenv = os.Getenv

// providerModel is the provider block.
type providerModel struct {
	BaseURL               types.String `tfsdk:"base_url"`
	APIAccessToken        types.String `tfsdk:"api_access_token"`
	RefreshToken          types.String `tfsdk:"refresh_token"`
	UserID                wholeNumber  `tfsdk:"user_id"`
	ClientID              types.String `tfsdk:"client_id"`
	ClientSecret          types.String `tfsdk:"client_secret"`
	MaxRetries            wholeNumber  `tfsdk:"max_retries"`
	MaxConcurrentRequests wholeNumber  `tfsdk:"max_concurrent_requests"`
	AllowInsecureHTTP     types.Bool   `tfsdk:"allow_insecure_http"`
	CACertFile            types.String `tfsdk:"ca_cert_file"`
	InsecureSkipVerify    types.Bool   `tfsdk:"insecure_skip_verify"`
	// SkipCredentialsValidation is read by skipCredentialsValidation: it is
	// the provider's setting, not the client's.
	SkipCredentialsValidation types.Bool `tfsdk:"skip_credentials_validation"`
	// DefaultOnFailure is read by defaultOnFailure, for resources.
	DefaultOnFailure types.String `tfsdk:"default_on_failure"`
}

// settings resolves each attribute from the configuration, else from its
// environment variable, and records problems against the attribute.
type settings struct {
	getenv func(string) string
	diags  diag.Diagnostics
}

func (s *settings) str(v types.String, attr, env string) string {
	if v.IsUnknown() {
		s.unknown(attr)
		return ""
	}
	if !v.IsNull() {
		return v.ValueString()
	}
	return strings.TrimSpace(s.getenv(env))
}

func (s *settings) int(v wholeNumber, attr, env string, lo, hi int64) (int64, bool) {
	if v.IsUnknown() {
		s.unknown(attr)
		return 0, false
	}
	if !v.IsNull() {
		return v.ValueInt64(), true
	}
	raw := strings.TrimSpace(s.getenv(env))
	if raw == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < lo || n > hi {
		s.diags.AddAttributeError(path.Root(attr), "Invalid "+env+" Environment Variable",
			fmt.Sprintf("%s is %q; it must be a whole number from %d to %d. Fix or unset it, or set %s in the provider block.", env, raw, lo, hi, attr))
		return 0, false
	}
	return n, true
}

func (s *settings) bool(v types.Bool, attr, env string) bool {
	if v.IsUnknown() {
		s.unknown(attr)
		return false
	}
	if !v.IsNull() {
		return v.ValueBool()
	}
	raw := strings.TrimSpace(s.getenv(env))
	if raw == "" {
		return false
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		s.diags.AddAttributeError(path.Root(attr), "Invalid "+env+" Environment Variable",
			fmt.Sprintf("%s is %q; it must be true or false.", env, raw))
	}
	return b
}

func (s *settings) unknown(attr string) {
	s.diags.AddAttributeError(path.Root(attr), "Unknown Alation Provider Setting",
		attr+" depends on a value that is only known after apply. The provider must be configured during plan: use a value known in advance, or set the matching ALATION_* environment variable.")
}

// clientConfig turns the provider block and the environment into the API
// client's configuration. Credentials are chosen as whole modes: a mode with
// any attribute set in the configuration wins over modes found only in the
// environment, so a CI runner's ALATION_* variables cannot clash with an
// explicit provider block.
func (m providerModel) clientConfig(getenv func(string) string) (alation.Config, diag.Diagnostics) {
	s := &settings{getenv: getenv}
	var cfg alation.Config

	cfg.BaseURL = s.str(m.BaseURL, "base_url", "ALATION_BASE_URL")
	if cfg.BaseURL == "" && !m.BaseURL.IsUnknown() {
		s.diags.AddAttributeError(path.Root("base_url"), "Missing Alation Base URL",
			"The provider needs Alation's address: set base_url in the provider block (such as \"https://alation.example.com\") or the ALATION_BASE_URL environment variable.")
	} else if _, err := alation.ParseBaseURL(cfg.BaseURL); err != nil && m.BaseURL.IsNull() {
		s.diags.AddAttributeError(path.Root("base_url"), "Invalid ALATION_BASE_URL Environment Variable", err.Error())
	}

	cfg.Credentials = m.credentials(s)

	if n, ok := s.int(m.MaxRetries, "max_retries", "ALATION_MAX_RETRIES", 0, 20); ok {
		cfg.MaxRetries = int(n)
		if n == 0 {
			cfg.MaxRetries = -1 // the client reads 0 as "default"
		}
	}
	if n, ok := s.int(m.MaxConcurrentRequests, "max_concurrent_requests", "ALATION_MAX_CONCURRENT_REQUESTS", 1, 100); ok {
		cfg.MaxConcurrentRequests = int(n)
	}
	cfg.AllowInsecureHTTP = s.bool(m.AllowInsecureHTTP, "allow_insecure_http", "ALATION_ALLOW_INSECURE_HTTP")
	cfg.InsecureSkipVerify = s.bool(m.InsecureSkipVerify, "insecure_skip_verify", "ALATION_INSECURE_SKIP_VERIFY")
	if file := s.str(m.CACertFile, "ca_cert_file", "ALATION_CA_CERT_FILE"); file != "" {
		pem, err := os.ReadFile(file)
		if err != nil {
			s.diags.AddAttributeError(path.Root("ca_cert_file"), "Unreadable CA Certificate File",
				fmt.Sprintf("Cannot read the CA certificate file %q: %v. Point ca_cert_file (or ALATION_CA_CERT_FILE) at a readable PEM file.", file, err))
		}
		cfg.CACertPEM = pem
	}
	if s.diags.HasError() {
		return cfg, s.diags
	}
	if _, err := cfg.Credentials.Mode(); err != nil {
		s.diags.AddError("Invalid Alation Credentials",
			"The provider needs exactly one complete way to authenticate, from the provider block or the environment: "+err.Error()+".\n\n"+
				"The three ways are: api_access_token (ALATION_API_ACCESS_TOKEN); refresh_token with user_id (ALATION_REFRESH_TOKEN, ALATION_USER_ID); client_id with client_secret (ALATION_CLIENT_ID, ALATION_CLIENT_SECRET).")
	}
	return cfg, s.diags
}

// credentials picks the credentials as described on clientConfig.
func (m providerModel) credentials(s *settings) alation.Credentials {
	configured := map[alation.AuthMode]bool{
		alation.AuthAccessToken:       !m.APIAccessToken.IsNull(),
		alation.AuthRefreshToken:      !m.RefreshToken.IsNull() || !m.UserID.IsNull(),
		alation.AuthClientCredentials: !m.ClientID.IsNull() || !m.ClientSecret.IsNull(),
	}
	anyConfigured := configured[alation.AuthAccessToken] || configured[alation.AuthRefreshToken] || configured[alation.AuthClientCredentials]
	use := func(mode alation.AuthMode) bool { return !anyConfigured || configured[mode] }

	var c alation.Credentials
	if use(alation.AuthAccessToken) {
		c.AccessToken = s.str(m.APIAccessToken, "api_access_token", "ALATION_API_ACCESS_TOKEN")
	}
	if use(alation.AuthRefreshToken) {
		c.RefreshToken = s.str(m.RefreshToken, "refresh_token", "ALATION_REFRESH_TOKEN")
		c.UserID, _ = s.int(m.UserID, "user_id", "ALATION_USER_ID", 1, 1<<62)
	}
	if use(alation.AuthClientCredentials) {
		c.ClientID = s.str(m.ClientID, "client_id", "ALATION_CLIENT_ID")
		c.ClientSecret = s.str(m.ClientSecret, "client_secret", "ALATION_CLIENT_SECRET")
	}
	return c
}

// skipCredentialsValidation is skip_credentials_validation, else
// ALATION_SKIP_CREDENTIALS_VALIDATION.
func (m providerModel) skipCredentialsValidation(getenv func(string) string) (bool, diag.Diagnostics) {
	s := &settings{getenv: getenv}
	skip := s.bool(m.SkipCredentialsValidation, "skip_credentials_validation", "ALATION_SKIP_CREDENTIALS_VALIDATION")
	return skip, s.diags
}

// defaultOnFailure is default_on_failure, else ALATION_DEFAULT_ON_FAILURE;
// empty when neither is set.
func (m providerModel) defaultOnFailure(getenv func(string) string) (string, diag.Diagnostics) {
	s := &settings{getenv: getenv}
	v := s.str(m.DefaultOnFailure, "default_on_failure", "ALATION_DEFAULT_ON_FAILURE")
	if v != "" && v != onFailureHalt && v != onFailureContinue && m.DefaultOnFailure.IsNull() {
		s.diags.AddAttributeError(path.Root("default_on_failure"), "Invalid ALATION_DEFAULT_ON_FAILURE Environment Variable",
			fmt.Sprintf("ALATION_DEFAULT_ON_FAILURE is %q; it must be %q or %q. Fix or unset it, or set default_on_failure in the provider block.", v, onFailureHalt, onFailureContinue))
	}
	return v, s.diags
}
