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
	return ReleasingContexts(providerserver.NewProtocol6(p))
}

// ReleasingContexts wraps the servers that newServer makes in a
// contextReleasingServer (see there). The benchmark's framework floors use
// it too, so that they differ from this provider only in code and schema.
func ReleasingContexts(newServer func() tfprotov6.ProviderServer) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		server := newServer()
		full, ok := server.(fullProviderServer)
		if !ok {
			return server // a server without every optional RPC: serve it as it is
		}
		return contextReleasingServer{full}
	}
}

// fullProviderServer is every RPC a provider may serve: tf6server looks for
// the optional ones (list resources, actions, state stores) by type
// assertion, so a wrapper must have them all to pass them through.
type fullProviderServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

var _ fullProviderServer = contextReleasingServer{}

// contextReleasingServer works around the framework (v1.19) keeping the
// context of every request until StopProvider, to be able to cancel it then.
// A request's context carries its loggers, about 10 KB, so a 500-resource
// refresh held on to 25 MB and peaked near 100 MB (make bench). Here each
// per-resource request hands the framework a shell around its context that
// is emptied when the request returns: the framework then keeps only the
// shell. Requests whose work outlives the call (streams such as ListResource
// and InvokeAction) and those made once per provider process are passed
// through as they are.
//
// A goroutine that outlives its request and still holds its context (none
// does: the table listing's readers wait for it) would lose the request's
// values with it, such as its loggers.
type contextReleasingServer struct {
	fullProviderServer
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
	return serve(ctx, req, s.fullProviderServer.ValidateResourceConfig)
}

func (s contextReleasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serve(ctx, req, s.fullProviderServer.UpgradeResourceState)
}

func (s contextReleasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serve(ctx, req, s.fullProviderServer.ReadResource)
}

func (s contextReleasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serve(ctx, req, s.fullProviderServer.PlanResourceChange)
}

func (s contextReleasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(ctx, req, s.fullProviderServer.ApplyResourceChange)
}

func (s contextReleasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(ctx, req, s.fullProviderServer.ImportResourceState)
}

func (s contextReleasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(ctx, req, s.fullProviderServer.ValidateDataResourceConfig)
}

func (s contextReleasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(ctx, req, s.fullProviderServer.ReadDataSource)
}

func (s contextReleasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return serve(ctx, req, s.fullProviderServer.MoveResourceState)
}

func (s contextReleasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serve(ctx, req, s.fullProviderServer.UpgradeResourceIdentity)
}

func (s contextReleasingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return serve(ctx, req, s.fullProviderServer.GenerateResourceConfig)
}
