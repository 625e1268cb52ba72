package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// modeFlags pick how the emulator plays what Alation's documentation leaves
// open about roles, listings and values, so that `make probe` can be shown
// each variant.
type modeFlags struct {
	role           *string
	hiddenRefusal  *string
	catalogLimit   *int
	bulkTables     *int
	strictParams   *bool
	nullPartitions *bool
}

// addModeFlags defines the mode flags on fs.
func addModeFlags(fs *flag.FlagSet) *modeFlags {
	return &modeFlags{
		role: fs.String("role", alationfake.RoleServerAdmin.String(), "role of the demo user (user 1, whose are the printed credentials): "+
			names(alationfake.Roles)+"; a viewer cannot sync, only a server-admin lists hidden data sources"),
		hiddenRefusal: fs.String("include-hidden-refusal", alationfake.HiddenRefused403.String(),
			"how include_hidden=true is answered to a user who is not a server admin: "+names(alationfake.IncludeHiddenRefusals)),
		catalogLimit: fs.Int("catalog-limit", 0, "cap every listing, all its pages together, at this many rows, as alation.api.catalog.limit "+
			"may (0: each call is capped at 1,000 rows, no more)"),
		bulkTables: fs.Int("bulk-tables", 0, `catalogue this many more tables in schema "ANALYTICS.BULK" of data source 8, so that listings pass 1,000 rows`),
		strictParams: fs.Bool("strict-params", true, "answer unknown query parameters 400 with code 400006, as Alation does "+
			"(false: ignore them)"),
		nullPartitions: fs.Bool("null-partition-columns", false, "list tables without partition columns with partition_columns: null, not []"),
	}
}

// names lists the String of each value, for a flag's usage.
func names[T fmt.Stringer](values []T) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = fmt.Sprintf("%q", v.String())
	}
	return strings.Join(out, ", ")
}

// lookup is the value whose String is name.
func lookup[T fmt.Stringer](flagName, name string, values []T) (T, error) {
	for _, v := range values {
		if v.String() == name {
			return v, nil
		}
	}
	var zero T
	return zero, fmt.Errorf("-%s must be one of %s, not %q", flagName, names(values), name)
}

// check validates the flags before anything is served.
func (m *modeFlags) check() error {
	if _, err := lookup("role", *m.role, alationfake.Roles); err != nil {
		return err
	}
	if _, err := lookup("include-hidden-refusal", *m.hiddenRefusal, alationfake.IncludeHiddenRefusals); err != nil {
		return err
	}
	if *m.catalogLimit < 0 || *m.bulkTables < 0 || *m.bulkTables > 100000 {
		return fmt.Errorf("-catalog-limit must be 0 or more, and -bulk-tables from 0 to 100000")
	}
	return nil
}

// apply sets the modes on f, once seeded, and describes them for the
// announcement ("" when all are the defaults).
func (m *modeFlags) apply(f *alationfake.Fake) string {
	role, _ := lookup("role", *m.role, alationfake.Roles) // checked
	refusal, _ := lookup("include-hidden-refusal", *m.hiddenRefusal, alationfake.IncludeHiddenRefusals)
	f.AddUserWithRole(alationfake.DemoUserID, role)
	f.SetIncludeHiddenRefusal(refusal)
	f.SetCatalogLimit(*m.catalogLimit)
	f.SetStrictParams(*m.strictParams)
	f.SetNullPartitionColumns(*m.nullPartitions)
	for i := range *m.bulkTables {
		f.AddCatalogTable(8, "ANALYTICS.BULK", fmt.Sprintf("BULK_%05d", i), "TABLE")
	}
	var set []string
	if role != alationfake.RoleServerAdmin {
		set = append(set, "role "+role.String())
	}
	if refusal != alationfake.HiddenRefused403 {
		set = append(set, "include_hidden refused as "+refusal.String())
	}
	if *m.catalogLimit > 0 {
		set = append(set, fmt.Sprintf("listings capped at %d rows", *m.catalogLimit))
	}
	if *m.bulkTables > 0 {
		set = append(set, fmt.Sprintf("%d more tables in ANALYTICS.BULK", *m.bulkTables))
	}
	if !*m.strictParams {
		set = append(set, "unknown query parameters ignored")
	}
	if *m.nullPartitions {
		set = append(set, "partition_columns null")
	}
	return strings.Join(set, ", ")
}
