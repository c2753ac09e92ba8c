#!/usr/bin/env bash
# The Baton test cluster: a real Kubernetes control plane (kube-apiserver, kube-controller-manager,
# kube-scheduler, etcd) with KWOK simulating nodes and pods, all built from pinned Go modules and
# bound to 127.0.0.1.
#
#   hack/cluster.sh build    build the pinned binaries into the cache (no-op when cached) and
#                            fetch the ingress CRD modules: after it, `up` needs no network
#   hack/cluster.sh build-traefik  build the Traefik proxy of the test data plane into the cache
#                            (no-op when cached; not part of `build`)
#   hack/cluster.sh up       build if needed, start the cluster (idempotent), write the kubeconfig
#   hack/cluster.sh down     stop every process of the cluster and delete it
#   hack/cluster.sh status   say whether the cluster runs and answers
#   hack/cluster.sh restart C   SIGKILL one component of the running cluster (kube-apiserver or
#                            etcd) and start it again (kwokctl starts the components that do not
#                            run); returns once the API server answers again, the caller waits
#                            for /readyz (the chaos run's restarts)
#   hack/cluster.sh env      print `export` lines (PATH with our kubectl/helm, KUBECONFIG)
#   hack/cluster.sh kubeconfig  print the path of the admin kubeconfig
#   hack/cluster.sh path X   print the cached path of binary X (kubectl, helm, kwokctl, traefik, ...)
#   hack/cluster.sh pod-cidr    print the range KWOK gives pod addresses from
#   hack/cluster.sh audit-log   print the path of the API server's audit log (BATON_AUDIT=true)
#   hack/cluster.sh tool X   build test tool X if needed and print its path: argocd-lua (Argo CD's
#                            Lua VM for the health check, hack/tools/argocd-lua), krew (to
#                            install the kubectl plugin from its manifest, hack/tools/krew)
#   hack/cluster.sh crds     install the Gateway API and Traefik CRDs (from their Go modules) into
#                            the cluster of $KUBECONFIG, or of ours; `up` does it too
#   hack/cluster.sh baton-crd   apply Baton's CRD (crds/) to the cluster of $KUBECONFIG, or of
#                            ours, and wait until it is established
#
# Binaries are cached per component and version under ${BATON_CACHE_DIR}, by default
# ${XDG_CACHE_HOME:-$HOME/.cache}/baton, so only the first run pays for the build.
# Settings: BATON_CLUSTER_NAME (baton), BATON_NODES (3 KWOK nodes), BATON_KUBECONFIG
# (${BATON_CACHE_DIR}/kubeconfig), KWOK_WORKDIR (${BATON_CACHE_DIR}/kwok), BATON_AUDIT (false; true
# makes the API server write an audit log, one line per request, for bench/run.sh to count).
# KWOK Stages (node and pod lifecycle, test controls) come from hack/kwok/stages.
set -euo pipefail

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOOLS_DIR="$HACK_DIR/tools"
STAGES_DIR="$HACK_DIR/kwok/stages"

KUBE_VERSION=v1.36.3
ETCD_VERSION=v3.6.16
KWOK_VERSION=v0.8.0
HELM_VERSION=v4.3.1
# Pod addresses: a benchmarking range (RFC 2544), never routed outside a test network. The
# API server rejects loopback addresses in EndpointSlices, so 127.0.0.0/8 cannot be used;
# hack/netns.sh makes this range local inside the test run's own network namespace, where the
# harness' pod server listens on each pod's address (see hack/kwok/README.md).
POD_CIDR=198.18.0.0/16
APISERVER_ADVERTISE=198.18.255.254
# The ingress CRDs Baton's traffic providers write to, taken from these Go modules.
GATEWAY_API_MODULE=sigs.k8s.io/gateway-api@v1.7.0
# The same release is the data plane's proxy (hack/tools/traefik pins it: keep the two equal).
TRAEFIK_VERSION=v3.7.13
TRAEFIK_MODULE=github.com/traefik/traefik/v3@$TRAEFIK_VERSION

CACHE_DIR=${BATON_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/baton}
CLUSTER_NAME=${BATON_CLUSTER_NAME:-baton}
# kwokctl keeps its clusters under $KWOK_WORKDIR; keep ours in the cache, apart from anyone else's.
export KWOK_WORKDIR=${KWOK_WORKDIR:-$CACHE_DIR/kwok}
KUBECONFIG_PATH=${BATON_KUBECONFIG:-$CACHE_DIR/kubeconfig}
NODES=${BATON_NODES:-3}
AUDIT=${BATON_AUDIT:-false}
# The cache dir with symlinks resolved, as /proc/<pid>/exe shows it.
CACHE_REAL=$(cd "$CACHE_DIR" 2>/dev/null && pwd -P || echo "$CACHE_DIR")

kube_bin() { echo "$CACHE_DIR/kubernetes-$KUBE_VERSION/bin"; }
etcd_bin() { echo "$CACHE_DIR/etcd-$ETCD_VERSION/bin"; }
kwok_bin() { echo "$CACHE_DIR/kwok-$KWOK_VERSION/bin"; }
helm_bin() { echo "$CACHE_DIR/helm-$HELM_VERSION/bin"; }
traefik_dir() { echo "$CACHE_DIR/traefik-$TRAEFIK_VERSION"; }
traefik_bin() { echo "$(traefik_dir)/bin"; }

log() { printf '[cluster] %s\n' "$*" >&2; }

# go_build <module dir> <output dir> <ldflags> <package>...: builds each package into the output
# dir from our pinning module, so the versions come from the committed go.mod and go.sum. A caller
# may set GO_BUILD_FLAGS (an array, e.g. a local one) to pass more flags to go build.
GO_BUILD_FLAGS=()
go_build() {
  local module=$1 out=$2 ldflags=$3
  shift 3
  command -v go >/dev/null || { log "Go is required to build the test cluster (see README)"; exit 1; }
  local tmp="$out.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  for pkg in "$@"; do
    log "  go build $pkg"
    (cd "$module" && CGO_ENABLED=0 go build -trimpath ${GO_BUILD_FLAGS[@]+"${GO_BUILD_FLAGS[@]}"} \
      -ldflags "$ldflags" -o "$tmp/" "$pkg")
  done
  rm -rf "$out"
  mv "$tmp" "$out"
}

build_kubernetes() {
  local out; out=$(kube_bin)
  [[ -x "$out/kube-apiserver" && -x "$out/kubectl" ]] && return
  log "building Kubernetes $KUBE_VERSION (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl); about 7 min cold"
  local v=${KUBE_VERSION#v} major minor
  major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
  # Without stamping, /version says v0.0.0-master, which kubectl's own version check rejects.
  local ld="-s -w"
  ld+=" -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION"
  ld+=" -X k8s.io/component-base/version.gitMajor=$major"
  ld+=" -X k8s.io/component-base/version.gitMinor=$minor"
  ld+=" -X k8s.io/component-base/version.gitTreeState=clean"
  ld+=" -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
  ld+=" -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION"
  ld+=" -X k8s.io/client-go/pkg/version.gitMajor=$major"
  ld+=" -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  go_build "$TOOLS_DIR/kubernetes" "$out" "$ld" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
}

build_etcd() {
  local out; out=$(etcd_bin)
  [[ -x "$out/etcd" ]] && return
  log "building etcd $ETCD_VERSION; about 1 min cold"
  go_build "$TOOLS_DIR/etcd" "$out" "-s -w" go.etcd.io/etcd/server/v3
  # go build names a .../server/v3 main after the element before the major version: "server".
  mv "$out/server" "$out/etcd"
}

build_kwok() {
  local out; out=$(kwok_bin)
  [[ -x "$out/kwokctl" && -x "$out/kwok" ]] && return
  log "building KWOK $KWOK_VERSION (kwok, kwokctl); about 1.5 min cold"
  go_build "$TOOLS_DIR/kwok" "$out" "-s -w" sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl
}

build_helm() {
  local out; out=$(helm_bin)
  [[ -x "$out/helm" ]] && return
  log "building Helm $HELM_VERSION; about 2.5 min cold"
  go_build "$TOOLS_DIR/helm" "$out" "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
    helm.sh/helm/v4/cmd/helm
}

# Small test tools of our own (hack/tools/<name>: a main package and its pins), cached under a
# hash of their sources so that an edit rebuilds them. A build takes seconds once the module cache
# is warm, so tests ask for them on demand (`tool NAME`) rather than `build` paying for them.
tool_bin() {
  local name=$1 hash
  hash=$(cat "$TOOLS_DIR/$name"/go.mod "$TOOLS_DIR/$name"/go.sum "$TOOLS_DIR/$name"/*.go | sha256sum | cut -c1-12)
  echo "$CACHE_DIR/$name-$hash/bin"
}

# tool_package <name>: the main package a tool's module builds: its own, or an upstream command.
tool_package() {
  case "$1" in
    krew) echo sigs.k8s.io/krew/cmd/krew ;;
    *) echo . ;;
  esac
}

cmd_tool() {
  local name=$1 out
  [[ -f "$TOOLS_DIR/$name/go.mod" ]] || { log "unknown tool: $name"; exit 2; }
  out=$(tool_bin "$name")
  if [[ ! -x "$out/$name" ]]; then
    with_lock "tool-$name" 600
    if [[ ! -x "$out/$name" ]]; then
      log "building test tool $name"
      go_build "$TOOLS_DIR/$name" "$out" "-s -w" "$(tool_package "$name")" >&2
    fi
    exec 9>&-
  fi
  echo "$out/$name"
}

# Traefik, the data plane's proxy, from hack/tools/traefik (its README says what is replaced and
# why). lego's providers/dns package imports SDKs the module proxy does not serve; a Go module
# cannot replace one package of another, so the build assembles lego from its own module with our
# file in place of that package's one file (and without the provider packages it imported), then
# builds with a copy of our go.mod that points lego at it. Nothing of lego's lands in the repo.
build_traefik() {
  local out; out=$(traefik_bin)
  [[ -x "$out/traefik" ]] && return
  command -v go >/dev/null || { log "Go is required to build Traefik (see README)"; exit 1; }
  local module="$TOOLS_DIR/traefik" pinned
  pinned=$(cd "$module" && go list -m -f '{{.Version}}' github.com/traefik/traefik/v3)
  [[ "$pinned" == "$TRAEFIK_VERSION" ]] \
    || { log "hack/tools/traefik pins Traefik $pinned, hack/cluster.sh says $TRAEFIK_VERSION: make them equal"; exit 1; }
  log "building Traefik $TRAEFIK_VERSION; about 7 min cold, up to 3.5 GB of memory"
  local src; src="$(traefik_dir)/src"
  rm -rf "$src"
  mkdir -p "$src"
  local lego lego_version
  lego_version=$(cd "$module" && go list -m -f '{{.Version}}' github.com/go-acme/lego/v5)
  lego=$(cd "$module" && go mod download -json "github.com/go-acme/lego/v5@$lego_version" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -f "$lego/providers/dns/zz_gen_dns_providers.go" ]] \
    || { log "lego $lego_version has no providers/dns/zz_gen_dns_providers.go: revisit hack/tools/traefik/README.md"; exit 1; }
  cp -r "$lego" "$src/lego"
  chmod -R u+w "$src/lego"
  rm -rf "$src/lego/providers/dns"
  mkdir -p "$src/lego/providers/dns"
  cp "$module/_lego-providers-dns/dns_providers.go" "$src/lego/providers/dns/dns_providers.go"
  { cat "$module/go.mod"
    printf '\n// Added by hack/cluster.sh build-traefik.\nreplace github.com/go-acme/lego/v5 => %s\n' "$src/lego"
  } >"$src/go.mod"
  cp "$module/go.sum" "$src/go.sum"
  local GO_BUILD_FLAGS=(-modfile "$src/go.mod")
  go_build "$module" "$out" \
    "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION -X github.com/traefik/traefik/v3/pkg/version.BuildDate=1970-01-01T00:00:00Z" \
    github.com/traefik/traefik/v3/cmd/traefik
  rm -rf "$src"
}

cmd_build_traefik() {
  with_lock build 1800
  build_traefik
  exec 9>&-
}

cmd_build() {
  # A cold build takes minutes: a second caller waits for the first instead of racing it.
  with_lock build 1800
  build_etcd
  build_kwok
  build_kubernetes
  build_helm
  exec 9>&-
  # The ingress CRDs come from Go modules too: fetch them now, so that `up` needs no network
  # (hack/test.sh builds outside its network namespace, then starts the cluster inside).
  module_dir "$GATEWAY_API_MODULE" >/dev/null
  module_dir "$TRAEFIK_MODULE" >/dev/null
}

cmd_path() {
  case "$1" in
    kube-apiserver|kube-controller-manager|kube-scheduler|kubectl) echo "$(kube_bin)/$1" ;;
    etcd) echo "$(etcd_bin)/etcd" ;;
    kwok|kwokctl) echo "$(kwok_bin)/$1" ;;
    helm) echo "$(helm_bin)/helm" ;;
    traefik) echo "$(traefik_bin)/traefik" ;;
    *) log "unknown binary: $1"; exit 2 ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# The cluster: kwokctl --runtime binary, every binary given by path, everything on 127.0.0.1.

cluster_dir() { echo "$KWOK_WORKDIR/clusters/$CLUSTER_NAME"; }
# kwokctl writes the admin kubeconfig here; it names the pki files by path.
cluster_kubeconfig() { echo "$(cluster_dir)/kubeconfig.yaml"; }
kwokctl_config() { echo "$CACHE_DIR/kwokctl-$CLUSTER_NAME.yaml"; }
fingerprint_file() { echo "$(cluster_dir)/baton-fingerprint"; }
audit_policy() { echo "$CACHE_DIR/audit-policy-$CLUSTER_NAME.yaml"; }
# kwokctl writes the API server's audit log here when an audit policy is given.
audit_log() { echo "$(cluster_dir)/logs/audit.log"; }

# kwokctl shells out to kubectl (found on PATH first): put ours in front. fd 9 (our lock) is closed
# for it: the components it starts would inherit it and hold the lock for the cluster's lifetime.
run_kwokctl() {
  PATH="$(kube_bin):$(kwok_bin):$PATH" "$(kwok_bin)/kwokctl" --name "$CLUSTER_NAME" "$@" 9>&-
}

run_kubectl() {
  "$(kube_bin)/kubectl" --kubeconfig "$(cluster_kubeconfig)" "$@"
}

# components_running: every component kwokctl started (one pid file each) is alive.
components_running() {
  local f pid state n=0
  for f in "$(cluster_dir)"/pids/*.pid; do
    [[ -f "$f" ]] || return 1
    pid=$(<"$f")
    read -r _ _ state _ <"/proc/$pid/stat" 2>/dev/null || return 1
    [[ "$state" != Z ]] || return 1
    n=$((n + 1))
  done
  ((n >= 5))
}

# cluster_answers: all components run and the API server says it is ready.
cluster_answers() {
  [[ -f "$(cluster_kubeconfig)" && -x "$(kube_bin)/kubectl" ]] || return 1
  components_running || return 1
  run_kubectl --request-timeout=3s get --raw /readyz >/dev/null 2>&1
}

# wait_for <what> <seconds> <command...>: polls the command every 0.2 s until it succeeds.
wait_for() {
  local what=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout}s waiting for $what (logs: $(cluster_dir)/logs)"
      return 1
    fi
    sleep 0.2
  done
}

nodes_ready() {
  local ready
  ready=$(run_kubectl --request-timeout=3s get nodes \
    -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '^True$')
  ((ready >= NODES))
}

# cluster_pids: processes of this cluster's components, started from binaries in our cache (kwokctl
# runs them through symlinks in the cluster dir; their arguments name files in the cluster dir).
cluster_pids() {
  local dir proc exe cmdline
  dir=$(cluster_dir)
  for proc in /proc/[0-9]*; do
    exe=$(readlink "$proc/exe" 2>/dev/null) || continue
    exe=${exe% (deleted)}
    case "${exe##*/}" in
      kube-apiserver|kube-controller-manager|kube-scheduler|etcd|kwok) ;;
      *) continue ;;
    esac
    cmdline=$(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null) || continue
    [[ "$exe" == "$CACHE_DIR"/* || "$exe" == "$CACHE_REAL"/* ]] || continue
    [[ "$cmdline" == *"$dir/"* ]] || continue
    echo "${proc#/proc/}"
  done
}

# with_lock <name> <seconds>: takes an exclusive lock on fd 9 (one build, or one up/down per
# cluster, at a time); fails when it cannot within the given time.
with_lock() {
  command -v flock >/dev/null || return 0
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/.$1.lock"
  flock -w "$2" 9 || { log "could not lock $CACHE_DIR/.$1.lock within $2s"; return 1; }
}

# write_audit_policy: one Metadata event per request, written when it arrives (verb, resource,
# user agent, time), so a reader can count requests by client; no bodies, no second event.
write_audit_policy() {
  cat >"$(audit_policy)" <<'YAML'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [ResponseStarted, ResponseComplete, Panic]
rules:
- level: Metadata
YAML
}

write_kwokctl_config() {
  mkdir -p "$CACHE_DIR"
  local audit=""
  if [[ "$AUDIT" == true ]]; then
    write_audit_policy
    audit="  kubeAuditPolicy: \"$(audit_policy)\""
  fi
  cat >"$(kwokctl_config)" <<YAML
# Generated by hack/cluster.sh; rewritten on every cluster creation.
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeVersion: "$KUBE_VERSION"
  etcdVersion: "${ETCD_VERSION#v}"
  kwokVersion: "$KWOK_VERSION"
  kubeApiserverBinary: "$(kube_bin)/kube-apiserver"
  kubeControllerManagerBinary: "$(kube_bin)/kube-controller-manager"
  kubeSchedulerBinary: "$(kube_bin)/kube-scheduler"
  kubectlBinary: "$(kube_bin)/kubectl"
  kwokControllerBinary: "$(kwok_bin)/kwok"
  etcdBinary: "$(etcd_bin)/etcd"
$audit
componentsPatches:
- name: kwok-controller
  extraArgs:
  # KWOK's default is 10.0.0.0/24; ours is made local in the test network namespace.
  - key: cidr
    value: "$POD_CIDR"
- name: kube-apiserver
  extraArgs:
  # kwokctl sets no range: the default /24 holds only about 250 Services.
  - key: service-cluster-ip-range
    value: 10.96.0.0/12
  # The address published for the kubernetes Service. Without one the API server takes the host's
  # default route's, and hack/test.sh's network namespace has no default route. One of the pod
  # range that no pod gets (KWOK hands out addresses from the bottom); nothing in a test run uses
  # the kubernetes Service.
  - key: advertise-address
    value: "$APISERVER_ADVERTISE"
- name: kube-controller-manager
  extraArgs:
  # The defaults (20/30) pace how fast Deployments create pods.
  - key: kube-api-qps
    value: "200"
  - key: kube-api-burst
    value: "400"
- name: kube-scheduler
  extraArgs:
  # The defaults (50/100) pace binding: a thousand apps' pods queue for a minute just to be
  # scheduled, and the scheduler's Events share that budget.
  - key: kube-api-qps
    value: "200"
  - key: kube-api-burst
    value: "400"
- name: etcd
  extraArgs:
  # A throwaway test store: skip fsync.
  - key: unsafe-no-fsync
    value: "true"
YAML
}

stage_files() { printf '%s\n' "$STAGES_DIR"/*.yaml; }

# fingerprint: what the cluster was created from; up warns when it changed under a running cluster.
fingerprint() {
  { cat "$(kwokctl_config)"; stage_files | while read -r f; do cat "$f"; done; echo "$NODES"; } | sha256sum | cut -d' ' -f1
}

# write_kubeconfig: a self-contained admin kubeconfig (certificates embedded) at $KUBECONFIG_PATH.
write_kubeconfig() {
  mkdir -p "$(dirname "$KUBECONFIG_PATH")"
  local tmp="$KUBECONFIG_PATH.tmp.$$"
  (umask 077 && run_kwokctl -v WARN get kubeconfig >"$tmp")
  mv "$tmp" "$KUBECONFIG_PATH"
}

kubeconfig_current() {
  [[ -s "$KUBECONFIG_PATH" ]] || return 1
  local want
  want=$(grep -m1 'server:' "$(cluster_kubeconfig)")
  [[ "$(grep -m1 'server:' "$KUBECONFIG_PATH")" == "$want" ]]
}

# module_dir <module@version>: downloads a Go module through the module proxy (cached in the Go
# module cache) and prints its directory. GOTOOLCHAIN=auto: gateway-api v1.7.0 declares a newer Go
# than some machines have, and the proxy serves that toolchain too.
module_dir() {
  command -v go >/dev/null || { log "Go is required to fetch $1 (see README)"; exit 1; }
  # Already in the module cache: no go command that might look for a toolchain on the network
  # (hack/test.sh starts the cluster in a network namespace without any). Our module paths have
  # no upper-case letters, which the cache would escape.
  local cached
  cached="$(go env GOMODCACHE)/$1"
  if [[ -d "$cached" ]]; then
    echo "$cached"
    return
  fi
  (cd "$CACHE_DIR" && GOTOOLCHAIN=auto GOFLAGS=-mod=mod go mod download -json "$1") \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# The Gateway API (standard channel) and Traefik CRDs, so the suite tests every traffic provider
# against the real schemas. Server-side apply: idempotent, and no annotation size limit.
cmd_crds() {
  local kubeconfig=${KUBECONFIG:-$KUBECONFIG_PATH} gateway traefik
  if "$(kube_bin)/kubectl" --kubeconfig "$kubeconfig" get crd httproutes.gateway.networking.k8s.io \
      traefikservices.traefik.io ingressroutes.traefik.io >/dev/null 2>&1; then
    return
  fi
  gateway=$(module_dir "$GATEWAY_API_MODULE")
  traefik=$(module_dir "$TRAEFIK_MODULE")
  [[ -d "$gateway/config/crd/standard" && -d "$traefik/docs/content/reference/dynamic-configuration" ]] \
    || { log "could not fetch the ingress CRD modules"; exit 1; }
  log "installing the Gateway API ($GATEWAY_API_MODULE) and Traefik ($TRAEFIK_MODULE) CRDs"
  "$(kube_bin)/kubectl" --kubeconfig "$kubeconfig" apply --server-side --force-conflicts \
    -f "$gateway/config/crd/standard/" >/dev/null
  local f files=()
  for f in "$traefik"/docs/content/reference/dynamic-configuration/traefik.io_*.yaml; do
    files+=(-f "$f")
  done
  "$(kube_bin)/kubectl" --kubeconfig "$kubeconfig" apply --server-side --force-conflicts \
    "${files[@]}" >/dev/null
  wait_established "$kubeconfig" crd/httproutes.gateway.networking.k8s.io \
    crd/traefikservices.traefik.io crd/ingressroutes.traefik.io
}

# wait_established <kubeconfig> <crd/name>...: until every CRD is established. A just-created CRD
# has no conditions yet, which `kubectl wait` takes for an error (it exits at once): ask again.
wait_established() {
  local kubeconfig=$1 _
  shift
  for _ in $(seq 100); do
    "$(kube_bin)/kubectl" --kubeconfig "$kubeconfig" wait --for condition=Established \
      --timeout=30s "$@" >/dev/null 2>&1 && return
    sleep 0.2
  done
  log "not established: $*"
  return 1
}

cmd_up() {
  cmd_build
  with_lock "cluster-$CLUSTER_NAME" 300
  if cluster_answers; then
    kubeconfig_current || write_kubeconfig
    if [[ "$(cat "$(fingerprint_file)" 2>/dev/null)" != "$(write_kwokctl_config; fingerprint)" ]]; then
      log "cluster $CLUSTER_NAME runs, but its config or Stages changed since it was created: run down, then up"
    fi
    log "cluster $CLUSTER_NAME already runs"
    KUBECONFIG=$KUBECONFIG_PATH cmd_crds
    echo "$KUBECONFIG_PATH"
    return
  fi
  if [[ -e "$(cluster_dir)" ]] || [[ -n "$(cluster_pids)" ]]; then
    log "cluster $CLUSTER_NAME exists but does not answer or lacks a component: recreating it"
    do_down
  fi

  local start=$SECONDS
  log "creating cluster $CLUSTER_NAME (kwokctl, binary runtime, 127.0.0.1)"
  write_kwokctl_config
  local configs=(--config "$(kwokctl_config)") f
  while read -r f; do configs+=(--config "$f"); done < <(stage_files)
  # --kubeconfig '': leave the user's ~/.kube/config alone; we write our own below.
  local out="$CACHE_DIR/kwokctl-$CLUSTER_NAME.log"
  run_kwokctl "${configs[@]}" create cluster --kubeconfig '' --quiet-pull >"$out" 2>&1 \
    || { cat "$out" >&2; log "kwokctl create cluster failed (component logs: $(cluster_dir)/logs)"; return 1; }
  fingerprint >"$(fingerprint_file)"

  # kwokctl returns once the API server serves /version: add the nodes while it gets ready.
  # Each node's spec.podCIDR (which KWOK prefers to its --cidr): the pod range split into equal
  # blocks, one per node, the largest that fit.
  local bits=0
  while (((1 << bits) < NODES)); do bits=$((bits + 1)); done
  local node_cidr="${POD_CIDR%/*}/$((${POD_CIDR#*/} + bits))"
  run_kwokctl -v WARN scale node --replicas "$NODES" --param ".podCIDRs=[\"$node_cidr\"]" >/dev/null
  write_kubeconfig
  wait_for "the API server (/readyz)" 60 cluster_answers
  wait_for "$NODES Ready nodes" 60 nodes_ready
  # Pods need the namespace's default ServiceAccount: wait until the controller-manager made one.
  wait_for "the default ServiceAccount" 60 run_kubectl --request-timeout=3s -n default get serviceaccount default
  KUBECONFIG=$KUBECONFIG_PATH cmd_crds
  log "cluster $CLUSTER_NAME is up with $NODES nodes in $((SECONDS - start))s"
  echo "$KUBECONFIG_PATH"
}

do_down() {
  if [[ -e "$(cluster_dir)" && -x "$(kwok_bin)/kwokctl" ]]; then
    # delete refuses --kubeconfig '' ("empty path"); name the cluster's own file, deleted with it.
    run_kwokctl -v WARN delete cluster --kubeconfig "$(cluster_kubeconfig)" >/dev/null 2>&1 \
      || log "kwokctl delete cluster failed; cleaning up by hand"
  fi
  local pids
  pids=$(cluster_pids)
  if [[ -n "$pids" ]]; then
    log "stopping leftover processes: $(echo $pids)"
    kill $pids 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while [[ -n "$(cluster_pids)" ]] && ((SECONDS < deadline)); do sleep 0.2; done
    pids=$(cluster_pids)
    if [[ -n "$pids" ]]; then
      kill -9 $pids 2>/dev/null || true
      sleep 0.5
    fi
  fi
  if [[ -n "$(cluster_pids)" ]]; then
    log "processes of cluster $CLUSTER_NAME still run: $(echo $(cluster_pids))"
    return 1
  fi
  rm -rf "$(cluster_dir)"
  rm -f "$KUBECONFIG_PATH"
}

cmd_down() {
  # down must work even if something holds the lock: go on without it after a while.
  with_lock "cluster-$CLUSTER_NAME" 30 || log "going on without the lock"
  do_down
  log "cluster $CLUSTER_NAME is down"
}

# process_gone <pid>: every thread of the process has exited (a zombie no one reaped serves
# nothing). Not just the main thread: a killed Go process shows its main thread as a zombie while
# its other threads still hold its files, the listening socket among them, and a kube-apiserver
# started then failed with "bind: address already in use" (seen in the chaos run).
process_gone() {
  local task state
  [[ -d "/proc/$1" ]] || return 0
  for task in "/proc/$1/task/"*; do
    read -r _ _ state _ <"$task/stat" 2>/dev/null || continue
    [[ "$state" == Z || "$state" == X ]] || return 1
  done
  return 0
}

cmd_restart() {
  local component=$1 pidfile pid
  case "$component" in
    kube-apiserver|etcd) ;;
    *) log "restart: kube-apiserver or etcd, not $component"; exit 2 ;;
  esac
  with_lock "cluster-$CLUSTER_NAME" 60
  # kwokctl keeps one pid file per component, named after its binary.
  pidfile="$(cluster_dir)/pids/$component.pid"
  [[ -f "$pidfile" ]] || { log "no pid file $pidfile: is cluster $CLUSTER_NAME up?"; exit 1; }
  pid=$(<"$pidfile")
  kill -KILL "$pid" 2>/dev/null || true
  wait_for "$component (pid $pid) to exit" 30 process_gone "$pid"
  # kwokctl starts a component whose pid file is missing or names no process; a zombie still
  # answers its signal-0 check, so the pid file goes.
  rm -f "$pidfile"
  run_kwokctl -v WARN start cluster >>"$CACHE_DIR/kwokctl-$CLUSTER_NAME.log" 2>&1 \
    || { log "kwokctl start cluster failed (component logs: $(cluster_dir)/logs)"; exit 1; }
  # kwokctl gives up waiting after 2 min with only a warning: say why, while the log still exists.
  if ! run_kubectl --request-timeout=5s get --raw /version >/dev/null 2>&1; then
    log "the API server does not answer after $component was started again; its log ends:"
    tail -n 40 "$(cluster_dir)/logs/kube-apiserver.log" >&2 || true
    [[ "$component" == etcd ]] && { log "etcd's log ends:"; tail -n 20 "$(cluster_dir)/logs/etcd.log" >&2 || true; }
    exit 1
  fi
  exec 9>&-
}

cmd_status() {
  if cluster_answers; then
    log "cluster $CLUSTER_NAME runs and answers; KUBECONFIG=$KUBECONFIG_PATH"
    return 0
  fi
  if [[ -n "$(cluster_pids)" ]]; then
    log "cluster $CLUSTER_NAME has processes but does not answer or lacks a component (logs: $(cluster_dir)/logs)"
  else
    log "cluster $CLUSTER_NAME does not run"
  fi
  return 1
}

# Baton's own CRD, as the repo has it: server-side apply with --force-conflicts (the repo wins over
# a CRD a test run applied under another field manager), then established.
cmd_baton_crd() {
  local kubeconfig=${KUBECONFIG:-$KUBECONFIG_PATH} repo
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  "$(kube_bin)/kubectl" --kubeconfig "$kubeconfig" apply --server-side --force-conflicts \
    -f "$repo/crds/" >/dev/null
  wait_established "$kubeconfig" crd/batonapps.baton.dev
}

cmd_env() {
  printf 'export PATH=%q:"$PATH"\n' "$(kube_bin):$(helm_bin):$(kwok_bin)"
  printf 'export KUBECONFIG=%q\n' "$KUBECONFIG_PATH"
}

case "${1:-}" in
  build) cmd_build ;;
  build-traefik) cmd_build_traefik ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  restart) cmd_restart "${2:?component}" ;;
  env) cmd_env ;;
  kubeconfig) echo "$KUBECONFIG_PATH" ;;
  audit-log) audit_log ;;
  crds) cmd_crds ;;
  baton-crd) cmd_baton_crd ;;
  path) cmd_path "${2:?binary name}" ;;
  tool) cmd_tool "${2:?tool name}" ;;
  pod-cidr) echo "$POD_CIDR" ;;
  *) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
