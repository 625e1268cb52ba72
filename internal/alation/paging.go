package alation

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strings"
)

// Alation's list endpoints answer one page a call: 100 rows, or as many as
// the call's limit asks up to MaxPageSize, from its skip on. The next page's
// address is in the X-Next-Page header, absent on the last page.

// MaxPageSize is the most rows Alation returns in one call.
const MaxPageSize = 1000

// maxPages bounds paging so that a server that always sends X-Next-Page
// cannot keep a caller looping forever.
const maxPages = 10000

// pages yields the items of a list endpoint in order, one request a page,
// following X-Next-Page. A page is requested only when the loop wants its
// first item, so a loop that breaks early reads no further page. An error
// is the last thing yielded.
func pages[T any](ctx context.Context, c *Client, path string, q url.Values) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		r := request{method: "GET", path: path, query: q}
		for range maxPages {
			var page []T
			h, err := c.callHeader(ctx, r, &page)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range page {
				if !yield(item, nil) {
					return
				}
			}
			next := h.Get("X-Next-Page")
			if next == "" || len(page) == 0 {
				return
			}
			r = request{method: "GET", path: next, link: true}
		}
		yield(zero, fmt.Errorf("GET %s: more than %d pages; stopped", path, maxPages))
	}
}

// listAll GETs every page of a list endpoint.
func listAll[T any](ctx context.Context, c *Client, path string, q url.Values) ([]T, error) {
	var all []T
	for item, err := range pages[T](ctx, c, path, q) {
		if err != nil {
			return nil, err
		}
		all = append(all, item)
	}
	return all, nil
}

// resolveLink turns an X-Next-Page link into a URL to request. Alation
// does not document the link's form, and behind a reverse proxy it may be
// served under a path (base_url https://host/alation), so each plausible
// form is taken:
//   - a path without that prefix ("/integration/v2/table/?skip=100"): the
//     prefix is added, as the link is relative to Alation, not to the host;
//   - a path that starts with the prefix: kept;
//   - an absolute URL: kept, if it is on the base URL's host and scheme.
//
// The request carries the token, so a link to another host, or from https
// to plain http, is refused.
func (c *Client) resolveLink(link string) (*url.URL, error) {
	prefix := c.base.EscapedPath()
	if strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//") && !underPath(link, prefix) {
		link = prefix + link
	}
	ref, err := url.Parse(link)
	if err != nil {
		return nil, fmt.Errorf("bad paging link %q: %v", link, err)
	}
	// A path-relative link ("table/?skip=100") is relative to Alation too:
	// resolve it below the prefix, not beside it.
	dir := *c.base
	dir.Path += "/"
	u := dir.ResolveReference(ref)
	if u.Host != c.base.Host {
		return nil, fmt.Errorf("refusing to follow a paging link to another host (%s)", u.Host)
	}
	if u.Scheme != c.base.Scheme {
		return nil, fmt.Errorf("refusing to follow a paging link from %s to %s (%s)", c.base.Scheme, u.Scheme, u.Host)
	}
	return u, nil
}

// underPath reports whether link's path is prefix or lies below it; every
// link lies below an empty prefix.
func underPath(link, prefix string) bool {
	rest, ok := strings.CutPrefix(link, prefix)
	return ok && (rest == "" || strings.ContainsAny(rest[:1], "/?#"))
}
