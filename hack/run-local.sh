#!/usr/bin/env bash
# Runs Baton on the local test cluster with the example app:
# starts the cluster (building it on first use), installs the CRD, builds and starts the operator
# in the foreground, and applies examples/blue-green.yaml. Ctrl-C stops the operator; the cluster
# keeps running until `hack/cluster.sh down`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

hack/cluster.sh up
eval "$(hack/cluster.sh env)"

echo "[run] building the operator"
mvn -q -B -DskipTests -DskipITs package

echo "[run] installing the CRD"
hack/cluster.sh baton-crd

echo "[run] starting the operator (logs below; Ctrl-C stops it)"
# The operator's jar, not the test-jar the plugin's tests use (both match baton-operator-*.jar).
jar=$(ls operator/target/baton-operator-*.jar | grep -v -- '-tests\.jar$')
BATON_HTTP_ADDRESS=${BATON_HTTP_ADDRESS:-127.0.0.1:8080} \
  java -jar "$jar" &
operator=$!
trap 'kill $operator 2>/dev/null; wait $operator 2>/dev/null' EXIT INT TERM

kubectl apply --server-side -f examples/blue-green.yaml
cat <<MSG

[run] Baton runs; the example app 'shop-api' is in the default namespace. In another terminal:
  eval "\$(hack/cluster.sh env)"
  kubectl get bapp shop-api -w
  kubectl patch bapp shop-api --type json -p \\
    '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"registry.example.com/shop/api:1.8.3"}]'
  kubectl get deploy,svc -l baton.dev/app=shop-api

MSG
wait $operator
