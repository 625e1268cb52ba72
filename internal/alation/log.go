package alation

import "context"

// Logger receives the client's logs. The provider bridges it to tflog; the
// context is the one the request was made with. Every string the client
// logs has already had its secrets masked.
type Logger interface {
	Trace(ctx context.Context, msg string, fields map[string]any)
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Trace(context.Context, string, map[string]any) {}
func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}
