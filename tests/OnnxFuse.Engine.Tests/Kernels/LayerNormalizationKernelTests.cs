using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels;

public sealed class LayerNormalizationKernelTests
{
    [Fact]
    public void Normalizes_each_row_then_scales_and_shifts()
    {
        var x = NodeRunner.Floats([2, 4], 1, 2, 3, 4, 2, 2, 2, 6);
        var scale = NodeRunner.Floats([4], 1, 2, 1, 1);
        var bias = NodeRunner.Floats([4], 0, 0, 0, 1);

        var outputs = NodeRunner.Run("LayerNormalization", [x, scale, bias], [Attr.Float("epsilon", 0f)], outputCount: 3);

        // Oracle: row 1 has mean 2.5 and variance 1.25; row 2 mean 3 and variance 3.
        var s1 = 1 / MathF.Sqrt(1.25f);
        var s2 = 1 / MathF.Sqrt(3f);
        Numerics.AssertClose([-1.5f * s1, -1f * s1, 0.5f * s1, 1.5f * s1 + 1, -s2, -2 * s2, -s2, 3 * s2 + 1], outputs[0].ToArray<float>(), rtol: 1e-5f, atol: 1e-6f);
        Assert.Equal([2.5f, 3f], outputs[1].ToArray<float>());
        Numerics.AssertClose([s1, s2], outputs[2].ToArray<float>(), rtol: 1e-6f, atol: 0);
    }

    [Fact]
    public void LayerNormalization_matches_ort_on_two_threads_that_split_the_rows()
    {
        OrtOracle.AssertMatchesOrt("LayerNormalization", [OrtOracle.Floats(38, [128, 257], -3, 3), OrtOracle.Floats(39, [257]), OrtOracle.Floats(40, [257])],
            [Attr.Float("epsilon", 1e-5f)], domain: "", outputCount: 3, threadCount: 2);
    }

    [Fact]
    public void BatchNormalization_uses_running_statistics_per_channel()
    {
        var x = NodeRunner.Floats([1, 2, 1, 2], 1, 2, 3, 4);
        TensorDataSet stats = new(NodeRunner.Floats([2], 1, 2), NodeRunner.Floats([2], 0, 1), NodeRunner.Floats([2], 1, 3), NodeRunner.Floats([2], 4, 1));

        var result = NodeRunner.Single("BatchNormalization", [x, stats.Scale, stats.Bias, stats.Mean, stats.Variance], [Attr.Float("epsilon", 0f)],
            constantInputs: true);

        // Oracle: (x − mean) / √var · scale + bias by hand.
        Numerics.AssertClose([0f, 0.5f, 1f, 3f], result.ToArray<float>(), rtol: 1e-6f, atol: 1e-7f);
    }

    sealed record TensorDataSet(Ir.Tensors.TensorData Scale, Ir.Tensors.TensorData Bias, Ir.Tensors.TensorData Mean, Ir.Tensors.TensorData Variance);
}
