#!/usr/bin/env bash
# Runs Baton on the local test cluster with the example app:
# starts the cluster (building it on first use), installs the CRD, builds and starts the operator
# in the foreground, and applies examples/blue-green.yaml. It says Baton runs only once the
# operator answers on /readyz and has written the example app's status; otherwise it says why it
# did not start and what to do. Ctrl-C stops the operator; the cluster keeps running until
# `hack/cluster.sh down`.
#
# The operator serves /healthz, /readyz and /metrics on BATON_HTTP_ADDRESS (here 127.0.0.1:8080
# by default, or a free port when another process holds 8080). BATON_CLUSTER_NAME and
# BATON_KUBECONFIG choose the cluster, as for hack/cluster.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source hack/local-operator.sh

APP=shop-api
READY_TIMEOUT=120

# A chosen port that is taken fails in seconds, not after the build.
if [[ -n "${BATON_HTTP_ADDRESS:-}" ]]; then
  choose_http_address 127.0.0.1:8080 >/dev/null || exit 1
fi

hack/cluster.sh up
eval "$(hack/cluster.sh env)"

echo "[run] building the operator"
mvn -q -B -DskipTests -DskipITs package

echo "[run] installing the CRD"
hack/cluster.sh baton-crd

address=$(choose_http_address 127.0.0.1:8080) || exit 1
echo "[run] starting the operator (logs below; Ctrl-C stops it)"
# The operator's jar, not the test-jar the plugin's tests use (both match baton-operator-*.jar).
jar=$(ls operator/target/baton-operator-*.jar | grep -v -- '-tests\.jar$')
trap stop_operator EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_operator "$address" operator/target/run-local-operator.log java -jar "$jar"
if ! await_operator_ready "$address" "$READY_TIMEOUT"; then
  echo "[run] Baton did not start." >&2
  exit 1
fi

kubectl apply --server-side -f examples/blue-green.yaml
# The first reconcile writes a status: until then nothing says Baton has taken the app up.
phase=""
deadline=$((SECONDS + 60))
until phase=$(kubectl get bapp "$APP" -o jsonpath='{.status.phase}' 2>/dev/null) && [[ -n "$phase" ]]; do
  if ! kill -0 "$operator_pid" 2>/dev/null; then
    echo "[run] the operator exited before it reconciled $APP; its log is above and in $operator_log" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "[run] the operator runs, but wrote no status for $APP within 60s; its log is above" \
      "and in $operator_log" >&2
    exit 1
  fi
  sleep 0.5
done

cat <<MSG

[run] Baton runs (health and metrics on http://$operator_address); the example app '$APP' is in the
default namespace, phase $phase. In another terminal:
  eval "\$(hack/cluster.sh env)"
  kubectl get bapp $APP -w
  kubectl patch bapp $APP --type json -p \\
    '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"registry.example.com/shop/api:1.8.3"}]'
  kubectl get deploy,svc -l baton.dev/app=$APP

MSG
code=0
wait "$operator_pid" || code=$?
echo "[run] the operator exited with status $code; its log is in $operator_log" >&2
exit "$code"
