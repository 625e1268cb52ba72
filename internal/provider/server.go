package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Address is the provider's source address in the registry.
const Address = "registry.terraform.io/alation-community/alation"

// ProtocolServer returns the protocol 6 server that a provider binary
// serves (tf6server.Serve): the framework's, with every per-resource request
// releasing its context when it ends.
func ProtocolServer(version string) func() tfprotov6.ProviderServer {
	return protocolServer(&AlationProvider{version: version})
}

func protocolServer(p *AlationProvider) func() tfprotov6.ProviderServer {
	framework := providerserver.NewProtocol6(p)
	return func() tfprotov6.ProviderServer { return contextReleasingServer{framework()} }
}

// contextReleasingServer works around the framework (v1.19) keeping the
// context of every request until StopProvider, to be able to cancel it then.
// A request's context carries its loggers, about 10 KB, so a 500-resource
// refresh held on to 25 MB and peaked near 100 MB (make bench). Here each
// per-resource request hands the framework a shell around its context that
// is emptied when the request returns: the framework then keeps only the
// shell. Requests whose work outlives the call (streams such as ListResource
// and InvokeAction) are passed through as they are.
type contextReleasingServer struct {
	tfprotov6.ProviderServer
}

// released is what an emptied shell answers with: a request that is over.
var released = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// requestContext delegates to the request's context until release.
type requestContext struct {
	ctx atomic.Pointer[context.Context]
}

func newRequestContext(ctx context.Context) *requestContext {
	c := &requestContext{}
	c.ctx.Store(&ctx)
	return c
}

func (c *requestContext) current() context.Context    { return *c.ctx.Load() }
func (c *requestContext) Deadline() (time.Time, bool) { return c.current().Deadline() }
func (c *requestContext) Done() <-chan struct{}       { return c.current().Done() }
func (c *requestContext) Err() error                  { return c.current().Err() }
func (c *requestContext) Value(key any) any           { return c.current().Value(key) }
func (c *requestContext) release()                    { c.ctx.Store(&released) }

// serve runs one request with a context that is released when it returns.
func serve[Req, Resp any](ctx context.Context, req Req, handle func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newRequestContext(ctx)
	defer rc.release()
	return handle(rc, req)
}

func (s contextReleasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serve(ctx, req, s.ProviderServer.ValidateResourceConfig)
}

func (s contextReleasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serve(ctx, req, s.ProviderServer.UpgradeResourceState)
}

func (s contextReleasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serve(ctx, req, s.ProviderServer.ReadResource)
}

func (s contextReleasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serve(ctx, req, s.ProviderServer.PlanResourceChange)
}

func (s contextReleasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(ctx, req, s.ProviderServer.ApplyResourceChange)
}

func (s contextReleasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(ctx, req, s.ProviderServer.ImportResourceState)
}

func (s contextReleasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(ctx, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s contextReleasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(ctx, req, s.ProviderServer.ReadDataSource)
}
