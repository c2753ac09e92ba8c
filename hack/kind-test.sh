#!/usr/bin/env bash
# For people with Docker: runs the same test suite on a kind cluster with KWOK inside it.
# kwokctl's kind runtime creates the cluster and deploys the KWOK controller with our Stages;
# the suite then runs against it through KUBECONFIG. Needs a working `docker`; our development
# machines have none, so this script is not part of CI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

docker info >/dev/null 2>&1 || { echo "kind-test: needs a running Docker engine" >&2; exit 1; }
hack/cluster.sh build
cache=${BATON_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/baton}
kind_dir="$cache/kind-v0.32.0/bin"
[[ -x "$kind_dir/kind" ]] || GOBIN="$kind_dir" go install sigs.k8s.io/kind@v0.32.0

name=baton-kind
kubeconfig="$cache/kubeconfig-$name"
export PATH="$kind_dir:$(dirname "$(hack/cluster.sh path kubectl)"):$PATH"
kwokctl="$(hack/cluster.sh path kwokctl)"
trap '"$kwokctl" --name "$name" delete cluster --kubeconfig "$kubeconfig" || true' EXIT

configs=()
for f in hack/kwok/stages/*.yaml; do configs+=(--config "$f"); done
"$kwokctl" --name "$name" "${configs[@]}" create cluster --runtime kind --kubeconfig "$kubeconfig"
"$kwokctl" --name "$name" scale node --replicas 3
# Test pods use images that do not exist: keep them off kind's real node, on the KWOK ones.
kubectl --kubeconfig "$kubeconfig" cordon -l 'type!=kwok'
KUBECONFIG="$kubeconfig" hack/cluster.sh crds
KUBECONFIG="$kubeconfig" hack/test.sh "$@"
