package alation

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
)

// Some transport errors cannot heal within a run: retrying them only makes
// a typo in base_url cost five attempts and their backoff.

// cannotHeal reports whether err is a transport error that no retry fixes:
// a host name that does not resolve, or TLS spoken to a server that answers
// in plain HTTP (an https:// base_url for an http:// server).
func cannotHeal(err error) bool {
	return unreachableReason(err) != ""
}

// unreachableReason says why err cannot heal, or "" when it may.
func unreachableReason(err error) string {
	var dnsErr *net.DNSError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return fmt.Sprintf("the host name %s does not resolve", dnsErr.Name)
	case errors.As(err, &recordErr), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "the server answers in plain HTTP, not HTTPS"
	}
	return ""
}

// UnreachableError means that the credentials check found Alation unreachable
// in a way no retry heals, so the call was not sent: every call of the run
// would fail the same way.
type UnreachableError struct {
	// First is the check's error.
	First *RequestError
	// BaseURL is the Alation instance that could not be reached.
	BaseURL string
	// Reason says why, such as "the host name x does not resolve".
	Reason string
	// FirstReport is set on exactly one error per client, which should tell
	// the whole story; the others only point to it.
	FirstReport bool
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("Alation at %s cannot be reached: %s (%v); no request is sent there any more in this run", e.BaseURL, e.Reason, e.First)
}

func (e *UnreachableError) Unwrap() error { return e.First }

// recordUnreachable keeps err, from the credentials check, when no retry
// can heal it.
func (c *Client) recordUnreachable(err error) {
	var reqErr *RequestError
	if errors.As(err, &reqErr) && cannotHeal(reqErr) {
		c.unreachable.CompareAndSwap(nil, reqErr)
	}
}

// unreachableError is the error for a call not sent because the check found
// Alation unreachable, or nil.
func (c *Client) unreachableError() error {
	first := c.unreachable.Load()
	if first == nil {
		return nil
	}
	return &UnreachableError{First: first, BaseURL: c.BaseURL(), Reason: unreachableReason(first),
		FirstReport: c.unreachableReported.CompareAndSwap(false, true)}
}
