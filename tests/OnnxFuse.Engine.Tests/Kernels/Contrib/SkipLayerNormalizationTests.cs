using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Contrib;

/// <summary>
/// com.microsoft SkipLayerNormalization (inputs input, skip, gamma, beta, bias; outputs output, mean, inv_std_var,
/// input_skip_bias_sum) against ONNX Runtime 1.30 (oracle), rtol 1e-4 and atol 1e-5.
/// </summary>
public sealed class SkipLayerNormalizationTests
{
    const int Hidden = 24;

    static TensorData Input(int seed) => OrtOracle.Floats(seed, [2, 3, Hidden], -3, 3);

    static TensorData Vector(int seed) => OrtOracle.Floats(seed, [Hidden]);

    [Fact]
    public void Matches_ort_with_gamma_only()
    {
        OrtOracle.AssertMatchesOrt("SkipLayerNormalization", [Input(1), Input(2), Vector(3)]);
    }

    [Fact]
    public void Matches_ort_with_beta_and_bias()
    {
        OrtOracle.AssertMatchesOrt("SkipLayerNormalization", [Input(4), Input(5), Vector(6), Vector(7), Vector(8)], constantInputs: [2, 3, 4]);
    }

    [Fact]
    public void Matches_ort_with_bias_but_no_beta()
    {
        OrtOracle.AssertMatchesOrt("SkipLayerNormalization", [Input(9), Input(10), Vector(11), null, Vector(12)]);
    }

    [Fact]
    public void Matches_ort_on_every_output()
    {
        OrtOracle.AssertMatchesOrt("SkipLayerNormalization", [Input(13), Input(14), Vector(15), Vector(16), Vector(17)],
            [Attr.Float("epsilon", 1e-5f)], outputCount: 4);
    }

    [Fact]
    public void Matches_ort_when_only_the_sum_output_is_read()
    {
        OrtOracle.AssertMatchesOrt("SkipLayerNormalization", [Input(18), Input(19), Vector(20), null, Vector(21)], outputCount: 4, graphOutputs: [3]);
    }

    [Theory]
    [InlineData(new long[] { 1, 3, Hidden })]
    [InlineData(new long[] { 3, Hidden })]
    public void Matches_ort_with_a_skip_broadcast_over_the_batch(long[] skipDims)
    {
        OrtOracle.AssertMatchesOrt("SkipLayerNormalization", [Input(22), OrtOracle.Floats(23, skipDims), Vector(24), Vector(25), Vector(26)],
            outputCount: 4, graphOutputs: [0, 3]);
    }

    [Fact]
    public void Matches_ort_on_two_threads_with_a_broadcast_skip_and_every_output()
    {
        // 4·32 rows of 256: each thread's rows start past the skip's 32, so a wrong skip row would show.
        OrtOracle.AssertMatchesOrt("SkipLayerNormalization",
            [OrtOracle.Floats(33, [4, 32, 256], -3, 3), OrtOracle.Floats(34, [32, 256]), OrtOracle.Floats(35, [256]), OrtOracle.Floats(36, [256]),
                OrtOracle.Floats(37, [256])],
            outputCount: 4, graphOutputs: [0, 3], threadCount: 2);
    }

    [Fact]
    public void Matches_ort_on_a_2d_input()
    {
        OrtOracle.AssertMatchesOrt("SkipLayerNormalization", [OrtOracle.Floats(27, [5, Hidden]), OrtOracle.Floats(28, [5, Hidden]), Vector(29)]);
    }

    [Fact]
    public void Uses_ort_default_epsilon_of_1e_12()
    {
        // Rows of tiny values: ε dominates the variance, so another default would show.
        var tiny = OrtOracle.Floats(30, [1, 2, Hidden], -1e-6f, 1e-6f);

        OrtOracle.AssertMatchesOrt("SkipLayerNormalization", [tiny, OrtOracle.Floats(31, [1, 2, Hidden], -1e-6f, 1e-6f), Vector(32)]);
    }
}
