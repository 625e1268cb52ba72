package alation

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
)

// Only Server Admins may list hidden data sources (include_hidden=true on
// the data source listings, Alation's docs); what anyone else gets is not
// documented: a 403, a 400, or an answer that leaves hidden sources out
// without a word. A Catalog Admin may still sync, so its look-ups must
// work: a refused include_hidden is asked again without it, once, and the
// client remembers not to ask again (any listing after a 403, which is
// about the role; that listing after a 400, which may be about the
// endpoint: at most one more request per listing endpoint).

// HiddenSearch says whether a listing of data sources searched the sources
// hidden in Alation's UI.
type HiddenSearch int

const (
	// HiddenMaybeSearched: Alation took include_hidden=true but listed no
	// hidden source, so either there is none, or it left them out without
	// saying so (as it may for a user who is not a Server Admin).
	HiddenMaybeSearched HiddenSearch = iota
	// HiddenSearched: a hidden source was listed, so they all were.
	HiddenSearched
	// HiddenNotSearched: Alation refused include_hidden=true to these
	// credentials (only Server Admins may ask), and the sources were
	// listed without it.
	HiddenNotSearched
)

// hiddenRefusals is where Alation refused include_hidden=true: a 403 is
// about the role, so it holds for every listing; a 400 may also mean that
// one endpoint does not take the parameter, so it holds for that one.
type hiddenRefusals struct {
	mu        sync.Mutex
	forRole   bool
	endpoints map[string]bool
}

func (h *hiddenRefusals) refused(path string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.forRole || h.endpoints[path]
}

func (h *hiddenRefusals) record(path string, status int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if status == http.StatusForbidden {
		h.forRole = true
	}
	if h.endpoints == nil {
		h.endpoints = map[string]bool{}
	}
	h.endpoints[path] = true
}

func (h *hiddenRefusals) any() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.forRole || len(h.endpoints) > 0
}

// listWithHidden lists a data source endpoint with include_hidden=true,
// or, once Alation has refused that (403 or 400), without it.
func (c *Client) listWithHidden(ctx context.Context, path string) ([]DataSource, error) {
	if !c.hidden.refused(path) {
		r := request{method: "GET", path: path, query: url.Values{"include_hidden": {"true"}}, roleGated: true}
		all, err := listAll[DataSource](ctx, c, r)
		if !refusesIncludeHidden(err) {
			return all, err
		}
		c.hidden.record(path, StatusCode(err))
		c.log.Debug(ctx, "Alation refused include_hidden=true, which only Server Admins may send; listing data sources without it, so hidden sources are not searched", map[string]any{
			"path": path, "status": StatusCode(err), "error": err.Error(),
		})
	}
	return listAll[DataSource](ctx, c, request{method: "GET", path: path})
}

// refusesIncludeHidden reports whether err is how Alation may refuse
// include_hidden=true: a 403 (not a Server Admin) or a 400 (a parameter
// this user may not send). Asking once more without it tells whether it
// was that: a refusal of the credentials comes back.
func refusesIncludeHidden(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.StatusCode == http.StatusForbidden || e.StatusCode == http.StatusBadRequest)
}

// hiddenSearch says whether the listing all searched hidden sources.
func (c *Client) hiddenSearch(all []DataSource) HiddenSearch {
	if c.hidden.any() {
		return HiddenNotSearched
	}
	for _, ds := range all {
		if ds.IsHidden.Value {
			return HiddenSearched
		}
	}
	return HiddenMaybeSearched
}

// HiddenSourcesRefused reports whether Alation refused to list hidden
// data sources to these credentials, on any listing.
func (c *Client) HiddenSourcesRefused() bool { return c.hidden.any() }
