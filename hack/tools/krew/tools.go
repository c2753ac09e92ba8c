//go:build tools

// Package tools names the binary this module builds, so that `go mod tidy` keeps its
// dependencies in go.sum.
package tools

import (
	_ "sigs.k8s.io/krew/cmd/krew"
)
