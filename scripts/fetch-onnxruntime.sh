#!/usr/bin/env bash
# Fetches ONNX Runtime's native CPU library for OnnxFuse.Ort and its tests.
# The Microsoft.ML.OnnxRuntime NuGet packages are not available to us, so the library comes from the npm package
# onnxruntime-node, which ships it in bin/napi-v6/linux/x64/. `npm pack` only downloads the tarball (no install scripts).
# Idempotent: does nothing when the library is already in place. Prints the library's path on stdout.
#   ONNXRUNTIME_VERSION  version to fetch (default 1.30.0)
#   ONNXRUNTIME_TGZ      use this onnxruntime-node tarball instead of downloading one
set -euo pipefail

version="${ONNXRUNTIME_VERSION:-1.30.0}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo_root/.cache/onnxruntime/$version"
lib="$dest/libonnxruntime.so.1"
folder="package/bin/napi-v6/linux/x64"

if [ -f "$lib" ]; then
    echo "$lib"
    exit 0
fi

case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) ;;
    *) echo "fetch-onnxruntime.sh: only linux/x64 is supported (this is $(uname -s)/$(uname -m))" >&2; exit 1 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -n "${ONNXRUNTIME_TGZ:-}" ]; then
    tgz="$ONNXRUNTIME_TGZ"
else
    if ! command -v npm >/dev/null 2>&1; then
        echo "fetch-onnxruntime.sh: npm is required to download onnxruntime-node@$version (install Node.js/npm," \
             "or set ONNXRUNTIME_TGZ to a downloaded onnxruntime-node-$version.tgz, or ONNXFUSE_ORT_LIB to a libonnxruntime.so.1)" >&2
        exit 1
    fi
    echo "==> downloading onnxruntime-node@$version with npm pack (about 110 MB)" >&2
    (cd "$work" && ONNXRUNTIME_NODE_INSTALL=skip npm pack --silent "onnxruntime-node@$version" >/dev/null)
    tgz="$(ls "$work"/onnxruntime-node-*.tgz)"
fi

tar -xzf "$tgz" -C "$work" "$folder"
# Only the .so files: onnxruntime_binding.node is Node's wrapper, which we do not use.
mkdir -p "$dest.tmp"
cp "$work/$folder"/*.so* "$dest.tmp/"
if ldd "$dest.tmp/libonnxruntime.so.1" | grep -q "not found"; then
    echo "fetch-onnxruntime.sh: libonnxruntime.so.1 has unresolved dependencies:" >&2
    ldd "$dest.tmp/libonnxruntime.so.1" | grep "not found" >&2
    rm -rf "$dest.tmp"
    exit 1
fi
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "$lib"
