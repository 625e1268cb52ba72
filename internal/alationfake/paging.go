package alationfake

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Alation can be served under a path (a reverse proxy's
// https://host/alation/), and does not document the form of its
// X-Next-Page links. The fake can play each combination, so that a client
// is tested against all of them.

// PagingLink is the form of the X-Next-Page links the listings send.
type PagingLink int

const (
	// LinkPath is the endpoint's path and query without the path prefix,
	// "/integration/v2/table/?limit=100&skip=100". The default.
	LinkPath PagingLink = iota
	// LinkPrefixedPath starts with the path prefix,
	// "/alation/integration/v2/table/?limit=100&skip=100".
	LinkPrefixedPath
	// LinkAbsoluteURL is the whole URL the fake is reached at,
	// "https://127.0.0.1:41234/alation/integration/v2/table/?limit=100&skip=100".
	LinkAbsoluteURL
)

func (l PagingLink) String() string {
	switch l {
	case LinkPath:
		return "path"
	case LinkPrefixedPath:
		return "prefixed path"
	case LinkAbsoluteURL:
		return "absolute URL"
	}
	return fmt.Sprintf("PagingLink(%d)", int(l))
}

// SetPathPrefix serves the API under prefix, such as "/alation": a
// client's base URL is then the server's URL followed by the prefix. A
// request outside it is answered 404 with an HTML page, as a proxy would.
// The request log and QueueFaults take paths as they arrive, prefix
// included. "" (the default) or "/" serves the API at the root.
func (f *Fake) SetPathPrefix(prefix string) {
	prefix = strings.TrimRight(prefix, "/")
	if prefix != "" && !strings.HasPrefix(prefix, "/") {
		prefix = "/" + prefix
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pathPrefix = prefix
}

// SetPagingLink chooses the form of the X-Next-Page links.
func (f *Fake) SetPagingLink(form PagingLink) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pagingLink = form
}

// underPrefix returns r as the API sees it: its path without the prefix.
// It is false when r is outside the prefix.
func underPrefix(r *http.Request, prefix string) (*http.Request, bool) {
	if prefix == "" {
		return r, true
	}
	rest, ok := strings.CutPrefix(r.URL.Path, prefix)
	if !ok || !strings.HasPrefix(rest, "/") {
		return nil, false
	}
	api := new(http.Request)
	*api = *r
	api.URL = new(url.URL)
	*api.URL = *r.URL
	api.URL.Path, api.URL.RawPath = rest, ""
	return api, true
}

// linkBase is what X-Next-Page links put before an endpoint's path.
func (f *Fake) linkBase(r *http.Request) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch f.pagingLink {
	case LinkPrefixedPath:
		return f.pathPrefix
	case LinkAbsoluteURL:
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		return scheme + "://" + r.Host + f.pathPrefix
	}
	return ""
}
