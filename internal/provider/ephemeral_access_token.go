package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

var _ ephemeral.EphemeralResourceWithConfigure = &AccessTokenEphemeralResource{}

// AccessTokenEphemeralResource is ephemeral "alation_access_token": an
// access token from the provider's credentials, for other tools of the same
// run (the http provider, a local-exec). Terraform keeps ephemeral values
// out of plans and state, so the token lives only in memory.
type AccessTokenEphemeralResource struct {
	client *alation.Client
}

// NewAccessTokenEphemeralResource is the factory the provider registers.
func NewAccessTokenEphemeralResource() ephemeral.EphemeralResource {
	return &AccessTokenEphemeralResource{}
}

type accessTokenModel struct {
	Token     types.String `tfsdk:"token"`
	ExpiresAt types.String `tfsdk:"expires_at"`
}

func (r *AccessTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_token"
}

func (r *AccessTokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An Alation API access token made from the provider's credentials, for other tools in the same run, " +
			"wherever Terraform takes an ephemeral value: a provisioner (`local-exec` with curl or a script), another provider's " +
			"configuration, another ephemeral resource. (The `http` provider's data source is not such a place: Terraform refuses " +
			"an ephemeral value there, since a data source's arguments are kept in state.) Terraform 1.10 or later, or OpenTofu 1.11 or later. " +
			"With `refresh_token` and `user_id`, or with `client_id` and `client_secret`, each time Terraform opens it " +
			"(once in a plan, once again in an apply) a fresh token is minted, apart from the one the provider itself uses, " +
			"so that the tool gets the token's whole lifetime; with `api_access_token`, that token is handed through, without a request. " +
			"As an ephemeral resource, it is never written to a plan or to the state. The token stays valid until Alation expires it: " +
			"nothing revokes it when the run ends.",
		Attributes: map[string]schema.Attribute{
			"token": schema.StringAttribute{
				MarkdownDescription: "The access token. Send it in the `TOKEN` header, as Alation's SDKs do; a token minted with `client_id` and " +
					"`client_secret` is an OAuth access token, which Alation's docs also take as `Authorization: Bearer`.",
				Computed:  true,
				Sensitive: true,
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "When the token expires, as Alation said when it minted it, in RFC 3339 (`\"2026-12-07T18:00:00Z\"`). " +
					"Null when Alation did not say, and always for an `api_access_token`, whose expiry only Alation knows.",
				Computed: true,
			},
		},
	}
}

func (r *AccessTokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

func (r *AccessTokenEphemeralResource) Open(ctx context.Context, _ ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	if r.client == nil {
		resp.Diagnostics.AddError("Provider Not Configured", "The alation provider was not configured before the access token was opened: "+
			"this is a bug in the provider or in Terraform; please report it.")
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	mode := r.client.AuthMode()
	issued, err := r.client.IssueAccessToken(ctx)
	if err != nil {
		resp.Diagnostics.Append(failureDiagnostic("Unable to Make an Access Token", err,
			lookupFailure("make an access token from the provider's "+string(mode)+" credentials", err)))
		return
	}
	m := accessTokenModel{Token: types.StringValue(issued.Token), ExpiresAt: types.StringNull()}
	if !issued.ExpiresAt.IsZero() {
		m.ExpiresAt = types.StringValue(issued.ExpiresAt.UTC().Format(time.RFC3339))
	}
	tflog.Debug(ctx, "Made an access token for other tools", map[string]any{
		"auth_mode": string(mode), "minted": issued.Minted, "expires_at": m.ExpiresAt.ValueString()})
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
