#!/usr/bin/env bash
# Packs the plugin for Krew: target/krew/kubectl-baton-v<version>.tar.gz from target/dist
# (kubectl-baton, baton-cli.jar, lib/), and target/krew/baton.yaml, the manifest of cli/krew/
# with that archive's real sha256. Run by `mvn package` (cli/pom.xml) after dist is complete.
#
#   krew-archive.sh <target dir> <version>
set -euo pipefail
target=$1 version=v$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$target/krew"
archive="kubectl-baton-$version.tar.gz"
mkdir -p "$out"
# Same input, same bytes: sorted names, fixed owner and time, no name or time in the gzip header.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
  -C "$target/dist" -cf - kubectl-baton baton-cli.jar lib | gzip -n -9 >"$out/$archive.tmp"
mv "$out/$archive.tmp" "$out/$archive"
sha=$(sha256sum "$out/$archive" | cut -d' ' -f1)
sed -e "s/@VERSION@/$version/g" -e "s/@SHA256@/$sha/" "$here/krew/baton.yaml" >"$out/baton.yaml"
grep -q "sha256: \"$sha\"" "$out/baton.yaml" || { echo "krew-archive.sh: no @SHA256@ in krew/baton.yaml" >&2; exit 1; }
echo "[krew] $out/$archive sha256 $sha"
