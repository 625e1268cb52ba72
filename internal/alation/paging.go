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

// maxPages bounds paging so that a server that keeps inventing new pages
// cannot keep a caller looping forever.
const maxPages = 10000

// listed is a row of a list endpoint. Its id tells a row already listed
// from a new one; zero means it has none.
type listed interface{ rowID() int64 }

func (d DataSource) rowID() int64   { return int64(d.ID) }
func (t CatalogTable) rowID() int64 { return int64(t.ID) }

// pages yields the items of a list endpoint in order, one request a page,
// following X-Next-Page. A page is requested only when the loop wants its
// first item, so a loop that breaks early reads no further page. An error
// is the last thing yielded.
//
// A link to a page already read, or a page whose every row was listed
// before, means the paging repeats itself (a proxy rewriting the link, or an
// Alation bug): that is a *PagingLoopError at once, not thousands of
// requests. Rows listed before are not yielded again. A listing of one page,
// the usual case, keeps no record.
//
// When end is not nil, it is filled in as the listing ends at its last page
// (not when the loop breaks early, nor on an error).
func pages[T listed](ctx context.Context, c *Client, first request, end *ListingEnd) iter.Seq2[T, error] {
	path, q := first.path, first.query
	return func(yield func(T, error) bool) {
		var zero T
		r := first
		var trail *pageTrail
		rows := 0
		for n := 1; ; n++ { // ends: maxPages
			var page []T
			h, err := c.callHeader(ctx, r, &page)
			if err != nil {
				yield(zero, err)
				return
			}
			rows += len(page)
			fresh := 0
			for _, item := range page {
				if trail.listed(item.rowID()) {
					continue
				}
				fresh++
				if !yield(item, nil) {
					return
				}
			}
			next := h.Get("X-Next-Page")
			switch {
			case next == "" || len(page) == 0:
				if end != nil {
					*end = listingEnd(q, n, rows)
				}
				return
			case fresh == 0:
				yield(zero, c.pagingLoop(path, q, next, n, true))
				return
			case n == maxPages:
				yield(zero, fmt.Errorf("GET %s: more than %d pages; stopped", path, maxPages))
				return
			}
			if trail == nil {
				trail = newPageTrail(c, r, len(page))
			}
			for _, item := range page {
				trail.add(item.rowID())
			}
			var again bool
			if r, again, err = trail.follow(c, next); err != nil || again {
				if again {
					err = c.pagingLoop(path, q, next, n, false)
				}
				yield(zero, err)
				return
			}
		}
	}
}

// pageTrail is what a listing has read, to notice that its paging repeats.
// It is made at the first X-Next-Page: a listing of one page keeps none.
type pageTrail struct {
	rows  map[int64]struct{}  // ids of the rows of the pages before this one
	pages map[string]struct{} // pageKey of every page requested
}

func newPageTrail(c *Client, first request, rows int) *pageTrail {
	u, _ := c.resolve(first)
	return &pageTrail{rows: make(map[int64]struct{}, 2*rows), pages: map[string]struct{}{pageKey(u): {}}}
}

// listed reports whether a row of that id was on an earlier page; rows
// without an id never were.
func (t *pageTrail) listed(id int64) bool {
	if t == nil || id == 0 {
		return false
	}
	_, ok := t.rows[id]
	return ok
}

func (t *pageTrail) add(id int64) {
	if id != 0 {
		t.rows[id] = struct{}{}
	}
}

// follow returns the request for the X-Next-Page link; again is true
// when the link names a page already requested.
func (t *pageTrail) follow(c *Client, link string) (r request, again bool, err error) {
	u, err := c.resolveLink(link)
	if err != nil {
		return request{}, false, err
	}
	key := pageKey(u)
	if _, again = t.pages[key]; again {
		return request{}, true, nil
	}
	t.pages[key] = struct{}{}
	return request{method: "GET", target: u}, false, nil
}

// pageKey names the page u asks for: its path and query, the parameters in
// a fixed order. A page is where it starts: skip=0 is the first page, and
// limit is left out (paging that comes back to an offset with another limit
// repeats itself all the same).
func pageKey(u *url.URL) string {
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return u.EscapedPath() + "?" + u.RawQuery
	}
	q.Del("limit")
	if q.Get("skip") == "0" {
		q.Del("skip")
	}
	return u.EscapedPath() + "?" + q.Encode()
}

// PagingLoopError means a listing's X-Next-Page led back to what had been
// read already: a page requested before, or a page of rows all listed
// before. Following it would never end, so the listing stopped.
type PagingLoopError struct {
	// Path is the endpoint and the first page's query.
	Path string
	// Link is the X-Next-Page that repeated (sanitized, possibly clipped).
	Link string
	// Requests is how many pages were requested.
	Requests int
	// RepeatedRows is true when the last page was new but held only rows
	// already listed; false when Link names a page already requested.
	RepeatedRows bool
}

func (e *PagingLoopError) Error() string {
	return fmt.Sprintf("GET %s: Alation's paging repeated itself: %s; stopped after %d request%s", e.Path, e.Repetition(), e.Requests, plural(e.Requests))
}

// Repetition says what repeated: "page 2 held only rows already listed".
func (e *PagingLoopError) Repetition() string {
	if e.RepeatedRows {
		return fmt.Sprintf("page %d held only rows already listed (its X-Next-Page was %q)", e.Requests, e.Link)
	}
	return fmt.Sprintf("page %d's X-Next-Page, %q, names a page already read", e.Requests, e.Link)
}

func (c *Client) pagingLoop(path string, q url.Values, link string, requests int, rows bool) *PagingLoopError {
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return &PagingLoopError{Path: path, Link: Excerpt([]byte(link), c.redact), Requests: requests, RepeatedRows: rows}
}

// listAll GETs every page of a list endpoint, from the first request r.
func listAll[T listed](ctx context.Context, c *Client, r request) ([]T, error) {
	var all []T
	for item, err := range pages[T](ctx, c, r, nil) {
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
