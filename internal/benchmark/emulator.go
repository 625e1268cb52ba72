package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// Auth modes the benchmark can give the provider.
const (
	authToken   = "token"   // a static API access token
	authRefresh = "refresh" // a refresh token: the provider mints access tokens
	authOAuth   = "oauth"   // OAuth client credentials: the provider mints access tokens
)

// emulator is the in-process Alation emulator with the benchmark's catalog.
type emulator struct {
	fake  *alationfake.Fake
	url   string
	token string // the admin's static access token, which the peer uses
	// env are the provider's ALATION_* settings.
	env map[string]string
}

const benchUser = 1

// startEmulator serves an emulator on loopback with one admin, data source
// benchDS, as many source tables in benchSchema as the cases need, and the
// catalogued schemas of the cases that have one.
func startEmulator(cases []benchCase, auth string) (*emulator, error) {
	f := alationfake.New()
	f.AddUser(benchUser, true)
	f.AddDataSource(alationfake.DataSource{ID: benchDS, Title: "Benchmark", DBType: "snowflake"})
	f.AddSchema(benchDS, benchSchema, false)
	for i := range maxN(cases) {
		f.AddSourceTable(benchDS, benchSchema, tableName(i), "TABLE")
	}
	for _, c := range cases {
		for i := range c.Catalogued { // idempotent: cases of one size share a schema
			f.AddStewardedTable(benchDS, c.schema(), tableName(i))
		}
	}
	e := &emulator{fake: f, token: f.IssueAccessToken(benchUser, 24*time.Hour)}
	e.env = map[string]string{}
	switch auth {
	case authToken:
		e.env["ALATION_API_ACCESS_TOKEN"] = e.token
	case authRefresh:
		e.env["ALATION_REFRESH_TOKEN"] = f.IssueRefreshToken(benchUser, 24*time.Hour)
		e.env["ALATION_USER_ID"] = strconv.Itoa(benchUser)
	case authOAuth:
		f.AddOAuthClient("bench-client", "bench-secret-0123456789", benchUser)
		e.env["ALATION_CLIENT_ID"] = "bench-client"
		e.env["ALATION_CLIENT_SECRET"] = "bench-secret-0123456789"
	default:
		return nil, fmt.Errorf("-auth must be %s, %s or %s, not %q", authToken, authRefresh, authOAuth, auth)
	}
	e.url = f.Start()
	e.env["ALATION_BASE_URL"] = e.url
	return e, nil
}

func (e *emulator) Close() { e.fake.Close() }

// defaultListingCost is the server time the emulator spends on a listing
// in the catalogued cases. Alation publishes no figures; issue 12 reports a
// 1,000-row listing costing seconds of server time where reads by id cost
// milliseconds. 50 ms a request (authentication, permission checks, query
// set-up) and 1 ms a row (a table read with its custom fields, serialized)
// make such a page 1.05 s and a read by id 51 ms. The client measures
// these costs and decides from them, so the dense case's verdict rests on
// them: it lists within Terraform's first wave while a row costs less than
// about a 25th of a read by id; at 50ms:2ms it still did (5 requests), at
// 50ms:3ms it read 20 tables by id first (27 requests). -listing-cost
// changes them.
const defaultListingCost = "50ms:1ms"

// parseListingCost reads "REQUEST:ROW", such as "50ms:1ms".
func parseListingCost(s string) (alationfake.ListingCost, error) {
	req, row, ok := strings.Cut(s, ":")
	var c alationfake.ListingCost
	var err1, err2 error
	c.PerRequest, err1 = time.ParseDuration(strings.TrimSpace(req))
	c.PerRow, err2 = time.ParseDuration(strings.TrimSpace(row))
	if !ok || err1 != nil || err2 != nil || c.PerRequest < 0 || c.PerRow < 0 {
		return c, fmt.Errorf("-listing-cost %q: want REQUEST:ROW durations, such as %s", s, defaultListingCost)
	}
	return c, nil
}

// counts are the emulator's figures since the last reset.
type counts struct {
	connections int
	requests    int
	syncs       int // successful (201) syncs
	mints       int
	tableBytes  int64 // of the table listing's answers: catalog rows
}

// reset zeroes the counters and empties the request log.
func (e *emulator) reset() { e.fake.ResetLog() }

func (e *emulator) counts() counts {
	reqs := e.fake.Requests()
	c := counts{connections: e.fake.Connections(), requests: len(reqs), mints: e.fake.MintCount()}
	for _, r := range reqs {
		switch {
		case r.Path == "/api/v1/table/sync/" && r.Status == 201:
			c.syncs++
		case r.Path == "/integration/v2/table/":
			c.tableBytes += r.Bytes
		}
	}
	return c
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
