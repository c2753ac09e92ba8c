// Package ext stands in for Traefik's nested module github.com/traefik/traefik/dynamic/ext, which
// Traefik's go.mod takes from its own source tree and which the module proxy does not serve.
// Traefik embeds these types in its dynamic configuration as extension points; open-source Traefik
// leaves them empty, so empty types change nothing.
package ext

// HTTP is embedded in Traefik's dynamic HTTP configuration.
type HTTP struct{}

// Router is embedded in Traefik's dynamic HTTP router.
type Router struct{}
