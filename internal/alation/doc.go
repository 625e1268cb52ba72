// Package alation is a small client for the parts of Alation's REST API that
// the Terraform provider needs: the Table Metadata Sync Trigger, token minting
// (refresh tokens and OAuth client credentials) and the Integration API's
// catalog look-ups.
//
// It knows nothing of Terraform. One Client is safe for concurrent use and
// shares its connections, its access token and its concurrency cap across
// every caller. All calls go through one retry policy (go-retryablehttp) and
// return typed errors: *APIError when Alation answered with an error status,
// *ResponseError when the answer could not be understood, and *RequestError
// when no answer came back.
package alation
