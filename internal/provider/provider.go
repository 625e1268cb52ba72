package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

var (
	_ provider.Provider                  = &AlationProvider{}
	_ provider.ProviderWithActions       = &AlationProvider{}
	_ provider.ProviderWithListResources = &AlationProvider{}

	_ provider.ProviderWithEphemeralResources = &AlationProvider{}
)

// AlationProvider is the "alation" provider.
type AlationProvider struct {
	version string
	// retryWaitMin shortens backoff in tests; zero means the client default.
	retryWaitMin time.Duration
	// getenv reads the environment; tests may replace it.
	getenv func(string) string
}

func (p *AlationProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "alation"
	resp.Version = p.version
}

func (p *AlationProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Keeps an [Alation](https://www.alation.com) data catalog in step with the tables Terraform creates. " +
			"Every setting can also come from an `ALATION_*` environment variable; a value in the configuration wins. " +
			"Configure exactly one way to authenticate.",
		Attributes: map[string]schema.Attribute{
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Alation's address, such as `https://alation.example.com`. Env: `ALATION_BASE_URL`. Required, from the configuration or the environment.",
				Optional:            true,
				Validators:          []validator.String{baseURLValidator{}},
			},
			"api_access_token": schema.StringAttribute{
				MarkdownDescription: "An API access token made in Alation (auth mode 1). It is sent as is and never renewed: Alation expires such tokens after 24 hours by default. Env: `ALATION_API_ACCESS_TOKEN`.",
				Optional:            true,
				Sensitive:           true,
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "A refresh token (auth mode 2, with `user_id`): the provider mints short-lived access tokens from it and renews them when they expire. Env: `ALATION_REFRESH_TOKEN`.",
				Optional:            true,
				Sensitive:           true,
			},
			"user_id": schema.Int64Attribute{
				CustomType:          wholeNumberType{},
				MarkdownDescription: "The id of the Alation user the refresh token belongs to (auth mode 2). Env: `ALATION_USER_ID`.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "OAuth 2.0 client id of an Alation Cloud service account (auth mode 3, with `client_secret`). Env: `ALATION_CLIENT_ID`.",
				Optional:            true,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "OAuth 2.0 client secret (auth mode 3). Env: `ALATION_CLIENT_SECRET`.",
				Optional:            true,
				Sensitive:           true,
			},
			"max_retries": schema.Int64Attribute{
				CustomType: wholeNumberType{},
				MarkdownDescription: fmt.Sprintf("How often one request is retried after HTTP 429, 500, 502, 503, 504 or a network error, with exponential backoff that honours `Retry-After`. 0 turns retries off. Default %d. "+
					"A sync answered 500 (Alation could not reach the database) is retried at most once, since each try connects to the database again; "+
					"errors no retry heals (a host name that does not resolve, `https://` to a plain-HTTP server) are never retried. Env: `ALATION_MAX_RETRIES`.", alation.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"max_concurrent_requests": schema.Int64Attribute{
				CustomType:          wholeNumberType{},
				MarkdownDescription: fmt.Sprintf("The most requests this provider has in flight at once, across all resources. Alation advises against many parallel API calls; this caps them whatever Terraform's `-parallelism`. Default %d. Env: `ALATION_MAX_CONCURRENT_REQUESTS`.", alation.DefaultMaxConcurrentRequests),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 100)},
			},
			"allow_insecure_http": schema.BoolAttribute{
				MarkdownDescription: "Allow credentials over plain `http://` to a host that is not loopback. Off by default because anyone on the network path could read them. Env: `ALATION_ALLOW_INSECURE_HTTP`.",
				Optional:            true,
			},
			"ca_cert_file": schema.StringAttribute{
				MarkdownDescription: "Path to a PEM file of extra certificate authorities to trust, for Alation behind a private CA. Env: `ALATION_CA_CERT_FILE`.",
				Optional:            true,
			},
			"skip_credentials_validation": schema.BoolAttribute{
				MarkdownDescription: "Skip the credentials check made when the provider is configured. By default the provider asks Alation once per Terraform run whether it accepts the credentials " +
					"(for `api_access_token` a one-row schema listing; for the other modes the token mint, which the run needs anyway), so that refused credentials are one error, reported by the first operation that needs Alation, " +
					"rather than one per resource; an operation that needs no request (a destroy with `-refresh=false`) still runs. The check is one attempt of at most 3 seconds. `terraform validate` never makes it. Env: `ALATION_SKIP_CREDENTIALS_VALIDATION`.",
				Optional: true,
			},
			"default_on_failure": schema.StringAttribute{
				MarkdownDescription: "The `on_failure` of every `alation_table_sync` resource that sets none: `\"halt\"` (the default) or `\"continue\"`, " +
					"which keeps an apply going when a sync fails and makes the next apply sync again. The `alation_table_sync` action " +
					"takes Terraform's own `action_trigger { on_failure = ... }` instead. Env: `ALATION_DEFAULT_ON_FAILURE`.",
				Optional:   true,
				Validators: onFailureValidators(),
			},
			"insecure_skip_verify": schema.BoolAttribute{
				MarkdownDescription: "Skip TLS certificate verification. For troubleshooting only: every run then warns. Env: `ALATION_INSECURE_SKIP_VERIFY`.",
				Optional:            true,
			},
		},
	}
}

func (p *AlationProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	getenv := p.getenv
	if getenv == nil {
		getenv = osGetenv
	}
	clientCfg, diags := cfg.clientConfig(getenv)
	resp.Diagnostics.Append(diags...)
	skipCheck, diags := cfg.skipCredentialsValidation(getenv)
	resp.Diagnostics.Append(diags...)
	defaultOnFailure, diags := cfg.defaultOnFailure(getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	clientCfg.UserAgent = userAgent(p.version, req.TerraformVersion)
	clientCfg.Logger = tflogLogger{}
	clientCfg.RetryWaitMin = p.retryWaitMin
	if p.retryWaitMin > 0 {
		clientCfg.RetryWaitMax = 20 * p.retryWaitMin
	}
	client, err := alation.New(clientCfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Alation Provider Configuration", err.Error())
		return
	}
	if clientCfg.InsecureSkipVerify {
		resp.Diagnostics.AddWarning("TLS Certificate Verification Is Off",
			"insecure_skip_verify is set, so the provider does not check the certificate of "+client.BaseURL()+
				": anyone able to intercept the connection can read the Alation credentials. Prefer ca_cert_file with your private CA.")
	}
	tflog.Debug(ctx, "Configured the Alation client", map[string]any{"base_url": client.BaseURL(), "user_agent": clientCfg.UserAgent})
	if !skipCheck {
		// Terraform configures providers for plan, apply, import and
		// query, never for validate, so validate stays offline.
		resp.Diagnostics.Append(checkCredentials(ctx, client)...)
		if resp.Diagnostics.HasError() {
			return // the framework then sends no resource any request
		}
	}
	resp.ResourceData = &resourceData{client: client, defaultOnFailure: defaultOnFailure}
	resp.DataSourceData = client
	resp.ActionData = client
	resp.ListResourceData = client
	resp.EphemeralResourceData = client
}

func (p *AlationProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewTableSyncResource}
}

func (p *AlationProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{NewTableSyncAction}
}

func (p *AlationProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewTableSyncListResource}
}

func (p *AlationProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewDataSourceDataSource, NewTableDataSource, NewTablesDataSource}
}

func (p *AlationProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{NewAccessTokenEphemeralResource}
}

// resourceData is what resources get from the provider: the client, and
// the defaults of resource settings.
type resourceData struct {
	client           *alation.Client
	defaultOnFailure string
}

// configuredClient takes the provider's *alation.Client; nil before the
// provider is configured (validation).
func configuredClient(data any, diags *diag.Diagnostics) *alation.Client {
	if data == nil {
		return nil
	}
	client, ok := data.(*alation.Client)
	if !ok {
		diags.AddError("Unexpected Provider Data", fmt.Sprintf("Expected *alation.Client, got %T. This is a bug in the provider: please report it.", data))
	}
	return client
}

// userAgent names the provider, its version and Terraform's.
func userAgent(version, terraformVersion string) string {
	ua := "terraform-provider-alation/" + version + " (+https://registry.terraform.io/providers/alation-community/alation)"
	if terraformVersion != "" {
		ua += " terraform/" + terraformVersion
	}
	return ua
}
