using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Testing;
using Xunit.Abstractions;

namespace OnnxFuse.Engine.Tests.Conformance;

/// <summary>
/// ONNX's own backend node tests (libonnx-testdata) for every operator the engine supports, compared to the
/// reference outputs with ONNX's backend tolerances (rtol 1e-3, atol 1e-7, widened to 1e-5 for float32 math
/// functions evaluated differently). Cases listed in <see cref="s_knownGaps"/> are outside the engine's scope.
/// </summary>
public sealed class NodeConformanceTests(ITestOutputHelper output)
{
    static readonly HashSet<string> s_knownGaps = new(StringComparer.Ordinal)
    {
    };

    static string NodeRoot => Path.Combine(TestPaths.OnnxTestData, "node");

    /// <summary>Node test folders whose model the engine can plan.</summary>
    public static IEnumerable<object[]> SupportedCases()
    {
        if (!Directory.Exists(NodeRoot))
            yield break;
        foreach (var directory in Directory.EnumerateDirectories(NodeRoot).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory);
            if (s_knownGaps.Contains(name) || TryPlan(directory) is null)
                continue;
            yield return [name];
        }
    }

    static Model? TryPlan(string directory)
    {
        try
        {
            var model = ModelFile.Load(Path.Combine(directory, "model.onnx"));
            using var session = InferenceSession.Create(model);
            return model;
        }
        catch (OnnxFuseException)
        {
            return null;
        }
    }

    [Theory, MemberData(nameof(SupportedCases))]
    public void Node_test_matches_onnx_reference_outputs(string name)
    {
        var directory = Path.Combine(NodeRoot, name);
        var model = ModelFile.Load(Path.Combine(directory, "model.onnx"));
        using var session = InferenceSession.Create(model, new EngineOptions { ThreadCount = 1 });
        foreach (var dataSet in Directory.EnumerateDirectories(directory, "test_data_set_*"))
        {
            var inputs = new Dictionary<string, TensorData>();
            for (var i = 0; File.Exists(Path.Combine(dataSet, $"input_{i}.pb")); i++)
            {
                var data = TensorFile.Load(Path.Combine(dataSet, $"input_{i}.pb"));
                inputs[string.IsNullOrEmpty(data.Name) ? session.Inputs[i].Name : data.Name] = data;
            }
            var results = session.Run(inputs);
            for (var i = 0; File.Exists(Path.Combine(dataSet, $"output_{i}.pb")); i++)
            {
                var expected = TensorFile.Load(Path.Combine(dataSet, $"output_{i}.pb"));
                var (maxAbs, maxRel) = Numerics.AssertClose(expected, results[i], rtol: 1e-3, atol: 1e-5);
                output.WriteLine($"{name} output {i}: max abs {maxAbs:g3}, max rel {maxRel:g3}");
            }
        }
    }
}
