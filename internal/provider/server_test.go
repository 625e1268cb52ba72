package provider

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// contextsKept counts how many of n request contexts a server still holds
// after the requests are over: each context carries a marker whose cleanup
// runs once nothing references it.
func contextsKept(t *testing.T, n int, request func(context.Context)) int {
	t.Helper()
	type markerKey struct{}
	var freed atomic.Int64
	for range n {
		marker := new([256]byte)
		runtime.AddCleanup(marker, func(*atomic.Int64) { freed.Add(1) }, &freed)
		// As gRPC does: the request's context is canceled when it ends.
		ctx, cancel := context.WithCancel(context.WithValue(context.Background(), markerKey{}, marker))
		request(ctx)
		cancel()
	}
	for range 20 {
		runtime.GC()
		if freed.Load() == int64(n) {
			break
		}
		time.Sleep(5 * time.Millisecond) // cleanups run on their own goroutine
	}
	return n - int(freed.Load())
}

// readRequest reads a table_sync resource's prior state that the provider
// can answer without any request to Alation, as none is configured.
func readRequest(t *testing.T, server tfprotov6.ProviderServer) *tfprotov6.ReadResourceRequest {
	t.Helper()
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schemas.ResourceSchemas["alation_table_sync"].ValueType()
	state, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	return &tfprotov6.ReadResourceRequest{TypeName: "alation_table_sync", CurrentState: &state}
}

// The provider's server lets go of every request's context, so that memory
// does not grow with the number of resources.
func TestProtocolServer_releasesRequestContexts(t *testing.T) {
	server := protocolServer(&AlationProvider{version: "test", getenv: func(string) string { return "" }})()
	req := readRequest(t, server)
	kept := contextsKept(t, 100, func(ctx context.Context) {
		if _, err := server.ReadResource(ctx, req); err != nil {
			t.Fatal(err)
		}
	})
	if kept != 0 {
		t.Errorf("the server still holds %d of 100 request contexts after the requests ended", kept)
	}
	runtime.KeepAlive(server)
}

// The canary for the workaround above: the framework keeps request
// contexts. When an upgrade makes this fail, the framework has fixed it and
// contextReleasingServer can go.
func TestFrameworkStillKeepsRequestContexts(t *testing.T) {
	server := providerserver.NewProtocol6(&AlationProvider{version: "test", getenv: func(string) string { return "" }})()
	req := readRequest(t, server)
	kept := contextsKept(t, 20, func(ctx context.Context) {
		if _, err := server.ReadResource(ctx, req); err != nil {
			t.Fatal(err)
		}
	})
	if kept == 0 {
		t.Error("terraform-plugin-framework no longer keeps request contexts: remove contextReleasingServer (server.go)")
	}
	runtime.KeepAlive(server)
}

// The wrapper serves every optional RPC the framework's server does:
// tf6server finds them by type assertion.
func TestProtocolServer_keepsOptionalRPCs(t *testing.T) {
	framework := providerserver.NewProtocol6(&AlationProvider{version: "test"})()
	wrapped := protocolServer(&AlationProvider{version: "test"})()
	if _, ok := wrapped.(contextReleasingServer); !ok {
		t.Fatalf("the provider is served without the context release: %T", wrapped)
	}
	for name, has := range map[string]func(tfprotov6.ProviderServer) bool{
		"list resources": func(s tfprotov6.ProviderServer) bool {
			_, ok := s.(tfprotov6.ListResourceServer)
			return ok
		},
		"actions":      func(s tfprotov6.ProviderServer) bool { _, ok := s.(tfprotov6.ActionServer); return ok },
		"state stores": func(s tfprotov6.ProviderServer) bool { _, ok := s.(tfprotov6.StateStoreServer); return ok },
	} {
		if has(framework) && !has(wrapped) {
			t.Errorf("the framework's server serves %s, the wrapped one does not", name)
		}
	}
}
