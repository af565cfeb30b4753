#!/usr/bin/env bash
# OnnxFuse's one entry point for a fresh machine (see README.md).
#   ./build.sh demo   build the CLI and run the main job on the embedded (managed) default
#   ./build.sh test   install prerequisites, build, check formatting, run every test, smoke-run the benchmarks
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cli() { dotnet run --project src/OnnxFuse.Cli -c Release --no-build -- "$@"; }

case "${1:-}" in
    demo)
        dotnet build src/OnnxFuse.Cli -c Release -v quiet -nologo
        echo "==> onnxfuse inspect samples/vollo_mlp.onnx"
        cli inspect samples/vollo_mlp.onnx
        out=$(mktemp -d)
        trap 'rm -rf "$out"' EXIT
        echo "==> onnxfuse fuse samples/vollo_mlp.onnx samples/vollo_cnn.onnx --mode parallel"
        cli fuse samples/vollo_mlp.onnx samples/vollo_cnn.onnx -o "$out/parallel.onnx" --mode parallel
        echo "==> onnxfuse run parallel.onnx --random   (managed engine: both models in one call)"
        cli run "$out/parallel.onnx" --random
        echo "==> onnxfuse fuse samples/vollo_mlp.onnx samples/vollo_cnn.onnx --mode switched"
        cli fuse samples/vollo_mlp.onnx samples/vollo_cnn.onnx -o "$out/switched.onnx" --mode switched
        cli inspect "$out/switched.onnx"
        for index in 0 1; do
            echo "==> onnxfuse run switched.onnx --model-index $index --random   (managed engine: only model $index runs)"
            cli run "$out/switched.onnx" --model-index "$index" --random
        done
        echo "==> onnxfuse optimize switched.onnx --verify   (layer fusion inside the If branches, checked against the original)"
        cli optimize "$out/switched.onnx" -o "$out/switched_optimized.onnx" --verify --metadata "$out/fusions.json"
        ;;
    test)
        scripts/install-prerequisites.sh
        echo "==> restore and build"
        dotnet build OnnxFuse.slnx -c Release -v quiet -nologo
        echo "==> formatting"
        dotnet format OnnxFuse.slnx --verify-no-changes --no-restore -v quiet
        echo "==> tests"
        log=$(mktemp)
        set +e
        dotnet test OnnxFuse.slnx -c Release --no-build -v quiet -nologo --logger "console;verbosity=minimal" 2>&1 | tee "$log"
        status=${PIPESTATUS[0]}
        echo "==> kernel tests with SIMD disabled (ONNXFUSE_SIMD=scalar)"
        ONNXFUSE_SIMD=scalar dotnet test tests/OnnxFuse.Engine.Tests -c Release --no-build -v quiet -nologo --logger "console;verbosity=minimal" \
            --filter "FullyQualifiedName~OnnxFuse.Engine.Tests.Kernels|FullyQualifiedName~OnnxFuse.Engine.Tests.Simd" 2>&1 | tee -a "$log"
        scalar_status=${PIPESTATUS[0]}
        [ "$status" -ne 0 ] || status=$scalar_status
        set -e
        count() { grep -oE "$1: +[0-9]+" "$log" | awk '{ total += $2 } END { print total + 0 }'; }
        echo "tests: $(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
        rm -f "$log"
        [ "$status" -eq 0 ] || exit "$status"
        echo "==> benchmark smoke runs"
        dotnet run -c Release --project bench/OnnxFuse.Benchmarks --no-build -- io
        dotnet run -c Release --project bench/OnnxFuse.Benchmarks --no-build -- multi-model --quick
        cli bench samples/vollo_mlp.onnx --threads 1 --seconds 0.2
        ;;
    *)
        echo "usage: ./build.sh demo|test" >&2
        exit 2
        ;;
esac
