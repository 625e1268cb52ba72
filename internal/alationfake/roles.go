package alationfake

import (
	"fmt"
	"net/http"
)

// Alation's users have roles. What the provider meets of them:
//
//   - the sync is for admins: a Server Admin or a Catalog Admin may call
//     it, anyone else is answered 403 "not an admin" (the sync's
//     reference);
//   - include_hidden=true on the data source listings is for Server
//     Admins only (Alation's docs, for v1; the emulator applies it to v2
//     as well). What anyone else gets is not documented, so the emulator
//     plays each plausible answer (IncludeHiddenRefusal);
//   - a private data source is visible only to the users it is shared
//     with and to admins: a Viewer does not see it listed or by id.

// Role is a user's role in Alation.
type Role int

const (
	// RoleViewer reads the catalog; it cannot sync.
	RoleViewer Role = iota
	// RoleCatalogAdmin may sync, but not list hidden data sources.
	RoleCatalogAdmin
	// RoleServerAdmin may do everything.
	RoleServerAdmin
)

// Roles are the roles by the names the emulator command's -role flag takes.
var Roles = []Role{RoleServerAdmin, RoleCatalogAdmin, RoleViewer}

func (r Role) String() string {
	switch r {
	case RoleViewer:
		return "viewer"
	case RoleCatalogAdmin:
		return "catalog-admin"
	case RoleServerAdmin:
		return "server-admin"
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// canSync reports whether the role may call the sync.
func (r Role) canSync() bool { return r == RoleCatalogAdmin || r == RoleServerAdmin }

// roleFor is the role AddUser gives: a Server Admin, or a Viewer.
func roleFor(admin bool) Role {
	if admin {
		return RoleServerAdmin
	}
	return RoleViewer
}

// AddUserWithRole registers a user with a role (or changes its role).
func (f *Fake) AddUserWithRole(id int64, role Role) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[id] = role
}

// IncludeHiddenRefusal is how a listing answers include_hidden=true from a
// user who is not a Server Admin: Alation documents that only Server Admins
// may ask, not what the others get.
type IncludeHiddenRefusal int

const (
	// HiddenRefused403 answers 403, as a permission check does (the
	// default).
	HiddenRefused403 IncludeHiddenRefusal = iota
	// HiddenRefused400 answers 400 with code 400006, as for a query
	// parameter the user may not send.
	HiddenRefused400
	// HiddenIgnored answers 200 and leaves hidden sources out, saying
	// nothing.
	HiddenIgnored
)

// IncludeHiddenRefusals are the variants by the names of the emulator
// command's -include-hidden-refusal flag.
var IncludeHiddenRefusals = []IncludeHiddenRefusal{HiddenRefused403, HiddenRefused400, HiddenIgnored}

func (h IncludeHiddenRefusal) String() string {
	switch h {
	case HiddenRefused403:
		return "403"
	case HiddenRefused400:
		return "400"
	case HiddenIgnored:
		return "ignored"
	}
	return fmt.Sprintf("IncludeHiddenRefusal(%d)", int(h))
}

// SetIncludeHiddenRefusal picks how include_hidden=true is answered to a
// user who is not a Server Admin.
func (f *Fake) SetIncludeHiddenRefusal(h IncludeHiddenRefusal) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hiddenRefusal = h
}

// roleOf is userID's role; an unknown user is a Viewer. Callers hold f.mu.
func (f *Fake) roleOf(userID int64) Role {
	return f.users[userID]
}

// includeHidden decides a listing's include_hidden=true for userID: whether
// hidden sources are listed, or the refusal to answer instead.
func (f *Fake) includeHidden(userID int64) (bool, *apiErr) {
	f.mu.Lock()
	role, refusal := f.roleOf(userID), f.hiddenRefusal
	f.mu.Unlock()
	switch {
	case role == RoleServerAdmin:
		return true, nil
	case refusal == HiddenRefused400:
		return false, &apiErr{status: http.StatusBadRequest, detail: "Invalid query parameters: [include_hidden]", code: codeInvalidQuery}
	case refusal == HiddenIgnored:
		return false, nil
	}
	return false, &apiErr{status: http.StatusForbidden, detail: "You do not have permission to perform this action."}
}

// seesDataSource reports whether userID may see ds: a private source is
// hidden from Viewers. Callers hold f.mu.
func (f *Fake) seesDataSource(userID int64, ds *DataSource) bool {
	return !ds.Private || f.roleOf(userID) != RoleViewer
}
