package alation

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// Alation documents "a hard limit of 1,000 objects on all API calls, even
// when using pagination" (the admin setting alation.api.catalog.limit).
// Whether that caps one call or a whole paged listing is not known. If it
// caps the listing, the page that reaches the cap simply has no next link,
// and a schema of 3,000 tables lists as 1,000. A listing that ends without
// a next link on a whole number of 1,000-row pages (rows counted from its
// first page's skip) may therefore have been cut short, and whoever reads
// it must not take it as complete: refresh reads the tables it lacks by
// id, the list resource warns, and hints say "among the first 1,000".

// CatalogLimitSetting names the admin setting that caps listings, for
// messages.
const CatalogLimitSetting = "alation.api.catalog.limit"

// ListingEnd is how a listing ended at its last page.
type ListingEnd struct {
	// Ended is true once the last page (one without X-Next-Page) was read.
	Ended bool
	// Pages and Rows are what the listing read, every page together.
	Pages, Rows int
	// MayBeCapped is true when the listing ended on a whole number of
	// MaxPageSize rows (counted from its first page's skip): Alation's cap
	// may have stopped it, and rows past it may exist.
	MayBeCapped bool
}

// listingEnd is the end of a listing whose first page asked q and which
// read rows rows over pages pages.
func listingEnd(q url.Values, pages, rows int) ListingEnd {
	skip, _ := strconv.Atoi(q.Get("skip"))
	through := max(skip, 0) + rows
	return ListingEnd{Ended: true, Pages: pages, Rows: rows, MayBeCapped: rows > 0 && through%MaxPageSize == 0}
}

// TableListing is a listing of tables that tells, once read to its end,
// whether it may have been cut short by Alation's cap.
type TableListing struct {
	ctx context.Context
	c   *Client
	q   url.Values
	end ListingEnd
}

// TableListing lists the tables matching f, pageSize rows a request
// (Alation's default, 100, when zero; at most MaxPageSize). Read it with
// All, then ask End or MayBeCapped.
func (c *Client) TableListing(ctx context.Context, f TableFilter, pageSize int) *TableListing {
	q := f.query()
	if pageSize > 0 {
		q.Set("limit", strconv.Itoa(min(pageSize, MaxPageSize)))
	}
	return &TableListing{ctx: ctx, c: c, q: q}
}

// All yields the tables in Alation's order, following X-Next-Page; a loop
// that breaks early reads no further page.
func (l *TableListing) All() iter.Seq2[CatalogTable, error] {
	return pages[CatalogTable](l.ctx, l.c, request{method: "GET", path: pathTables, query: l.q}, &l.end)
}

// End is how the listing ended; its zero value until All reached the last
// page.
func (l *TableListing) End() ListingEnd { return l.end }

// MayBeCapped reports whether the listing ended where Alation's cap may
// have stopped it.
func (l *TableListing) MayBeCapped() bool { return l.end.MayBeCapped }
