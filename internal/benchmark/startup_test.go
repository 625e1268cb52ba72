package main

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/alation-community/terraform-provider-alation/internal/provider"
)

// BenchmarkProviderSchema is the schema work of one provider start:
// Terraform starts the provider several times per command, and each new
// process builds and converts every schema once (GetProviderSchema).
func BenchmarkProviderSchema(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		server := provider.ProtocolServer("bench")()
		resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				b.Fatalf("%s: %s", d.Summary, d.Detail)
			}
		}
		if resp.ResourceSchemas["alation_table_sync"] == nil {
			b.Fatal("no alation_table_sync schema")
		}
	}
}
