// Package dns takes the place of lego's providers/dns package in the Traefik build (hack/cluster.sh
// build-traefik copies it into a build copy of lego): lego's own one file imports all of its DNS
// providers, and the SDKs of 13 of them are not served by our module proxy. This proxy serves tests
// on loopback and never asks an ACME CA for a certificate, so it is built without DNS-01 challenge
// providers. See ../README.md. The directory name starts with "_" so that Go does not take it for
// a package of this module.
package dns

import (
	"fmt"

	"github.com/go-acme/lego/v5/challenge"
)

// NewDNSChallengeProviderByName refuses every provider: this build has no DNS-01 challenge.
func NewDNSChallengeProviderByName(name string) (challenge.Provider, error) {
	return nil, fmt.Errorf("DNS provider %q: this Traefik build has no DNS-01 challenge providers", name)
}
