package auth

import (
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// The hash formats Traefik's basicAuth middleware accepts from htpasswd files.
func TestCheckSecret(t *testing.T) {
	hashed, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{
		"md5-crypt": "$apr1$abcdefgh$M2T3erDstkD7SsE2QQnfH0", // openssl passwd -apr1 -salt abcdefgh s3cret
		"sha1":      "{SHA}/vNB+F2HQ559kaLUZbmHHvZrXpg=",
		"bcrypt":    string(hashed),
	}
	for format, secret := range secrets {
		if !CheckSecret("s3cret", secret) {
			t.Errorf("%s: the right password was refused", format)
		}
		if CheckSecret("wrong", secret) {
			t.Errorf("%s: a wrong password was accepted", format)
		}
		if CheckSecret("s3cret:x", secret) {
			t.Errorf("%s: a password with a suffix after a colon was accepted", format)
		}
	}
	if CheckSecret("", "") {
		t.Error("an empty secret matched")
	}
}

func TestRequireAuthStaleChallenges(t *testing.T) {
	a := NewDigestAuthenticator("baton", func(string, string) string { return "" })
	w := httptest.NewRecorder()
	a.RequireAuthStale(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 401 || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), `Digest realm="baton"`) {
		t.Errorf("got %d %q", w.Code, w.Header().Get("WWW-Authenticate"))
	}
}
