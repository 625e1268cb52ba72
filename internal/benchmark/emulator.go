package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
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
// benchDS and n source tables in benchSchema.
func startEmulator(n int, auth string) (*emulator, error) {
	f := alationfake.New()
	f.AddUser(benchUser, true)
	f.AddDataSource(alationfake.DataSource{ID: benchDS, Title: "Benchmark", DBType: "snowflake"})
	f.AddSchema(benchDS, benchSchema, false)
	for i := range n {
		f.AddSourceTable(benchDS, benchSchema, tableName(i), "TABLE")
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

// counts are the emulator's figures since the last reset.
type counts struct {
	connections int
	requests    int
	syncs       int // successful (201) syncs
	mints       int
}

// reset zeroes the counters and empties the request log.
func (e *emulator) reset() { e.fake.ResetLog() }

func (e *emulator) counts() counts {
	reqs := e.fake.Requests()
	c := counts{connections: e.fake.Connections(), requests: len(reqs), mints: e.fake.MintCount()}
	for _, r := range reqs {
		if r.Path == "/api/v1/table/sync/" && r.Status == 201 {
			c.syncs++
		}
	}
	return c
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
