using OnnxFuse.Testing;

namespace OnnxFuse.Onnx.Tests;

/// <summary>The models the round-trip tests cover: shared/models and libonnx-testdata's node, pytorch and simple suites.</summary>
static class BackendModels
{
    static readonly string[] s_suites = ["node", "pytorch-converted", "pytorch-operator", "simple"];

    /// <summary>model.onnx paths, relative to <see cref="TestPaths.OnnxTestData"/>, in a stable order.</summary>
    public static IEnumerable<string> TestDataModels() => s_suites
        .Select(suite => Path.Combine(TestPaths.OnnxTestData, suite))
        .Where(Directory.Exists)
        .SelectMany(folder => Directory.EnumerateFiles(folder, "model.onnx", SearchOption.AllDirectories))
        .Select(path => Path.GetRelativePath(TestPaths.OnnxTestData, path))
        .Order(StringComparer.Ordinal);
}
