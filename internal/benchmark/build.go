package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// moduleRoot is the directory of the provider's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run the benchmark from inside the provider's repository (no go.mod found)")
	}
	return filepath.Dir(mod), nil
}

// buildProvider builds the provider as a release would (trimmed paths, no
// symbol table, no cgo) into binDir and returns the binary's resolved path.
// pkg is "." (main.go) or the profiling build.
func buildProvider(ctx context.Context, root, pkg, binDir string) (string, error) {
	exe := filepath.Join(binDir, "terraform-provider-alation")
	ldflags := "-s -w -X main.version=bench"
	if pkg != "." {
		ldflags = "" // keep symbols for the profiles
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", ldflags, "-o", exe, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %v\n%s", err, out)
	}
	return filepath.EvalSymlinks(exe)
}
