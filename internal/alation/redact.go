package alation

import "regexp"

// Credential fields in JSON and form bodies, whose values may be secrets the
// client does not know yet (a token in the very answer that mints it).
var (
	secretJSONField = regexp.MustCompile(`("(?:api_access_token|access_token|refresh_token|client_secret|token)"\s*:\s*)"[^"]*"`)
	secretFormField = regexp.MustCompile(`((?:^|&)(?:client_secret|refresh_token|access_token)=)[^&]*`)
)

// maskSecretFields masks the values of credential fields in a body.
func maskSecretFields(s string) string {
	s = secretJSONField.ReplaceAllString(s, `$1"***"`)
	return secretFormField.ReplaceAllString(s, `${1}***`)
}
