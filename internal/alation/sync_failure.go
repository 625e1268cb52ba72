package alation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Alation documents the causes of the sync's 400, 403 and 404, not the words
// it sends with them, so what a refusal means is decided from what can be
// known: its status, the fields a field-keyed 400 names, and for a 404 a
// cheap read of the catalog (does it know the data source, and the schema?).
// Alation's words, when they are recognisable, are a hint where no read can
// tell.

// SyncCause is what a refused sync means, as far as it can be known.
type SyncCause int

const (
	// CauseUnknown: nothing tells which of the status's causes it is.
	CauseUnknown SyncCause = iota
	// CauseTableNotInSource: the catalog knows the data source and the
	// schema, so the table is what the data source lacks (404). Only this
	// can heal by waiting.
	CauseTableNotInSource
	// CauseDataSourceUnknown: the catalog has no such data source, or not
	// one the token's user may see (404).
	CauseDataSourceUnknown
	// CauseSchemaNotCatalogued: the data source exists, the schema is not
	// in its catalog: no metadata extraction has catalogued it (404).
	CauseSchemaNotCatalogued
	// CauseDataSourceOrSchema: Alation's words say the data source or the
	// schema is invalid, and the catalog could not be read to tell which.
	CauseDataSourceOrSchema
	// CauseSchemaExcluded: the schema is excluded from the catalog (400).
	CauseSchemaExcluded
	// CauseInvalidValue: a value of the request is missing or invalid (400).
	CauseInvalidValue
	// CauseNotAdmin: the token's user may not trigger syncs (403).
	CauseNotAdmin
	// CauseServiceAccount: the data source's service account cannot see
	// the table (403).
	CauseServiceAccount
)

var causeNames = [...]string{"unknown", "table not in source", "data source unknown", "schema not catalogued",
	"data source or schema", "schema excluded", "invalid value", "not admin", "service account"}

func (c SyncCause) String() string {
	if int(c) < len(causeNames) {
		return causeNames[c]
	}
	return strconv.Itoa(int(c))
}

// SyncFailure is a sync Alation refused with 400, 403 or 404, and what the
// refusal means. It wraps Alation's answer, so errors.As finds the
// *APIError in it.
type SyncFailure struct {
	Input SyncTableInput
	Cause SyncCause
	// FromCatalog means the cause was read from the catalog, not taken
	// from Alation's words.
	FromCatalog bool
	// Schemas are the data source's catalogued schemas, one page of them,
	// for CauseSchemaNotCatalogued; SchemasTruncated means there are more.
	Schemas          []CatalogSchema
	SchemasTruncated bool
	// LookupErr is the read of the catalog that failed, leaving the cause
	// to Alation's words.
	LookupErr error
	Err       *APIError
}

func (f *SyncFailure) Error() string { return f.Err.Error() }

func (f *SyncFailure) Unwrap() error { return f.Err }

// again is f for a later, identical refusal: its meaning is not read again.
func (f *SyncFailure) again(err error) error {
	g := *f
	if !errors.As(err, &g.Err) {
		return err
	}
	return &g
}

// SyncCauseOf is what err, a failed sync, means: the client's reading of it
// when err came from SyncTableWaiting, else what Alation's answer says.
func SyncCauseOf(err error) SyncCause {
	var f *SyncFailure
	if errors.As(err, &f) {
		return f.Cause
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return causeFromAnswer(ae)
	}
	return CauseUnknown
}

// IsTableNotInSource reports whether err means that the data source does
// not (yet) have the table, as opposed to an unknown data source or schema,
// which waiting cannot fix.
func IsTableNotInSource(err error) bool {
	return StatusCode(err) == http.StatusNotFound && SyncCauseOf(err) == CauseTableNotInSource
}

// causeFromAnswer reads a refusal's fields and words. It is the only
// place that looks at the words.
func causeFromAnswer(e *APIError) SyncCause {
	d := strings.ToLower(e.Detail)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(d, w) {
				return true
			}
		}
		return false
	}
	switch e.StatusCode {
	case http.StatusBadRequest:
		switch {
		case has("exclu"):
			return CauseSchemaExcluded
		case len(e.Fields) > 0 || has("datasource_id", "table_type", "required", "missing", "invalid value"):
			return CauseInvalidValue
		}
	case http.StatusForbidden:
		switch {
		case has("admin"):
			return CauseNotAdmin
		case has("service account", "privilege", "permission to view", "permission to read"):
			return CauseServiceAccount
		}
	case http.StatusNotFound:
		switch {
		case has("table not found"):
			return CauseTableNotInSource
		case has("data source", "datasource", "schema"):
			return CauseDataSourceOrSchema
		}
	}
	return CauseUnknown
}

// explainSyncFailure turns a sync's 400, 403 or 404 into a *SyncFailure;
// any other error is returned as it is. Only a 404 costs requests (one to
// four single-attempt reads; see readCause).
func (c *Client) explainSyncFailure(ctx context.Context, in SyncTableInput, err error) error {
	var ae *APIError
	if !errors.As(err, &ae) || IsBlockingFailure(err) {
		return err
	}
	switch ae.StatusCode {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound:
	default:
		return err
	}
	f := &SyncFailure{Input: in, Cause: causeFromAnswer(ae), Err: ae}
	if ae.StatusCode == http.StatusNotFound && ctx.Err() == nil {
		c.readCause(withSingleAttempt(ctx), f)
	}
	fields := map[string]any{"table": in.String(), "status": ae.StatusCode, "cause": f.Cause.String(), "from_catalog": f.FromCatalog}
	if f.LookupErr != nil {
		fields["lookup_error"] = f.LookupErr.Error()
	}
	c.log.Debug(ctx, "Read what the sync's refusal means", fields)
	return f
}

// readCause asks the catalog which part of a 404'd sync it lacks: the
// schema (one read, the commonest answer: it is there, so the table is
// missing), else the data source's schemas (one read, which also gives the
// case hints), else, when it has none, the data source by id. A read that
// fails leaves the cause to Alation's words.
func (c *Client) readCause(ctx context.Context, f *SyncFailure) {
	in := f.Input
	known, err := c.schemaNamed(ctx, in.DatasourceID, in.Schema)
	if err != nil {
		f.LookupErr = err
		return
	}
	if known {
		f.Cause, f.FromCatalog = CauseTableNotInSource, true
		return
	}
	schemas, truncated, err := c.schemaPage(ctx, in.DatasourceID)
	if err != nil {
		f.LookupErr = err
		return
	}
	if len(schemas) == 0 {
		_, err := c.GetDataSource(ctx, in.DatasourceID)
		switch {
		case IsNotFound(err):
			f.Cause, f.FromCatalog = CauseDataSourceUnknown, true
			return
		case err != nil:
			f.LookupErr = err
			return
		}
	}
	f.Cause, f.FromCatalog = CauseSchemaNotCatalogued, true
	f.Schemas, f.SchemasTruncated = schemas, truncated
}

// schemaNamed reports whether data source dsID has a catalogued schema of
// exactly that name. A listing that ignored the name filter and has more
// pages cannot tell: that is an error, not a no.
func (c *Client) schemaNamed(ctx context.Context, dsID int64, name string) (bool, error) {
	var rows []CatalogSchema
	q := url.Values{"ds_id": {strconv.FormatInt(dsID, 10)}, "name": {name}}
	hdr, err := c.callHeader(ctx, request{method: "GET", path: pathSchemas, query: q}, &rows)
	if err != nil {
		return false, err
	}
	for _, s := range rows {
		if int64(s.DSID) == dsID && s.Name == name {
			return true, nil
		}
	}
	if hdr.Get("X-Next-Page") != "" {
		return false, fmt.Errorf("GET %s?%s answered %d schemas, none named %q, and more pages: it did not filter by name",
			pathSchemas, q.Encode(), len(rows), name)
	}
	return false, nil
}

// schemaPage reads the first page (hintPageSize rows) of data source dsID's
// schemas; truncated means it has more, or may have (a full page).
func (c *Client) schemaPage(ctx context.Context, dsID int64) (schemas []CatalogSchema, truncated bool, err error) {
	q := url.Values{"ds_id": {strconv.FormatInt(dsID, 10)}, "limit": {strconv.Itoa(hintPageSize)}}
	hdr, err := c.callHeader(ctx, request{method: "GET", path: pathSchemas, query: q}, &schemas)
	if err != nil {
		return nil, false, err
	}
	// Trust only rows of that source: a server that ignores the filter
	// must not make another source's schema look like this one's.
	own := schemas[:0]
	for _, s := range schemas {
		if int64(s.DSID) == dsID {
			own = append(own, s)
		}
	}
	return own, hdr.Get("X-Next-Page") != "" || len(schemas) >= hintPageSize, nil
}
