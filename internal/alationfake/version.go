package alationfake

import "net/http"

// DefaultRelease is the release the emulator tells by default.
const DefaultRelease = "2025.1.2"

// SetRelease sets what GET /full_version tells as ALATION_RELEASE_NAME, the
// field Alation's own agent SDK reads (from its test data: the endpoint is
// not in Alation's public reference). Empty makes the endpoint answer 404,
// as an instance that does not have it would.
func (f *Fake) SetRelease(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.release = name
}

func (f *Fake) handleVersion(w http.ResponseWriter) {
	f.mu.Lock()
	release := f.release
	f.mu.Unlock()
	if release == "" {
		writeHTML(w, http.StatusNotFound, notFoundPage)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"ALATION_RELEASE_NAME": release})
}
