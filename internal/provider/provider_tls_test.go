package provider

import (
	"context"
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// tlsCatalog serves the emulator over TLS with a certificate no system
// trusts, and writes that certificate to a PEM file.
func tlsCatalog(t *testing.T) (c *testCatalog, caFile string) {
	c = newTestCatalog(t)
	srv := httptest.NewTLSServer(c.fake)
	t.Cleanup(srv.Close)
	c.url = srv.URL
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return c, caFile
}

// Alation behind a private CA: refused (and not retried) until ca_cert_file
// names the CA; insecure_skip_verify also works.
func TestAccProvider_privateCA(t *testing.T) {
	c, caFile := tlsCatalog(t)
	sync := func(v string) string {
		return tableSync("t", testDS, testSchema, "foobar", fmt.Sprintf("triggers = { v = %q }", v))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{
			{
				Config:      c.providerBlock(`ca_cert_file = "/nonexistent/ca.pem"`) + sync("1"),
				ExpectError: errorMatching("Unreadable CA Certificate File", "/nonexistent/ca.pem"),
			},
			{
				Config:      c.providerBlock() + sync("1"),
				ExpectError: errorMatching("Unable to Sync Table", "TLS certificate is not trusted", "after 1 attempt", "ca_cert_file"),
			},
			{
				Config: c.providerBlock(fmt.Sprintf("ca_cert_file = %q", caFile)) + sync("1"),
				Check:  c.expectSyncs("foobar", 1),
			},
			{
				Config: c.providerBlock("insecure_skip_verify = true") + sync("2"),
				Check:  c.expectSyncs("foobar", 2),
			},
		},
	})
}

// configure runs the provider's Configure with the given attributes set
// (all others null) and returns its diagnostics.
func configure(t *testing.T, attrs map[string]tftypes.Value) provider.ConfigureResponse {
	t.Helper()
	ctx := context.Background()
	p := &AlationProvider{version: "test", getenv: func(string) string { return "" }}
	var schemaResp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &schemaResp)
	typ, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the provider schema is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range attrs {
		vals[name] = v
	}
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{
		TerraformVersion: "1.11.4",
		Config:           tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(typ, vals)},
	}, &resp)
	return resp
}

// insecure_skip_verify works, but warns on every run.
func TestProvider_insecureSkipVerifyWarns(t *testing.T) {
	fake, url := alationfake.NewTestServer(t)
	base := map[string]tftypes.Value{
		"base_url":         tftypes.NewValue(tftypes.String, url),
		"api_access_token": tftypes.NewValue(tftypes.String, fake.IssueAccessToken(1, time.Hour)),
	}
	if resp := configure(t, base); resp.Diagnostics.WarningsCount() != 0 || resp.Diagnostics.HasError() {
		t.Fatalf("plain configuration: unexpected diagnostics %v", resp.Diagnostics)
	}
	base["insecure_skip_verify"] = tftypes.NewValue(tftypes.Bool, true)
	resp := configure(t, base)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("want exactly one warning, got %v", resp.Diagnostics)
	}
	if got := resp.Diagnostics.Warnings()[0].Summary(); got != "TLS Certificate Verification Is Off" {
		t.Errorf("warning summary = %q", got)
	}
	if resp.ResourceData == nil || resp.DataSourceData == nil {
		t.Error("the client must still be configured")
	}
}
