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
#
# Real traffic (BATON_LOCAL_TRAFFIC=false turns it off): the test suite's data plane
# (hack/local-dataplane.sh: the example app's pods answer HTTP, Traefik in front of them, inside a
# private network namespace) with Traefik reachable on 127.0.0.1:BATON_PROXY_PORT (8000), and a
# curl loop to leave running while you change the image. It builds Traefik once (about 7 min) and
# needs socat and ip; without them it says so and runs Baton without the proxy.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source hack/local-operator.sh
source hack/local-dataplane.sh

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
traffic=${BATON_LOCAL_TRAFFIC:-true}
if [[ "$traffic" == true ]]; then
  # The data plane runs from the test classes and their dependencies.
  mvn -q -B -pl operator -am dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/dataplane.classpath >/dev/null
  hack/cluster.sh build-traefik || traffic=false
fi

echo "[run] installing the CRD"
hack/cluster.sh baton-crd

address=$(choose_http_address 127.0.0.1:8080) || exit 1
echo "[run] starting the operator (logs below; Ctrl-C stops it)"
# The operator's jar, not the test-jar the plugin's tests use (both match baton-operator-*.jar).
jar=$(ls operator/target/baton-operator-*.jar | grep -v -- '-tests\.jar$')
trap 'stop_operator; stop_dataplane' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_operator "$address" operator/target/run-local-operator.log java -jar "$jar"
if ! await_operator_ready "$address" "$READY_TIMEOUT"; then
  echo "[run] Baton did not start." >&2
  exit 1
fi

proxy_port=${BATON_PROXY_PORT:-8000}
if [[ "$traffic" == true ]]; then
  echo "[run] starting the data plane: the pods answer HTTP, Traefik in front on 127.0.0.1:$proxy_port"
  if ! start_dataplane "$KUBECONFIG" "$proxy_port"; then
    echo "[run] running without the proxy (BATON_LOCAL_TRAFFIC=false skips this attempt)" >&2
    stop_dataplane
    traffic=false
  fi
fi

kubectl apply --server-side -f examples/blue-green.yaml
if [[ "$traffic" == true ]]; then
  # Your ingress controller's part: Traefik routes $APP.localhost to the app's active Service.
  kubectl apply --server-side -f - <<YAML >/dev/null
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: $APP-local
spec:
  ingressClassName: traefik
  rules:
  - host: $APP.localhost
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: $APP, port: {number: 80}}
YAML
fi
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
if [[ "$traffic" == true ]]; then
  cat <<MSG
[run] Real requests through Traefik: leave this loop running in a third terminal while you change
the image above; each line is the status, the image and the pod that answered, and the image
changes with no failed request:
  while sleep 0.2; do curl -s -o /dev/null -H 'Host: $APP.localhost' \\
    -w '%{http_code} %header{x-image} %header{x-pod-name}\\n' http://127.0.0.1:$proxy_port/; done

MSG
fi
code=0
wait "$operator_pid" || code=$?
echo "[run] the operator exited with status $code; its log is in $operator_log" >&2
exit "$code"
