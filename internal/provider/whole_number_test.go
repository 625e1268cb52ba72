package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// fractionCase writes a fraction where the provider takes a whole number;
// every command must fail with the provider's own diagnostic about it.
type fractionCase struct {
	name           string
	minCLI, why    string
	files          func(c *testCatalog) map[string]string
	commands       [][]string
	wantPerCommand [][]string // each is errorMatching parts, all found in each failing command's output
}

// fractionIn is the diagnostic for attr written as value.
func fractionIn(attr, value string) []string {
	return []string{"Invalid Whole Number", attr + " is " + value + ", but it must be a whole number"}
}

const (
	fractionalSync = `resource "alation_table_sync" "t" {
  datasource_id = %s
  schema        = "main.dbo"
  table         = "foobar"
}
`
	validate = "validate"
	plan     = "plan"
)

func fractionCases() []fractionCase {
	mainTF := func(body func(c *testCatalog) string) func(c *testCatalog) map[string]string {
		return func(c *testCatalog) map[string]string { return map[string]string{"main.tf": body(c)} }
	}
	// Import blocks are evaluated in the plan, after the provider is
	// configured: no credentials check, so that any request is the bad number's.
	noCheck := "skip_credentials_validation = true"
	checks := [][]string{{validate}, {plan}}
	return []fractionCase{
		{
			name:     "resource datasource_id",
			files:    mainTF(func(c *testCatalog) string { return c.providerBlock() + fmt.Sprintf(fractionalSync, "8.5") }),
			commands: checks, wantPerCommand: [][]string{fractionIn("datasource_id", "8.5")},
		},
		{
			name:     "resource datasource_id too large",
			files:    mainTF(func(c *testCatalog) string { return c.providerBlock() + fmt.Sprintf(fractionalSync, "1e30") }),
			commands: checks, wantPerCommand: [][]string{{"Invalid Whole Number", "datasource_id is 1e+30", "from -9223372036854775808 to 9223372036854775807"}},
		},
		{
			// Unknown to validate; the plan checks it once it is known.
			name: "resource datasource_id from a variable",
			files: mainTF(func(c *testCatalog) string {
				return "variable \"ds\" {\n  type = number\n}\n" + c.providerBlock(noCheck) + fmt.Sprintf(fractionalSync, "var.ds")
			}),
			commands: [][]string{{plan, "-var", "ds=8.5"}}, wantPerCommand: [][]string{fractionIn("datasource_id", "8.5")},
		},
		{
			name: "alation_table id",
			files: mainTF(func(c *testCatalog) string {
				return c.providerBlock() + "data \"alation_table\" \"t\" {\n  id = 17194.5\n}\n"
			}),
			commands: checks, wantPerCommand: [][]string{fractionIn("id", "17194.5")},
		},
		{
			name: "alation_table datasource_id",
			files: mainTF(func(c *testCatalog) string {
				return c.providerBlock() + "data \"alation_table\" \"t\" {\n  datasource_id = 8.5\n  schema = \"main.dbo\"\n  name = \"foobar\"\n}\n"
			}),
			commands: checks, wantPerCommand: [][]string{fractionIn("datasource_id", "8.5")},
		},
		{
			name: "alation_datasource id",
			files: mainTF(func(c *testCatalog) string {
				return c.providerBlock() + "data \"alation_datasource\" \"d\" {\n  id = 8.5\n}\n"
			}),
			commands: checks, wantPerCommand: [][]string{fractionIn("id", "8.5")},
		},
		{
			name: "provider user_id, max_retries and max_concurrent_requests",
			files: mainTF(func(c *testCatalog) string {
				return fmt.Sprintf("provider \"alation\" {\n  base_url = %q\n  refresh_token = \"r\"\n  user_id = 1.5\n  max_retries = 2.5\n  max_concurrent_requests = 4.5\n}\n", c.url) +
					"data \"alation_table\" \"t\" {\n  id = 17194\n}\n"
			}),
			commands: checks,
			wantPerCommand: [][]string{
				fractionIn("user_id", "1.5"), fractionIn("max_retries", "2.5"), fractionIn("max_concurrent_requests", "4.5"),
			},
		},
		{
			name: "action datasource_id", minCLI: "1.14.0", why: "added actions",
			files: mainTF(func(c *testCatalog) string {
				return c.providerBlock() + `
action "alation_table_sync" "x" {
  config {
    datasource_id = 8.5
    schema        = "main.dbo"
    table         = "foobar"
  }
}
`
			}),
			commands: [][]string{{validate}, {plan}, {plan, "-invoke=action.alation_table_sync.x"}}, wantPerCommand: [][]string{fractionIn("datasource_id", "8.5")},
		},
		{
			name: "list config datasource_id", minCLI: "1.14.0", why: "added terraform query",
			files: func(c *testCatalog) map[string]string {
				return map[string]string{"main.tf": c.providerBlock(), "tables.tfquery.hcl": `
list "alation_table_sync" "found" {
  provider = alation
  config {
    datasource_id = 8.5
    schema        = "main.dbo"
  }
}
`}
			},
			commands: [][]string{{validate, "-query"}, {"query"}}, wantPerCommand: [][]string{fractionIn("datasource_id", "8.5")},
		},
		{
			name: "import identity datasource_id", minCLI: "1.12.0", why: "added import blocks with an identity",
			files: mainTF(func(c *testCatalog) string {
				return c.providerBlock(noCheck) + fmt.Sprintf(fractionalSync, "8") + `
import {
  to       = alation_table_sync.t
  identity = {
    datasource_id = 8.5
    schema        = "main.dbo"
    table         = "foobar"
  }
}
`
			}),
			commands: [][]string{{plan}}, wantPerCommand: [][]string{fractionIn("datasource_id", "8.5")},
		},
		{
			name: "import id", minCLI: "1.5.0", why: "added import blocks",
			files: mainTF(func(c *testCatalog) string {
				return c.providerBlock(noCheck) + fmt.Sprintf(fractionalSync, "8") +
					"import {\n  to = alation_table_sync.t\n  id = \"8.5/main.dbo/foobar\"\n}\n"
			}),
			commands: [][]string{{plan}}, wantPerCommand: [][]string{{"Invalid Import ID", `"8.5/main.dbo/foobar"`, "whole number"}},
		},
		{
			name: "import table id", minCLI: "1.5.0", why: "added import blocks",
			files: mainTF(func(c *testCatalog) string {
				return c.providerBlock(noCheck) + fmt.Sprintf(fractionalSync, "8") +
					"import {\n  to = alation_table_sync.t\n  id = \"17194.5\"\n}\n"
			}),
			commands: [][]string{{plan}}, wantPerCommand: [][]string{{"Invalid Import ID", `"17194.5"`, "whole number"}},
		},
	}
}

// A fraction where a whole number belongs is the configuration's error, not
// the framework's "error in the provider", wherever the provider takes a
// number, and it fails before any request.
func TestAccWholeNumbers_fractionIsAUserError(t *testing.T) {
	for _, tc := range fractionCases() {
		t.Run(tc.name, func(t *testing.T) {
			minCLI := tc.minCLI
			if minCLI == "" {
				minCLI = "1.5.0"
			}
			c := newTestCatalog(t)
			w := newCLIWorkdir(t, minCLI, tc.why)
			for name, content := range tc.files(c) {
				w.write(name, content)
			}
			w.mustRun("init", "-input=false", "-no-color")
			for _, args := range tc.commands {
				if args[0] == plan {
					args = append(args, "-input=false")
				}
				out, err := w.run(append(args, "-no-color")...)
				t.Logf("%s:\n%s", strings.Join(args, " "), out)
				if err == nil {
					t.Fatalf("%s succeeded:\n%s", strings.Join(args, " "), out)
				}
				for _, want := range tc.wantPerCommand {
					expectOutput(t, out, want...)
				}
				for _, bug := range []string{"error in the provider", "big.Float"} {
					if strings.Contains(out, bug) {
						t.Errorf("%s reports %q:\n%s", strings.Join(args, " "), bug, out)
					}
				}
			}
			if reqs := c.fake.Requests(); len(reqs) != 0 {
				t.Errorf("%d requests reached Alation, want none: %+v", len(reqs), reqs)
			}
		})
	}
}

// settable is what every schema package's attribute tells about itself.
type settable interface {
	GetType() attr.Type
	IsRequired() bool
	IsOptional() bool
}

func settables[A settable](into map[string]settable, prefix string, attrs map[string]A) {
	for name, a := range attrs {
		into[prefix+"."+name] = a
	}
}

// Every number a configuration or an import block sets is a wholeNumberType,
// for which the test above shows a fraction is the user's error: a new one
// without it would bring back the framework's "error in the provider".
func TestWholeNumbers_everySettableNumber(t *testing.T) {
	ctx := context.Background()
	p := &AlationProvider{}
	attrs := map[string]settable{}
	identity := map[string]bool{}

	var ps provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &ps)
	settables(attrs, "provider", ps.Schema.Attributes)
	// Attributes are named after the Go type that declares them.
	for _, f := range p.Resources(ctx) {
		r, s := f(), resource.SchemaResponse{}
		r.Schema(ctx, resource.SchemaRequest{}, &s)
		settables(attrs, fmt.Sprintf("%T", r), s.Schema.Attributes)
		if ri, ok := r.(resource.ResourceWithIdentity); ok {
			var is resource.IdentitySchemaResponse
			ri.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &is)
			settables(attrs, fmt.Sprintf("%T identity", r), is.IdentitySchema.Attributes)
			for name := range is.IdentitySchema.Attributes {
				identity[fmt.Sprintf("%T identity.%s", r, name)] = true // an import block sets each
			}
		}
	}
	for _, f := range p.DataSources(ctx) {
		d, s := f(), datasource.SchemaResponse{}
		d.Schema(ctx, datasource.SchemaRequest{}, &s)
		settables(attrs, fmt.Sprintf("%T", d), s.Schema.Attributes)
	}
	for _, f := range p.Actions(ctx) {
		a, s := f(), action.SchemaResponse{}
		a.Schema(ctx, action.SchemaRequest{}, &s)
		settables(attrs, fmt.Sprintf("%T", a), s.Schema.Attributes)
	}
	for _, f := range p.ListResources(ctx) {
		l, s := f(), list.ListResourceSchemaResponse{}
		l.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &s)
		settables(attrs, fmt.Sprintf("%T", l), s.Schema.Attributes)
	}

	found := 0
	for name, a := range attrs {
		settable := a.IsRequired() || a.IsOptional() || identity[name]
		if !settable || !a.GetType().TerraformType(ctx).Is(tftypes.Number) {
			continue
		}
		found++
		if _, ok := a.GetType().(wholeNumberType); !ok {
			t.Errorf("%s is a %s: make it CustomType wholeNumberType{}", name, a.GetType())
		}
	}
	if found < 10 { // provider 3, resource 1, identity 1, data sources 3, action 1, list 1
		t.Errorf("found %d settable numbers; the walk misses some", found)
	}
}

// A wholeNumberType value is what Int64 gives for a whole int64, and
// anything else is kept, to be reported, by the framework's Get and by
// getModel alike.
func TestWholeNumberType_keepsWhatIsNotWhole(t *testing.T) {
	ctx := context.Background()
	typ := wholeNumberType{}
	for _, n := range []any{int64(8), int64(-3), int64(math.MaxInt64), nil, tftypes.UnknownValue} {
		in := tftypes.NewValue(tftypes.Number, n)
		got, err := typ.ValueFromTerraform(ctx, in)
		if err != nil {
			t.Fatalf("%v: %v", in, err)
		}
		want, _ := basetypes.Int64Type{}.ValueFromTerraform(ctx, in)
		if v, ok := got.(wholeNumber); !ok || !v.Int64Value.Equal(want) || v.notWhole != nil {
			t.Errorf("%v gives %#v, want %v", in, got, want)
		}
		if out, _ := got.ToTerraformValue(ctx); !out.Equal(in) {
			t.Errorf("%v comes back as %v", in, out)
		}
	}

	var cfgType list.ListResourceSchemaResponse
	NewTableSyncListResource().ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &cfgType)
	for text, detail := range map[string]string{
		"8.5":   "datasource_id is 8.5, but it must be a whole number:",
		"1e19":  "datasource_id is 1e+19, but it must be a whole number from -9223372036854775808 to 9223372036854775807.",
		"-1e19": "datasource_id is -1e+19, but it must be a whole number from",
	} {
		f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
		if err != nil {
			t.Fatal(err)
		}
		in := tftypes.NewValue(tftypes.Number, f)
		got, err := typ.ValueFromTerraform(ctx, in)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if out, _ := got.ToTerraformValue(ctx); !out.Equal(in) || !got.Equal(got) || got.Equal(wholeNumberValue(8)) {
			t.Errorf("%s comes back as %v", text, out)
		}
		config := tfsdk.Config{Schema: cfgType.Schema, Raw: objectValue(cfgType.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{"datasource_id": in})}
		var theirs, ours tableSyncListModel
		for name, diags := range map[string]diag.Diagnostics{"Get": config.Get(ctx, &theirs), "getModel": getModel(ctx, config, &ours)} {
			if len(diags) != 1 || diags[0].Summary() != "Invalid Whole Number" || !strings.HasPrefix(diags[0].Detail(), detail) {
				t.Errorf("%s of %s: %v, want one Invalid Whole Number starting %q", name, text, diags, detail)
			} else if d, ok := diags[0].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(path.Root("datasource_id")) {
				t.Errorf("%s of %s: %v is not about datasource_id", name, text, diags)
			}
		}
	}
}
