package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

const usageIntro = `alationfake serves an in-memory emulator of the Alation API (table sync, token
minting, catalog listings) on a local port, for trying the provider by hand.

On start it prints the environment to export (stdout) and what it holds (stderr).
It runs until interrupted; the catalog lives in memory, so a restart resets it.

Usage: alationfake [flags]

`

// announce prints, once serving, what a person needs to use the emulator:
// the environment to export on stdout, as shell commands that can be pasted
// or sourced, and on stderr the other credentials and what the catalog holds.
func announce(stdout, stderr io.Writer, baseURL, token string, inventory []alationfake.InventoryDataSource) {
	fmt.Fprintf(stderr, "alationfake: serving the Alation emulator at %s. Export this in the shell that runs terraform:\n", baseURL)
	fmt.Fprintf(stdout, "export ALATION_BASE_URL=%s\n", baseURL)
	if token == "" {
		fmt.Fprintln(stderr, "alationfake: no credentials and an empty catalog (-seed none).")
		return
	}
	fmt.Fprintf(stdout, "export ALATION_API_ACCESS_TOKEN=%s\n", token)
	fmt.Fprintf(stderr, "\nThe other ways to authenticate, as user %d (an admin): refresh_token = %q with user_id = %d; "+
		"client_id = %q with client_secret = %q. User %d is not an admin: api_access_token = %q.\n",
		alationfake.DemoUserID, alationfake.DemoRefreshToken, alationfake.DemoUserID,
		alationfake.DemoOAuthClientID, alationfake.DemoOAuthClientSecret,
		alationfake.DemoNonAdminUserID, alationfake.DemoNonAdminToken)
	fmt.Fprint(stderr, "\nThe catalog (datasource_id, schema, table as alation_table_sync takes them):\n")
	printInventory(stderr, inventory)
	fmt.Fprint(stderr, "\nCtrl-C stops the emulator; starting it again resets the catalog.\n")
}

// printInventory lists data sources, schemas and tables, with what a sync
// of each would answer when that is not a plain success.
func printInventory(w io.Writer, inventory []alationfake.InventoryDataSource) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, ds := range inventory {
		fmt.Fprintf(tw, "  data source %d %q (%s)\n", ds.ID, ds.Title, dataSourceNotes(ds.DataSource))
		for _, s := range ds.Schemas {
			note := ""
			switch {
			case s.Excluded:
				note = " (excluded from the catalog: a sync answers 400)"
			case s.NotCatalogued:
				note = " (in the database, not yet extracted: a sync answers 404)"
			}
			fmt.Fprintf(tw, "    schema %q%s\n", s.Name, note)
			for _, t := range s.Tables {
				fmt.Fprintf(tw, "      %s\t%s\t%s\n", t.Name, t.TableType, tableNotes(t))
			}
		}
	}
	_ = tw.Flush()
}

func dataSourceNotes(ds alationfake.DataSource) string {
	notes := []string{orDash(ds.DBType)}
	if ds.Legacy {
		notes = append(notes, "a legacy connector, listed under /integration/v1/")
	}
	if ds.Unreachable {
		notes = append(notes, "Alation cannot reach it: a sync answers 500")
	}
	return strings.Join(notes, "; ")
}

func tableNotes(t alationfake.InventoryTable) string {
	switch {
	case t.Denied:
		return "hidden from the service account: a sync answers 403"
	case !t.InSource:
		return fmt.Sprintf("catalogued, id %d; no longer in the database: a sync answers 404", t.CatalogID)
	case t.CatalogID != 0:
		return fmt.Sprintf("catalogued, id %d", t.CatalogID)
	}
	return "in the database, not catalogued yet: a sync adds it"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
