package provider

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"context"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// baseURLValidator checks base_url at validate time, before any request.
type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "must be an absolute http or https URL"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := alation.ParseBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Alation Base URL", err.Error())
	}
}

// nonBlank rejects empty and whitespace-only names, which Alation would
// answer with a 400 after a round trip.
func nonBlank() validator.String {
	return stringvalidator.RegexMatches(regexp.MustCompile(`\S`), "must not be empty or only whitespace")
}

// durationBetween accepts a Go duration string ("90s", "2m") within bounds.
func durationBetween(lo, hi time.Duration) validator.String {
	return durationValidator{lo, hi}
}

type durationValidator struct{ lo, hi time.Duration }

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a duration such as \"90s\" or \"2m\", from %s to %s", v.lo, v.hi)
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d < v.lo || d > v.hi {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("%q is not valid here: it %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

// validRegex accepts a regular expression Go's regexp (RE2, the syntax of
// Terraform's own regex function) compiles.
func validRegex() validator.String { return regexValidator{} }

type regexValidator struct{}

func (regexValidator) Description(context.Context) string {
	return "must be a regular expression in RE2 syntax"
}

func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Regular Expression",
			fmt.Sprintf("%q is not a regular expression in RE2 syntax (https://github.com/google/re2/wiki/Syntax): %v. "+
				"Fix the expression; to match a character such as . or ( literally, escape it (\\\\. in HCL).", req.ConfigValue.ValueString(), err))
	}
}

// edgeWhitespace warns about a name with leading or trailing whitespace:
// Alation compares names exactly, so "users " names another table than
// "users", which a message printing it bare hides. A name may really end
// in a space, so it is a warning, not an error.
type edgeWhitespace struct{}

func (edgeWhitespace) Description(context.Context) string {
	return "warns when the name starts or ends with whitespace"
}

func (v edgeWhitespace) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (edgeWhitespace) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v := req.ConfigValue.ValueString()
	if trimmed := strings.TrimSpace(v); trimmed != v && trimmed != "" {
		resp.Diagnostics.AddAttributeWarning(req.Path, "Name Has Leading or Trailing Whitespace", fmt.Sprintf(
			"%s is %q, which starts or ends with whitespace. Alation matches names exactly, so this names another object than %q. "+
				"Remove the whitespace, unless the database's name really has it.", req.Path, v, trimmed))
	}
}
