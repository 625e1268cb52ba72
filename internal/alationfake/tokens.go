package alationfake

// KnowsAccessToken reports whether value is an access token the fake issued
// or minted, expired or not. Tests use it to tell a token Alation would
// recognise from one made up to be refused.
func (f *Fake) KnowsAccessToken(value string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tokens[value]
	return ok && t.kind == accessToken
}
