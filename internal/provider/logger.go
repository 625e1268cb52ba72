package provider

import (
	"context"
	"os"

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

// QuietLogsUnlessAsked turns the plugin SDK's and the provider's logs off
// when Terraform would discard them anyway; a provider binary calls it before
// serving. With no level set, the SDK logs at TRACE: about 170 lines per
// resource that Terraform parses and then drops, which measured as 35-40% of
// an apply's time (make bench). Any TF_LOG, TF_LOG_PROVIDER or explicit
// TF_LOG_SDK* setting is left as it is.
func QuietLogsUnlessAsked() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, k := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_ALATION"} {
		if _, set := os.LookupEnv(k); !set {
			_ = os.Setenv(k, "OFF")
		}
	}
}
