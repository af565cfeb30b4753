using OnnxFuse.Ort;
using OnnxFuse.Runtime.Benchmarking;

namespace OnnxFuse.Runtime.Tests.Benchmarking;

public sealed class OrtKernelTimingsTests
{
    [Fact]
    public void Sums_each_nodes_calls_after_the_warm_up_runs_in_first_run_order()
    {
        // Three runs of two nodes; the first run is the warm-up.
        OrtKernelCall[] calls =
        [
            new("conv", "Conv", "float[1,3]", 0, 900), new("relu", "Relu", "float[1,3]", 1, 800),
            new("conv", "Conv", "float[1,3]", 2, 40), new("relu", "Relu", "float[1,3]", 3, 7),
            new("conv", "Conv", "float[1,3]", 4, 30), new("relu", "Relu", "float[1,3]", 5, 9),
        ];

        var timings = OrtKernelTimings.AfterWarmUp(calls, warmUpRuns: 1);

        Assert.Equal(["conv", "relu"], timings.Select(t => t.Node));
        Assert.Equal(["Conv", "Relu"], timings.Select(t => t.OpType));
        Assert.All(timings, t => Assert.Equal(2, t.Calls));
        Assert.Equal([TimeSpan.FromMicroseconds(70), TimeSpan.FromMicroseconds(16)], timings.Select(t => t.Total));
        Assert.Equal([TimeSpan.FromMicroseconds(30), TimeSpan.FromMicroseconds(7)], timings.Select(t => t.Fastest));
        Assert.Equal(TimeSpan.FromMicroseconds(35), timings[0].Mean);
    }

    [Fact]
    public void Nodes_with_one_name_but_different_operators_stay_apart()
    {
        // ORT profiles unnamed nodes under an empty name.
        OrtKernelCall[] calls = [new("", "Add", "", 0, 5), new("", "Mul", "", 1, 6)];

        var timings = OrtKernelTimings.AfterWarmUp(calls, warmUpRuns: 0);

        Assert.Equal(["Add", "Mul"], timings.Select(t => t.OpType));
        Assert.Equal([5.0, 6.0], timings.Select(t => t.Total.TotalMicroseconds));
    }
}
