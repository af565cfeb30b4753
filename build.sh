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
        ;;
    test)
        scripts/install-prerequisites.sh
        echo "==> restore and build"
        dotnet build OnnxFuse.slnx -c Release -v quiet -nologo
        echo "==> formatting"
        dotnet format OnnxFuse.slnx --verify-no-changes --no-restore -v quiet
        echo "==> tests"
        dotnet test OnnxFuse.slnx -c Release --no-build -v quiet -nologo --logger "console;verbosity=minimal"
        ;;
    *)
        echo "usage: ./build.sh demo|test" >&2
        exit 2
        ;;
esac
