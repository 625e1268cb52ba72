package alationfake

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Alation does not redirect its API calls, nor loop its paging links, but
// what stands in front of it may: a proxy that sends clients to another
// host, or one that rewrites X-Next-Page badly. The fake can play both.

// redirect is one rule of SetRedirect.
type redirect struct {
	from, to string
	status   int
}

// SetRedirect answers every request whose path (as it arrives, prefix
// included) starts with from with status and a Location of to followed by
// the rest of the path and the query, as a proxy moving an API elsewhere
// would: SetRedirect("/", 307, other+"/") sends everything to the fake at
// other; SetRedirect("/old/", 308, "/") moves /old/... on the same host.
// The request is logged here and not handled (a queued fault for it
// stays queued). A status of zero removes the rule for from.
func (f *Fake) SetRedirect(from string, status int, to string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rules := f.redirects[:0]
	for _, rd := range f.redirects {
		if rd.from != from {
			rules = append(rules, rd)
		}
	}
	if status != 0 {
		rules = append(rules, redirect{from: from, to: to, status: status})
	}
	f.redirects = rules
}

// serveRedirect answers r with the first rule that matches it, if any.
func (f *Fake) serveRedirect(w http.ResponseWriter, r *http.Request) bool {
	f.mu.Lock()
	var rd redirect
	for _, rule := range f.redirects {
		if strings.HasPrefix(r.URL.Path, rule.from) {
			rd = rule
			break
		}
	}
	f.mu.Unlock()
	if rd.status == 0 {
		return false
	}
	loc := rd.to + strings.TrimPrefix(r.URL.Path, rd.from)
	if r.URL.RawQuery != "" {
		loc += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", loc)
	writeHTML(w, rd.status, fmt.Sprintf("<html><body><a href=%q>%s</a>.</body></html>\n", loc, http.StatusText(rd.status)))
	return true
}

// PagingLoop is a way for the listings' X-Next-Page links never to end.
type PagingLoop int

const (
	// NoPagingLoop pages as Alation does. The default.
	NoPagingLoop PagingLoop = iota
	// LoopSamePage names the page just served as the next one, on every
	// page: its own query, skip first (skip=0 on the first page), then
	// limit when the request gave one, then the rest.
	LoopSamePage
	// LoopRepeatRows sends a link that advances skip by the page size on
	// every page, and serves the first page's rows on each of them.
	LoopRepeatRows
	// LoopBackToFirst pages as usual, but the last page links back to the
	// first (skip=0).
	LoopBackToFirst
)

// SetPagingLoop makes every listing (tables, schemas, data sources) loop
// its X-Next-Page links that way.
func (f *Fake) SetPagingLoop(loop PagingLoop) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pagingLoop = loop
}

func (f *Fake) currentPagingLoop() PagingLoop {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pagingLoop
}

// loopPage is what writePage serves under loop: the rows [start, end) and
// the next page's query ("" for none), given the honest answer's.
func loopPage(loop PagingLoop, q listQuery, start, end, total int, next string) (int, int, string) {
	switch loop {
	case LoopSamePage:
		first := url.Values{"skip": {strconv.Itoa(q.skip)}}.Encode()
		if q.vals.Has("limit") {
			first += "&" + url.Values{"limit": q.vals["limit"]}.Encode()
		}
		rest := url.Values{}
		for k, v := range q.vals {
			if k != "skip" && k != "limit" {
				rest[k] = v
			}
		}
		if len(rest) > 0 {
			first += "&" + rest.Encode()
		}
		return start, end, first
	case LoopRepeatRows:
		size := q.limit
		if size <= 0 {
			size = total // an unpaged listing
		}
		return 0, min(size, total), withSkip(q, q.skip+max(size, 1))
	case LoopBackToFirst:
		if next == "" {
			return start, end, withSkip(q, 0)
		}
	}
	return start, end, next
}

// withSkip is q's query with skip set, and limit when there is one.
func withSkip(q listQuery, skip int) string {
	next := url.Values{}
	for k, v := range q.vals {
		next[k] = v
	}
	if q.limit > 0 {
		next.Set("limit", strconv.Itoa(q.limit))
	}
	next.Set("skip", strconv.Itoa(skip))
	return next.Encode()
}
