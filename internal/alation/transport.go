package alation

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"time"
)

// limitTransport caps the requests in flight across every caller of one
// Client. A slot is held until the response body is closed, so the server
// never sees more than the cap at once.
type limitTransport struct {
	sem  chan struct{}
	next http.RoundTripper
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case t.sem <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		<-t.sem
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: func() { <-t.sem }}
	return resp, nil
}

type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// maxLoggedBody caps the body text written to TRACE logs.
const maxLoggedBody = 4096

// logTransport logs each exchange: method, path, status and duration at
// DEBUG; headers and bodies at TRACE. Credential headers are never logged
// and every known secret is masked in bodies.
type logTransport struct {
	client *Client
	next   http.RoundTripper
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	log := t.client.log
	path := req.URL.Path
	if req.URL.RawQuery != "" {
		path += "?" + req.URL.RawQuery
	}
	if req.Body != nil && req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			data, _ := io.ReadAll(io.LimitReader(body, maxLoggedBody))
			body.Close()
			log.Trace(ctx, "Alation request body", map[string]any{"method": req.Method, "path": path, "headers": t.headers(req.Header), "body": maskSecretFields(t.client.redact(string(data)))})
		}
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields := map[string]any{"method": req.Method, "path": path, "duration_ms": time.Since(start).Milliseconds()}
	if err != nil {
		fields["error"] = t.client.redact(err.Error())
		log.Debug(ctx, "Alation request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode
	log.Debug(ctx, "Alation request", fields)
	// Bodies are buffered for TRACE only up to the logging cap; the rest
	// streams through untouched.
	head := make([]byte, maxLoggedBody)
	n, _ := io.ReadFull(resp.Body, head)
	head = head[:n]
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	log.Trace(ctx, "Alation response body", map[string]any{"method": req.Method, "path": path, "status": resp.StatusCode,
		"content_type": resp.Header.Get("Content-Type"), "body": maskSecretFields(t.client.redact(string(head)))})
	return resp, nil
}

// headers renders request headers for logs with credentials masked.
func (t *logTransport) headers(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		switch http.CanonicalHeaderKey(k) {
		case "Token", "Authorization", "Cookie":
			out[k] = "***"
		default:
			if len(v) > 0 {
				out[k] = t.client.redact(v[0])
			}
		}
	}
	return out
}
