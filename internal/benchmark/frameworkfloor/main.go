// Command frameworkfloor is the least a terraform-plugin-framework provider
// can do for the benchmark's sync, in two resources whose create POSTs the
// same sync request to the emulator and whose read makes no request:
//
//   - floor_sync has only the table's identity and its id: what the
//     framework and Terraform's protocol cost by themselves;
//   - floor_table_sync has alation_table_sync's very schema and resource
//     identity: what Terraform and the framework cost for that schema,
//     whatever the code behind it.
//
// make bench runs them beside the real provider, so that each report splits
// the provider's time into the framework's, its schema's and its own code's.
//
// It reads ALATION_BASE_URL and ALATION_API_ACCESS_TOKEN from the
// environment, and is for the benchmark only.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	alationprovider "github.com/alation-community/terraform-provider-alation/internal/provider"
)

// Address is where the benchmark's dev_overrides point.
const Address = "registry.terraform.io/bench/floor"

func main() {
	// The real provider's process settings (logs, garbage collection) and
	// server, so that the floors differ from it only in code and schema.
	alationprovider.QuietLogsUnlessAsked()
	alationprovider.CollectLessOftenUnlessAsked()
	// Served as the real provider is, with each request's context released.
	err := tf6server.Serve(Address, alationprovider.ReleasingContexts(providerserver.NewProtocol6(floorProvider{})))
	if err != nil {
		log.Fatal(err)
	}
}

type floorProvider struct{}

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "floor"
}

func (floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return &syncResource{} },
		func() resource.Resource { return &schemaResource{} },
	}
}

type syncResource struct{}

type syncModel struct {
	DatasourceID types.Int64  `tfsdk:"datasource_id"`
	Schema       types.String `tfsdk:"schema"`
	Table        types.String `tfsdk:"table"`
	ID           types.Int64  `tfsdk:"id"`
}

func (*syncResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sync"
}

func (*syncResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"datasource_id": schema.Int64Attribute{Required: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()}},
		"schema":        schema.StringAttribute{Required: true, PlanModifiers: replace},
		"table":         schema.StringAttribute{Required: true, PlanModifiers: replace},
		"id":            schema.Int64Attribute{Computed: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}},
	}}
}

// client is shared by every request, with as many idle connections as the
// real provider keeps, so that the comparison is not about dialing.
var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 10, MaxConnsPerHost: 10}}

func (*syncResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m syncModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, err := syncTable(ctx, m.DatasourceID.ValueInt64(), m.Schema.ValueString(), m.Table.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Sync Failed", err.Error())
		return
	}
	m.ID = types.Int64Value(id)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// syncTable POSTs one sync and returns the table's id.
func syncTable(ctx context.Context, ds int64, schema, table string) (int64, error) {
	body, _ := json.Marshal(map[string]any{"datasource_id": ds, "schema": schema, "table": table})
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, os.Getenv("ALATION_BASE_URL")+"/api/v1/table/sync/", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	r.Header.Set("TOKEN", os.Getenv("ALATION_API_ACCESS_TOKEN"))
	r.Header.Set("Content-Type", "application/json")
	res, err := client.Do(r)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	var out struct {
		ID int64 `json:"id"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusCreated {
		return 0, fmt.Errorf("HTTP %d: %v", res.StatusCode, err)
	}
	return out.ID, nil
}

// Read keeps the state: the floor of a refresh makes no request.
func (*syncResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update never runs: every attribute but id replaces the resource.
func (*syncResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}

func (*syncResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// schemaResource has alation_table_sync's schema and the least code: its
// state is the plan with the sync's id and every other unknown null.
type schemaResource struct{}

func (*schemaResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_table_sync"
}

func (*schemaResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	alationprovider.NewTableSyncResource().Schema(ctx, req, resp)
	strip(resp.Schema.Attributes, os.Getenv("FLOOR_SCHEMA_STRIP"))
}

// strip takes parts out of the schema, to measure what each costs:
// FLOOR_SCHEMA_STRIP is a comma-separated list of "modifiers" (plan
// modifiers and defaults), "validators", or attribute names to drop.
func strip(attrs map[string]schema.Attribute, what string) {
	for _, part := range strings.Split(what, ",") {
		switch part {
		case "":
		case "modifiers":
			for name, a := range attrs {
				switch a := a.(type) {
				case schema.StringAttribute:
					a.PlanModifiers, a.Default = nil, nil
					if name == "table_type" {
						a.Computed = false
					}
					attrs[name] = a
				case schema.Int64Attribute:
					a.PlanModifiers = nil
					attrs[name] = a
				case schema.BoolAttribute:
					a.PlanModifiers = nil
					attrs[name] = a
				}
			}
		case "validators":
			for name, a := range attrs {
				switch a := a.(type) {
				case schema.StringAttribute:
					a.Validators = nil
					attrs[name] = a
				case schema.Int64Attribute:
					a.Validators = nil
					attrs[name] = a
				}
			}
		default:
			delete(attrs, part)
		}
	}
}

func (*schemaResource) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	if r, ok := alationprovider.NewTableSyncResource().(resource.ResourceWithIdentity); ok {
		r.IdentitySchema(ctx, req, resp)
	}
}

// tableIdentity is the resource identity, read from a plan or state.
type tableIdentity struct {
	DatasourceID int64  `tfsdk:"datasource_id"`
	Schema       string `tfsdk:"schema"`
	Table        string `tfsdk:"table"`
}

func readIdentity(ctx context.Context, data interface {
	GetAttribute(context.Context, path.Path, any) diag.Diagnostics
}, diags *diag.Diagnostics) tableIdentity {
	var identity tableIdentity
	for name, dst := range map[string]any{"datasource_id": &identity.DatasourceID, "schema": &identity.Schema, "table": &identity.Table} {
		diags.Append(data.GetAttribute(ctx, path.Root(name), dst)...)
	}
	return identity
}

func (*schemaResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	identity := readIdentity(ctx, req.Plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Identity.Set(ctx, identity)...)
	id, err := syncTable(ctx, identity.DatasourceID, identity.Schema, identity.Table)
	if err != nil {
		resp.Diagnostics.AddError("Sync Failed", err.Error())
		return
	}
	state, err := tftypes.Transform(req.Plan.Raw, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if p.Equal(tftypes.NewAttributePath().WithAttributeName("id")) {
			return tftypes.NewValue(tftypes.Number, id), nil
		}
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
	if err != nil {
		resp.Diagnostics.AddError("Sync Failed", err.Error())
		return
	}
	resp.State.Raw = state
}

// Read makes no request; it gives the identity to CLIs that keep none.
func (*schemaResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if resp.Identity != nil && resp.Identity.Raw.IsFullyNull() {
		resp.Diagnostics.Append(resp.Identity.Set(ctx, readIdentity(ctx, req.State, &resp.Diagnostics))...)
	}
}

func (*schemaResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
	resp.Diagnostics.Append(resp.Identity.Set(ctx, readIdentity(ctx, req.Plan, &resp.Diagnostics))...)
}

func (*schemaResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
