// Command alationfake serves the in-memory Alation emulator on a local port,
// for demos and manual testing of the provider.
//
// It prints the settings a provider needs as shell commands on stdout:
//
//	export ALATION_BASE_URL=http://127.0.0.1:41234
//	export ALATION_API_ACCESS_TOKEN=...
//
// and, on stderr, the other demo credentials and the data sources, schemas
// and tables it holds. It runs until interrupted (SIGINT or SIGTERM); the
// catalog lives in memory, so a restart resets it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return // -help printed the usage, as asked
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "alationfake:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, then shuts down cleanly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("alationfake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	latency := fs.Duration("latency", 0, "delay added to every request, e.g. 50ms")
	seed := fs.String("seed", "demo", `initial catalog: "demo" or "none"`)
	auth := addAuthFlags(fs)
	wording := fs.String("sync-error-wording", "documented", `words of the sync's 400/403/404: "documented", "terse" (Django REST framework's defaults, such as "Not found.") or "field-keyed" ({"table": ["This field is required."]})`)
	addrFile := fs.String("addr-file", "", "write the base URL to this file once listening")
	verbose := fs.Bool("v", false, "log every request to stderr")
	modes := addModeFlags(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageIntro)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	wd, err := syncErrorWording(*wording)
	if err != nil {
		return err
	}
	if err := modes.check(); err != nil {
		return err
	}

	f := alationfake.New()
	f.SetErrorWording(wd)
	f.SetLatency(*latency)
	if err := auth.apply(f); err != nil {
		return err
	}
	var token string
	switch *seed {
	case "demo":
		token = f.SeedDemo()
	case "none", "":
	default:
		return fmt.Errorf(`-seed must be "demo" or "none", not %q`, *seed)
	}
	if described := modes.apply(f); described != "" {
		fmt.Fprintln(stderr, "alationfake: modes:", described)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	baseURL := "http://" + ln.Addr().String()

	var h http.Handler = f
	if *verbose {
		h = logRequests(f, log.New(stderr, "", log.LstdFlags|log.Lmicroseconds))
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}

	// Announce first: a script that waits for the address file may then
	// read the environment at once.
	announce(stdout, stderr, baseURL, token, f.Inventory())
	if *addrFile != "" {
		if err := writeFileAtomic(*addrFile, baseURL+"\n"); err != nil {
			_ = ln.Close()
			return err
		}
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "alationfake: shutting down")
	f.Close() // cut short any latency or fault delay in progress
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// syncErrorWording is the wording a -sync-error-wording value names.
func syncErrorWording(name string) (alationfake.ErrorWording, error) {
	for _, wd := range []alationfake.ErrorWording{alationfake.WordingDocumented, alationfake.WordingTerse(""), alationfake.WordingFieldKeyed} {
		if wd.String() == name {
			return wd, nil
		}
	}
	return alationfake.ErrorWording{}, fmt.Errorf(`-sync-error-wording must be "documented", "terse" or "field-keyed", not %q`, name)
}

// writeFileAtomic writes content to path through a temporary file, so that a
// script polling for path never reads it half written.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".alationfake-addr-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// statusWriter remembers the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request once it has been answered.
func logRequests(next http.Handler, l *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		l.Printf("%s %s %d %s", r.Method, r.URL.RequestURI(), sw.status, time.Since(start).Round(time.Microsecond))
	})
}
