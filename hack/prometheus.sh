#!/usr/bin/env bash
# Prints the path of a Prometheus server binary for the analysis tests, fetching it first if needed.
#
# The binary comes from Debian's `prometheus` package, unpacked with `apt-get download` and
# `dpkg-deb -x` into the cache, never installed: the package's postinst would start a daemon
# listening on all interfaces. The tests start it themselves on 127.0.0.1 with a temporary TSDB.
#
#   hack/prometheus.sh          fetch if needed, print the binary's path
#
# Environment: BATON_CACHE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/baton),
# PROMETHEUS_DEB_VERSION (default: the candidate version apt knows).
set -euo pipefail

CACHE_DIR=${BATON_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/baton}
log() { echo "prometheus.sh: $*" >&2; }

version=${PROMETHEUS_DEB_VERSION:-$(apt-cache policy prometheus 2>/dev/null \
  | awk '/Candidate:/ {print $2}')}
if [[ -z "$version" || "$version" == "(none)" ]]; then
  # apt has no package list yet (a fresh machine): read one, then ask again.
  apt-get update -qq >&2 || true
  version=$(apt-cache policy prometheus 2>/dev/null | awk '/Candidate:/ {print $2}')
fi
[[ -n "$version" && "$version" != "(none)" ]] || { log "apt knows no prometheus package"; exit 1; }

dir="$CACHE_DIR/prometheus-${version//[^A-Za-z0-9._-]/_}"
bin="$dir/usr/bin/prometheus"
if [[ ! -x "$bin" ]]; then
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/.prometheus.lock"
  flock -w 600 9 || { log "could not lock the cache within 600s"; exit 1; }
  if [[ ! -x "$bin" ]]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    log "downloading Debian's prometheus $version (unpacked, not installed)"
    (cd "$work" && apt-get download -qq "prometheus=$version" >&2)
    mkdir -p "$work/root"
    dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
    [[ -x "$work/root/usr/bin/prometheus" ]] || { log "the package holds no usr/bin/prometheus"; exit 1; }
    rm -rf "$dir"
    mv "$work/root" "$dir"
  fi
fi
echo "$bin"
