package provider

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestCollectLessOftenUnlessAsked(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	CollectLessOftenUnlessAsked()
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("GC percent %d, want %d", got, gcPercent)
	}
	t.Setenv("GOGC", "50") // the runtime read it at start; the function must not override it
	CollectLessOftenUnlessAsked()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set, yet the GC percent changed to %d", got)
	}
}

// unsetLogEnv unsets every variable QuietLogsUnlessAsked reads or sets,
// and restores them after the test: one left OFF would silence the
// provider's logs in every later test of the package.
func unsetLogEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_ALATION"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

func TestQuietLogsUnlessAsked(t *testing.T) {
	unsetLogEnv(t)
	t.Setenv("TF_LOG_SDK_PROTO", "DEBUG") // explicitly asked for: kept
	QuietLogsUnlessAsked()
	for k, want := range map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER_ALATION": "OFF", "TF_LOG_SDK_PROTO": "DEBUG"} {
		if got := os.Getenv(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestQuietLogsUnlessAsked_TFLogKeepsEverything(t *testing.T) {
	unsetLogEnv(t)
	t.Setenv("TF_LOG", "TRACE")
	QuietLogsUnlessAsked()
	if v, set := os.LookupEnv("TF_LOG_SDK"); set {
		t.Errorf("TF_LOG=TRACE, yet TF_LOG_SDK was set to %q", v)
	}
}

// TF_LOG=off keeps no logs, so the SDK's must go too.
func TestQuietLogsUnlessAsked_TFLogOff(t *testing.T) {
	unsetLogEnv(t)
	t.Setenv("TF_LOG", "off")
	QuietLogsUnlessAsked()
	if got := os.Getenv("TF_LOG_SDK"); got != "OFF" {
		t.Errorf("TF_LOG=off, yet TF_LOG_SDK = %q", got)
	}
}
