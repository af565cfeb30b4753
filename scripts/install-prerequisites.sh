#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK: ONNX's backend test data (Debian's libonnx-testdata).
# Idempotent: does nothing when everything is already there.
set -euo pipefail

if [ ! -d /usr/share/libonnx-testdata/data/node ]; then
    echo "==> installing libonnx-testdata (ONNX backend test data)"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libonnx-testdata >/dev/null
fi

# ONNX Runtime's native library for OnnxFuse.Ort (into .cache/onnxruntime/; prints its path).
"$(dirname "$0")/fetch-onnxruntime.sh" >/dev/null
