using System.Diagnostics;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Testing;
using Xunit.Abstractions;

namespace OnnxFuse.Engine.Tests.Conformance;

/// <summary>Runs every model in shared/models against its PyTorch reference outputs (rtol 1e-4, atol 1e-5).</summary>
public sealed class SharedModelTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Models => TestPaths.SharedModelNames.Select(name => new object[] { name });

    [Theory, MemberData(nameof(Models))]
    public void Shared_model_matches_reference_outputs(string name)
    {
        var model = ModelFile.Load(TestPaths.SharedModel(name));
        var dataDirectory = Path.Combine(Path.GetDirectoryName(TestPaths.SharedModel(name))!, "test_data_set_0");
        using var session = InferenceSession.Create(model, new EngineOptions { ThreadCount = 1 });
        var inputs = new Dictionary<string, TensorData>();
        for (var i = 0; i < session.Inputs.Count; i++)
        {
            var path = Path.Combine(dataDirectory, $"input_{i}.pb");
            if (File.Exists(path))
                inputs[session.Inputs[i].Name] = TensorFile.Load(path);
        }

        var results = session.Run(inputs);

        for (var i = 0; i < session.Outputs.Count; i++)
        {
            var expected = TensorFile.Load(Path.Combine(dataDirectory, $"output_{i}.pb"));
            var (maxAbs, maxRel) = Numerics.AssertClose(expected, results[i], rtol: 1e-4, atol: 1e-5);
            output.WriteLine($"{name} output {i}: max abs error {maxAbs:g3}, max rel error {maxRel:g3}");
        }
        // Timing is informational (no assertions); set ONNXFUSE_TIMING=1 to print it.
        if (Environment.GetEnvironmentVariable("ONNXFUSE_TIMING") != "1")
            return;
        var times = new List<double>();
        for (var run = 0; run < 20; run++)
        {
            var watch = Stopwatch.StartNew();
            session.Run(inputs);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine($"{name}: median {times[times.Count / 2]:F3} ms over 20 runs (1 thread), peak arena {session.PeakArenaBytes} bytes");
    }
}
