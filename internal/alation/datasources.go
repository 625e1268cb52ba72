package alation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// API versions a data source can be served under.
const (
	// APIv2 is /integration/v2/datasource/: Open Connector Framework sources.
	APIv2 = "v2"
	// APIv1 is /integration/v1/datasource/: older native connectors and
	// relational virtual sources.
	APIv1 = "v1"
)

// DataSource is a data source as the Integration API lists it. The v1 and v2
// endpoints return different field sets (OCF sources may leave out dbtype,
// host, port...), so every field that is not always there is nullable.
type DataSource struct {
	ID          FlexInt    `json:"id"`
	Title       string     `json:"title"`
	Description FlexString `json:"description"`
	DBType      FlexString `json:"dbtype"`
	Host        FlexString `json:"host"`
	Port        NullInt    `json:"port"`
	URI         FlexString `json:"uri"`
	DBName      FlexString `json:"dbname"`
	URL         string     `json:"url"`
	ConnectorID NullInt    `json:"connector_id"`
	IsVirtual   NullBool   `json:"is_virtual"`
	IsHidden    NullBool   `json:"is_hidden"`
	Private     NullBool   `json:"private"`
	Deleted     NullBool   `json:"deleted"`
	// DeploymentSetupComplete is false for a source whose set-up in
	// Alation was never finished.
	DeploymentSetupComplete NullBool `json:"deployment_setup_complete"`

	// APIVersion is where the source was found: APIv1 or APIv2. It is not
	// part of Alation's answer.
	APIVersion string `json:"-"`
}

// String names the source for messages: `"Snowflake Prod" (id 8, v2)`.
func (d DataSource) String() string {
	return fmt.Sprintf("%q (id %d, %s)", d.Title, int64(d.ID), d.APIVersion)
}

// NullInt decodes null or absent (Valid false), a JSON number, or a numeric
// string. Anything else is kept as invalid rather than failing the decode.
type NullInt struct {
	Value int64
	Valid bool
}

func (n *NullInt) UnmarshalJSON(data []byte) error {
	*n = NullInt{}
	text := strings.TrimSpace(rawText(bytes.TrimSpace(data)))
	if text == "" {
		return nil
	}
	if v, err := strconv.ParseInt(text, 10, 64); err == nil {
		*n = NullInt{Value: v, Valid: true}
		return nil
	}
	var f float64
	if json.Unmarshal(data, &f) == nil {
		*n = NullInt{Value: int64(f), Valid: true}
	}
	return nil
}

// NullBool decodes null or absent (Valid false), a JSON boolean, or the
// strings "true"/"false". Anything else is kept as invalid.
type NullBool struct {
	Value bool
	Valid bool
}

func (b *NullBool) UnmarshalJSON(data []byte) error {
	*b = NullBool{}
	if v, err := strconv.ParseBool(strings.TrimSpace(rawText(bytes.TrimSpace(data)))); err == nil {
		*b = NullBool{Value: v, Valid: true}
	}
	return nil
}

// dataSourcePaths maps an API version to its list endpoint.
var dataSourcePaths = map[string]string{APIv2: pathV2DataSources, APIv1: pathV1DataSources}

// ListDataSources lists the data sources of one API version (APIv1 or
// APIv2), following X-Next-Page. Sources hidden in Alation's UI are
// included when Alation lets these credentials list them (Server Admins
// only; see HiddenSearch): they are real sources, only left out of
// Alation's own lists.
func (c *Client) ListDataSources(ctx context.Context, apiVersion string) ([]DataSource, error) {
	p, ok := dataSourcePaths[apiVersion]
	if !ok {
		return nil, fmt.Errorf("unknown data source API version %q", apiVersion)
	}
	all, err := c.listWithHidden(ctx, p)
	if err != nil {
		return nil, err
	}
	for i := range all {
		all[i].APIVersion = apiVersion
	}
	return all, nil
}

// ListAllDataSources lists the sources of both APIs, v2 first. An Alation
// without one of the two APIs (a 404 from its list endpoint) counts as having
// no source there; when both answer 404 the v2 error is returned.
func (c *Client) ListAllDataSources(ctx context.Context) ([]DataSource, error) {
	v2, err2 := c.ListDataSources(ctx, APIv2)
	if err2 != nil && StatusCode(err2) != http.StatusNotFound {
		return nil, err2
	}
	v1, err1 := c.ListDataSources(ctx, APIv1)
	if err1 != nil && StatusCode(err1) != http.StatusNotFound {
		return nil, err1
	}
	if err1 != nil && err2 != nil {
		return nil, err2
	}
	return append(v2, v1...), nil
}

// GetDataSource reads one source by id from /integration/v2/datasource/{id}/,
// then from /integration/v1/datasource/{id}/ when v2 answers 404 (Alation
// serves each source under one API only). Not found under either is a
// *NotFoundError.
func (c *Client) GetDataSource(ctx context.Context, id int64) (*DataSource, error) {
	if id <= 0 {
		return nil, &NotFoundError{Kind: "data source", What: fmt.Sprintf("id %d", id)}
	}
	for _, v := range []string{APIv2, APIv1} {
		var ds DataSource
		p := dataSourcePaths[v] + strconv.FormatInt(id, 10) + "/"
		err := c.call(ctx, request{method: "GET", path: p}, &ds)
		if StatusCode(err) == http.StatusNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if int64(ds.ID) != id {
			return nil, &ResponseError{Method: "GET", Path: p, StatusCode: http.StatusOK,
				Err: fmt.Errorf("asked for data source %d, got id %d", id, int64(ds.ID))}
		}
		ds.APIVersion = v
		return &ds, nil
	}
	return nil, &NotFoundError{Kind: "data source", What: fmt.Sprintf("id %d", id)}
}

// FindDataSourceByTitle finds the one source whose title is exactly title
// (case and spaces included) among the sources of both APIs. Sources flagged
// deleted are set aside when a live source has the title too.
//
// No match is a *DataSourceNotFoundError and several are an
// *AmbiguousDataSourceError; both carry what Alation listed.
func (c *Client) FindDataSourceByTitle(ctx context.Context, title string) (*DataSource, error) {
	all, err := c.ListAllDataSources(ctx)
	if err != nil {
		return nil, err
	}
	var matches, live []DataSource
	for _, ds := range all {
		if ds.Title == title {
			matches = append(matches, ds)
			if !ds.Deleted.Value {
				live = append(live, ds)
			}
		}
	}
	if len(matches) > 1 && len(live) > 0 {
		matches = live
	}
	switch len(matches) {
	case 0:
		return nil, &DataSourceNotFoundError{Title: title, Listed: all, Hidden: c.hiddenSearch(all)}
	case 1:
		return &matches[0], nil
	default:
		return nil, &AmbiguousDataSourceError{Title: title, Matches: matches}
	}
}

// DataSourceNotFoundError says that no source has the title looked for, and
// lists every source Alation returned. errors.As finds a *NotFoundError in
// it, so IsNotFound reports true.
type DataSourceNotFoundError struct {
	Title  string
	Listed []DataSource
	// Hidden says whether the listing searched hidden sources.
	Hidden HiddenSearch
}

func (e *DataSourceNotFoundError) Error() string {
	return fmt.Sprintf("no data source in the catalog is titled %q (%d listed)", e.Title, len(e.Listed))
}

func (e *DataSourceNotFoundError) Unwrap() error {
	return &NotFoundError{Kind: "data source", What: fmt.Sprintf("title %q", e.Title)}
}

// AmbiguousDataSourceError says that several sources have the same title.
type AmbiguousDataSourceError struct {
	Title   string
	Matches []DataSource
}

func (e *AmbiguousDataSourceError) Error() string {
	names := make([]string, len(e.Matches))
	for i, m := range e.Matches {
		names[i] = m.String()
	}
	return fmt.Sprintf("%d data sources are titled %q: %s", len(e.Matches), e.Title, strings.Join(names, ", "))
}

// IsAmbiguous reports whether err is an *AmbiguousDataSourceError.
func IsAmbiguous(err error) bool {
	var a *AmbiguousDataSourceError
	return errors.As(err, &a)
}
