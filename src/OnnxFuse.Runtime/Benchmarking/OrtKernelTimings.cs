using OnnxFuse.Engine.Profiling;
using OnnxFuse.Ort;

namespace OnnxFuse.Runtime.Benchmarking;

/// <summary>ONNX Runtime's kernel calls summed per node, in the managed engine's <see cref="NodeTiming"/> form.</summary>
public static class OrtKernelTimings
{
    /// <summary>
    /// One timing per node, in the order the nodes first ran, over its calls after the first
    /// <paramref name="warmUpRuns"/> (each run calls every node once, so those are the warm-up's).
    /// </summary>
    public static IReadOnlyList<NodeTiming> AfterWarmUp(IReadOnlyList<OrtKernelCall> calls, int warmUpRuns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmUpRuns);
        return [.. calls.GroupBy(c => (c.Node, c.OpType)).Select(node =>
        {
            var timed = node.Skip(warmUpRuns).Select(c => c.DurationMicroseconds).ToList();
            return new NodeTiming(node.Key.Node, node.Key.OpType, node.First().Shapes, ContainsSubgraphs: false, timed.Count,
                TimeSpan.FromMicroseconds(timed.Sum()), TimeSpan.FromMicroseconds(timed.Count == 0 ? 0 : timed.Min()));
        })];
    }
}
