#!/usr/bin/env bash
# Regenerates crds/ and the Helm chart's copy from the Java model (the build fails while they
# differ from it). Fields of Kubernetes core types get their descriptions from the Kubernetes
# OpenAPI in the Go module cache (crd-tools), so Go is needed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -q -B -pl crd-tools,api process-test-classes surefire:test -Dtest=CrdDriftTest -Dbaton.updateCrds=true \
  -Dsurefire.failIfNoSpecifiedTests=false
echo "crds/ and helm/baton/crds/ updated from the Java model"
