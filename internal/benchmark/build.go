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
	ldflags := "-s -w -X main.version=bench"
	if pkg != "." {
		ldflags = "" // keep symbols for the profiles
	}
	return buildBinary(ctx, root, pkg, filepath.Join(binDir, "terraform-provider-alation"), ldflags)
}

// buildFrameworkFloor builds the minimal framework provider
// (internal/benchmark/frameworkfloor) into binDir, as a release would.
func buildFrameworkFloor(ctx context.Context, root, binDir string) (string, error) {
	return buildBinary(ctx, root, "./internal/benchmark/frameworkfloor", filepath.Join(binDir, "terraform-provider-floor"), "-s -w")
}

func buildBinary(ctx context.Context, root, pkg, exe, ldflags string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", ldflags, "-o", exe, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building %s: %v\n%s", pkg, err, out)
	}
	return filepath.EvalSymlinks(exe)
}
