// Package auth is the API of github.com/abbot/go-http-auth that Traefik's BasicAuth and DigestAuth
// middlewares call, built on the published upstream v0.4.0.
//
// Traefik replaces that module with an untagged fork (containous/go-http-auth) that our module
// proxy does not serve. Upstream v0.4.0 has everything Traefik calls but CheckSecret and
// DigestAuth.RequireAuthStale, so this shim re-exports upstream and adds those two.
package auth

import (
	"net/http"

	upstream "baton.dev/upstream/abbot-go-http-auth"
)

// SecretProvider looks up the stored secret of a user in a realm.
type SecretProvider = upstream.SecretProvider

// BasicAuth is upstream's Basic authenticator.
type BasicAuth = upstream.BasicAuth

// DigestAuth is upstream's Digest authenticator, with the method Traefik's fork adds.
type DigestAuth struct {
	*upstream.DigestAuth
}

// NewDigestAuthenticator makes upstream's Digest authenticator.
func NewDigestAuthenticator(realm string, secrets SecretProvider) *DigestAuth {
	return &DigestAuth{upstream.NewDigestAuthenticator(realm, secrets)}
}

// RequireAuthStale answers with a fresh Digest challenge. Traefik calls it when CheckAuth reports a
// stale nonce; upstream's CheckAuth never does, so a plain challenge is what a client gets anyway.
func (a *DigestAuth) RequireAuthStale(w http.ResponseWriter, r *http.Request) {
	a.RequireAuth(w, r)
}

// DigestAuthParams parses a Digest Authorization header (nil when it is not one).
func DigestAuthParams(authorization string) map[string]string {
	return upstream.DigestAuthParams(authorization)
}

// CheckSecret says whether password matches an htpasswd secret (MD5-crypt, {SHA} or bcrypt). It
// asks upstream's own Basic check, so the hash formats and comparisons are upstream's.
func CheckSecret(password, secret string) bool {
	r := &http.Request{Header: http.Header{}}
	r.SetBasicAuth("user", password)
	check := &upstream.BasicAuth{Secrets: func(string, string) string { return secret }}
	return check.CheckAuth(r) != ""
}
