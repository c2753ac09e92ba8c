#!/usr/bin/env bash
# Regenerates crds/ from the Java model (the build fails while they differ).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -q -B -pl operator process-test-classes surefire:test -Dtest=CrdDriftTest -Dbaton.updateCrds=true
echo "crds/ updated from the Java model"
