using System.Globalization;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Runtime;

namespace OnnxFuse.Cli.Inspection;

/// <summary>
/// Runs a rewritten model against its original on the managed engine with the same seeded inputs and checks every
/// float output element: |rewritten − original| ≤ 1e-5 + 1e-4·|original| (other types must be equal).
/// </summary>
static class OutputCheck
{
    const float RelativeTolerance = 1e-4f;
    const float AbsoluteTolerance = 1e-5f;

    /// <summary>A one-line summary of the largest differences; throws when any element is out of tolerance.</summary>
    public static string Compare(Model original, Model rewritten, string modelName)
    {
        // Each graph as written: the engine's own layer fusion would make both the same graph.
        var asWritten = new RunnerOptions { ManagedOptimization = null };
        using var expectedRunner = ModelRunner.Create(original, asWritten);
        using var actualRunner = ModelRunner.Create(rewritten, asWritten);
        var feeds = expectedRunner.Inputs.Where(i => !i.HasDefault)
            .Select((input, i) => (input.Name, Data: RandomTensors.For(input, seed: i + 1)))
            .ToDictionary(p => p.Name, p => p.Data, StringComparer.Ordinal);
        var expected = expectedRunner.Run(feeds);
        var actual = actualRunner.Run(feeds);
        double maxAbsolute = 0;
        for (var o = 0; o < expected.Count; o++)
        {
            var name = expectedRunner.Outputs[o].Name;
            if (!expected[o].Dims.SequenceEqual(actual[o].Dims) || expected[o].ElementType != actual[o].ElementType)
                throw new OnnxFuseException($"{modelName}: the optimized model's output '{name}' is {actual[o]}, the original's {expected[o]}; not saved");
            if (expected[o].ElementType != ElementType.Float)
            {
                if (!expected[o].Bytes.Span.SequenceEqual(actual[o].Bytes.Span))
                    throw new OnnxFuseException($"{modelName}: the optimized model's output '{name}' differs from the original's; not saved");
                continue;
            }
            var e = expected[o].AsSpan<float>();
            var a = actual[o].AsSpan<float>();
            for (var i = 0; i < e.Length; i++)
            {
                var difference = Math.Abs((double)a[i] - e[i]);
                maxAbsolute = Math.Max(maxAbsolute, difference);
                if (difference > AbsoluteTolerance + (RelativeTolerance * Math.Abs(e[i])))
                    throw new OnnxFuseException(string.Create(CultureInfo.InvariantCulture,
                        $"{modelName}: the optimized model's output '{name}' differs at element {i}: {a[i]} vs {e[i]} (tolerance {RelativeTolerance} relative + {AbsoluteTolerance}); not saved"));
            }
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"verified on the managed engine: {expected.Count} outputs within {RelativeTolerance} relative + {AbsoluteTolerance} (max abs diff {maxAbsolute:G3})");
    }
}
