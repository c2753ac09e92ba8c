#!/usr/bin/env bash
# The operator image without a Docker engine or an image registry: base images assembled from
# Debian packages, the project's Dockerfile built with buildah (vfs storage, no daemon), the image
# run with runc as the chart runs it.
#
#   hack/image.sh build   assemble the base images (cached) and build the image; prints its size
#   hack/image.sh run NAME [VAR=VALUE...]  run the image with runc as container NAME, in the
#                         foreground: non-root (the image's 65532), read-only root filesystem
#                         (a tmpfs on /tmp, as the chart's emptyDir), the host's network (the
#                         test cluster listens on 127.0.0.1); VAR=VALUE are extra environment
#                         settings; the kubeconfig of $KUBECONFIG is mounted read-only
#   hack/image.sh tools   install buildah, runc and mmdebstrap from Debian when missing (root only)
#
# Base images (Dockerfile build args; the Dockerfile's defaults stay the public images):
#   build:   Debian bookworm with openjdk-17-jdk-headless and maven (mmdebstrap)
#   runtime: Debian bookworm minbase with a Java 25 runtime: Debian 12 packages no Java 25, so a
#            JRE is cut with jlink from the machine's JDK 25 (BATON_JDK25, default
#            /usr/lib/jvm/temurin-25-jdk-amd64). The Dockerfile's flags need Java 25.
# State (storage, base rootfs tarballs) lives under ${BATON_CACHE_DIR}/image.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CACHE_DIR=${BATON_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/baton}
IMAGE_DIR="$CACHE_DIR/image"
SUITE=bookworm
JDK25=${BATON_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
VERSION=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
TAG="localhost/baton-operator:$VERSION"
# Bump when a recipe below changes: the cached base image is then assembled again.
BUILD_BASE=localhost/baton-base-build:$SUITE-2
RUNTIME_BASE=localhost/baton-base-runtime:$SUITE-3

log() { printf '[image] %s\n' "$*" >&2; }

bah() {
  buildah --root "$IMAGE_DIR/storage" --runroot "$IMAGE_DIR/run" --storage-driver vfs "$@"
}

cmd_tools() {
  local missing=()
  for t in buildah runc mmdebstrap; do command -v "$t" >/dev/null || missing+=("$t"); done
  ((${#missing[@]} == 0)) && return
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "installing ${missing[*]} from Debian"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    log "needs ${missing[*]} (Debian: apt-get install buildah runc mmdebstrap)"
    exit 3
  fi
}

have_image() { bah inspect --type image "$1" >/dev/null 2>&1; }

# base_image <name> <rootfs tarball> <env...>: an image of one layer from a root filesystem.
base_image() {
  local name=$1 tarball=$2
  shift 2
  local ctr
  ctr=$(bah from scratch)
  bah add "$ctr" "$tarball" / >/dev/null
  for e in "$@"; do bah config --env "$e" "$ctr"; done
  bah config --cmd '["/bin/sh"]' "$ctr"
  bah commit -q "$ctr" "$name" >/dev/null
  bah rm "$ctr" >/dev/null
}

build_bases() {
  mkdir -p "$IMAGE_DIR"
  if ! have_image "$BUILD_BASE"; then
    log "assembling $BUILD_BASE from Debian packages (openjdk-17-jdk-headless, maven)"
    mmdebstrap --quiet --variant=apt --include=openjdk-17-jdk-headless,maven,ca-certificates \
      --aptopt='APT::Install-Recommends "false"' \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
      "$SUITE" "$IMAGE_DIR/build-rootfs.tar"
    base_image "$BUILD_BASE" "$IMAGE_DIR/build-rootfs.tar" \
      JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 MAVEN_HOME=/usr/share/maven
    rm -f "$IMAGE_DIR/build-rootfs.tar"
  fi
  if ! have_image "$RUNTIME_BASE"; then
    [[ -x "$JDK25/bin/jlink" ]] || { log "no JDK 25 at $JDK25 (set BATON_JDK25)"; exit 3; }
    log "assembling $RUNTIME_BASE: Debian minbase and a Java 25 runtime (jlink from $JDK25)"
    local jre="$IMAGE_DIR/jre25"
    rm -rf "$jre"
    # The Java SE modules and the JDK's runtime ones (as a JRE image carries; no compiler or tools).
    "$JDK25/bin/jlink" --add-modules java.se,jdk.httpserver,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.charsets,jdk.localedata,jdk.management,jdk.management.agent,jdk.jfr,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs \
      --strip-debug --no-man-pages --no-header-files --output "$jre"
    # The default class-data archives, for this runtime's module set: a dynamic archive (the
    # Dockerfile's training run) builds on the one that matches the heap layout, and with
    # compact object headers that is classes_coh.jsa.
    "$jre/bin/java" -Xshare:dump >/dev/null
    "$jre/bin/java" -XX:+UseCompactObjectHeaders -Xshare:dump >/dev/null
    mmdebstrap --quiet --variant=minbase \
      --customize-hook="mkdir -p \"\$1/opt/java\" && cp -a '$jre' \"\$1/opt/java/openjdk\"" \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
      "$SUITE" "$IMAGE_DIR/runtime-rootfs.tar"
    base_image "$RUNTIME_BASE" "$IMAGE_DIR/runtime-rootfs.tar" \
      JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    rm -rf "$IMAGE_DIR/runtime-rootfs.tar" "$jre"
  fi
}

cmd_build() {
  cmd_tools
  build_bases
  log "building $TAG from the Dockerfile (buildah, vfs)"
  local start=$SECONDS
  # The Maven repository of this machine is mounted as the build stage's cache, so the build
  # downloads only what is missing. Host network and the host's Java trust store: the build
  # stage reaches the Maven registry as this machine's Maven does.
  # On a fresh machine the test command builds the image before Maven has made its repository:
  # the mount needs the directory (the build stage then downloads what it needs).
  mkdir -p "$HOME/.m2/repository"
  local trust=()
  [[ -f /etc/ssl/certs/java/cacerts ]] &&
    trust=(-v /etc/ssl/certs/java/cacerts:/etc/ssl/certs/java/cacerts:ro)
  bah build --pull=never --network host --layers=false "${trust[@]}" \
    --build-arg BUILD_IMAGE="$BUILD_BASE" --build-arg RUNTIME_IMAGE="$RUNTIME_BASE" \
    -v "$HOME/.m2/repository:/root/.m2/repository" \
    -t "$TAG" -f Dockerfile . >&2
  log "built $TAG in $((SECONDS - start)) s"
  # vfs keeps whole copies: drop the previous build of the tag, now untagged.
  bah rmi --prune >/dev/null 2>&1 || true
  bah images --format '{{.Name}}:{{.Tag}} {{.Size}}' "$TAG"
}

# run: unpack the image into an OCI bundle and start it with runc.
cmd_run() {
  local name=${1:?container name}
  shift
  local bundle="$IMAGE_DIR/bundle-$name"
  rm -rf "$bundle"
  mkdir -p "$bundle"
  local ctr mnt
  ctr=$(bah from --pull=never "$TAG")
  mnt=$(bah mount "$ctr")
  cp -a "$mnt" "$bundle/rootfs"
  bah umount "$ctr" >/dev/null
  local config
  config=$(bah inspect --type image "$TAG")
  bah rm "$ctr" >/dev/null
  python3 - "$bundle" "$config" "${KUBECONFIG:?KUBECONFIG}" "$@" <<'PY'
import json, os, subprocess, sys
bundle, kubeconfig, extra = sys.argv[1], sys.argv[3], sys.argv[4:]
config = json.loads(sys.argv[2])["OCIv1"]["config"]
subprocess.run(["runc", "spec", "--bundle", bundle], check=True)
with open(f"{bundle}/config.json") as f:
    spec = json.load(f)
user, group = (config.get("User") or "0:0").split(":")
spec["process"]["user"] = {"uid": int(user), "gid": int(group)}
spec["process"]["args"] = config.get("Entrypoint", []) + (config.get("Cmd") or [])
spec["process"]["cwd"] = config.get("WorkingDir") or "/"
spec["process"]["terminal"] = False
env = config.get("Env", []) + ["KUBECONFIG=/etc/baton/kubeconfig"] + extra
spec["process"]["env"] = env
spec["root"]["readonly"] = True  # as the chart runs it (readOnlyRootFilesystem)
spec["process"]["noNewPrivileges"] = True
# The chart's memory limit (values.yaml resources.limits.memory), which the JVM sizes its heap by.
spec["linux"].setdefault("resources", {})["memory"] = {"limit": 512 * 1024 * 1024}
# The chart drops every capability.
spec["process"]["capabilities"] = {k: [] for k in ("bounding", "effective", "inheritable", "permitted", "ambient")}
# The chart gives /tmp an emptyDir; here a tmpfs.
spec["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
                       "options": ["nosuid", "nodev", "mode=1777", "size=64m"]})
# A copy the container's user may read (the original is usually private to its owner).
import shutil
shutil.copyfile(kubeconfig, f"{bundle}/kubeconfig")
os.chmod(f"{bundle}/kubeconfig", 0o644)
spec["mounts"].append({"destination": "/etc/baton/kubeconfig", "type": "bind",
                       "source": f"{bundle}/kubeconfig", "options": ["rbind", "ro"]})
# The kubeconfig names its client certificates by path: mount their directory too.
import re, os
for path in set(re.findall(r"(?:certificate|key)(?:-authority)?: (/\S+)", open(kubeconfig).read())):
    spec["mounts"].append({"destination": path, "type": "bind", "source": path,
                           "options": ["rbind", "ro"]})
# The host's network namespace: the test cluster listens on 127.0.0.1 only.
spec["linux"]["namespaces"] = [n for n in spec["linux"]["namespaces"] if n["type"] != "network"]
with open(f"{bundle}/config.json", "w") as f:
    json.dump(spec, f, indent=1)
PY
  log "starting the image with runc (uid $(python3 -c "import json;print(json.load(open('$bundle/config.json'))['process']['user']['uid'])"), read-only root)"
  # Not exec: the bundle (a copy of the image's files) goes when the container has stopped.
  trap "rm -rf '$bundle'" EXIT
  runc run --bundle "$bundle" "$name" </dev/null
}

case "${1:-}" in
  tools) cmd_tools ;;
  build) cmd_build ;;
  run) shift; cmd_run "$@" ;;
  tag) echo "$TAG" ;;
  *) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
