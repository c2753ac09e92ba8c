#!/usr/bin/env bash
# Regenerates crds/ and the Helm chart's copy from the Java model (the build fails while they
# differ from it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -q -B -pl operator process-test-classes surefire:test -Dtest=CrdDriftTest -Dbaton.updateCrds=true
echo "crds/ and helm/baton/crds/ updated from the Java model"
