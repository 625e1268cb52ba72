package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tflogLogger bridges the API client's logs into Terraform's (TF_LOG). The
// client masks secrets itself; this adds the subsystem name.
type tflogLogger struct{}

func (tflogLogger) Trace(ctx context.Context, msg string, fields map[string]any) {
	tflog.Trace(ctx, msg, withSubsystem(fields))
}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, withSubsystem(fields))
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, withSubsystem(fields))
}

func withSubsystem(fields map[string]any) map[string]any {
	fields["component"] = "alation-client"
	return fields
}
