using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Contrib;

/// <summary>
/// RMS normalization against ONNX Runtime 1.30 (oracle), rtol 1e-4 and atol 1e-5: SimplifiedLayerNormalization (ONNX
/// domain in ORT; outputs Y, inv_std_var) and com.microsoft SkipSimplifiedLayerNormalization (inputs input, skip, gamma,
/// bias; outputs output, mean, inv_std_var, input_skip_bias_sum).
/// </summary>
public sealed class SimplifiedLayerNormalizationTests
{
    const int Hidden = 20;

    static TensorData Input(int seed) => OrtOracle.Floats(seed, [2, 3, Hidden], -3, 3);

    static TensorData Vector(int seed) => OrtOracle.Floats(seed, [Hidden]);

    [Fact]
    public void Matches_ort_over_the_last_axis()
    {
        OrtOracle.AssertMatchesOrt("SimplifiedLayerNormalization", [Input(1), Vector(2)], domain: "");
    }

    [Fact]
    public void Matches_ort_on_the_inv_std_var_output_with_an_explicit_epsilon()
    {
        OrtOracle.AssertMatchesOrt("SimplifiedLayerNormalization", [Input(3), Vector(4)], [Attr.Float("epsilon", 1e-3f)], domain: "",
            outputCount: 2, constantInputs: [1]);
    }

    [Fact]
    public void Matches_ort_over_several_trailing_axes()
    {
        OrtOracle.AssertMatchesOrt("SimplifiedLayerNormalization", [Input(5), OrtOracle.Floats(6, [3, Hidden])], [Attr.Int("axis", 1)],
            domain: "", outputCount: 2);
    }

    [Fact]
    public void Matches_ort_with_a_scale_repeated_over_the_leading_normalized_axes()
    {
        OrtOracle.AssertMatchesOrt("SimplifiedLayerNormalization", [Input(7), Vector(8)], [Attr.Int("axis", 1)], domain: "", outputCount: 2);
    }

    [Fact]
    public void Skip_variant_matches_ort_without_bias()
    {
        OrtOracle.AssertMatchesOrt("SkipSimplifiedLayerNormalization", [Input(9), Input(10), Vector(11)]);
    }

    [Fact]
    public void Skip_variant_matches_ort_on_every_output_with_bias()
    {
        OrtOracle.AssertMatchesOrt("SkipSimplifiedLayerNormalization", [Input(12), Input(13), Vector(14), Vector(15)], outputCount: 4,
            constantInputs: [2, 3]);
    }

    [Theory]
    [InlineData(new long[] { 1, 3, Hidden })]
    [InlineData(new long[] { 3, Hidden })]
    public void Skip_variant_matches_ort_with_a_broadcast_skip(long[] skipDims)
    {
        OrtOracle.AssertMatchesOrt("SkipSimplifiedLayerNormalization", [Input(16), OrtOracle.Floats(17, skipDims), Vector(18), Vector(19)],
            [Attr.Float("epsilon", 1e-6f)], outputCount: 4, graphOutputs: [0, 3]);
    }

    [Fact]
    public void Skip_variant_uses_ort_default_epsilon_of_1e_12()
    {
        var tiny = OrtOracle.Floats(20, [1, 2, Hidden], -1e-6f, 1e-6f);

        OrtOracle.AssertMatchesOrt("SkipSimplifiedLayerNormalization", [tiny, OrtOracle.Floats(21, [1, 2, Hidden], -1e-6f, 1e-6f), Vector(22)]);
    }
}
