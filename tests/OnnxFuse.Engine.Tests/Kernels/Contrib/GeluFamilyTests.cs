using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Contrib;

/// <summary>
/// com.microsoft Gelu, BiasGelu, FastGelu and QuickGelu against ONNX Runtime 1.30 (oracle), rtol 1e-4 and atol 1e-5, on
/// inputs in [−6, 6] whose row length (37) leaves a vector tail.
/// </summary>
public sealed class GeluFamilyTests
{
    static TensorData Input(int seed) => OrtOracle.Floats(seed, [3, 5, 37], -6, 6);

    static TensorData Bias(int seed, long length = 37) => OrtOracle.Floats(seed, [length], -2, 2);

    [Fact]
    public void Gelu_matches_ort()
    {
        OrtOracle.AssertMatchesOrt("Gelu", [Input(1)]);
    }

    [Fact]
    public void BiasGelu_matches_ort()
    {
        OrtOracle.AssertMatchesOrt("BiasGelu", [Input(2), Bias(3)], constantInputs: [1]);
    }

    [Fact]
    public void BiasGelu_matches_ort_on_two_threads_that_split_the_rows()
    {
        // 2·64 rows of 131 values: enough for both threads, and rows that do not fill whole vectors or chunks.
        OrtOracle.AssertMatchesOrt("BiasGelu", [OrtOracle.Floats(11, [2, 64, 131], -6, 6), Bias(12, 131)], constantInputs: [1], threadCount: 2);
    }

    [Fact]
    public void FastGelu_without_bias_matches_ort_on_two_threads()
    {
        OrtOracle.AssertMatchesOrt("FastGelu", [OrtOracle.Floats(13, [4, 4099], -6, 6)], threadCount: 2);
    }

    [Fact]
    public void FastGelu_matches_ort_without_bias()
    {
        OrtOracle.AssertMatchesOrt("FastGelu", [Input(4)]);
    }

    [Fact]
    public void FastGelu_matches_ort_with_bias()
    {
        OrtOracle.AssertMatchesOrt("FastGelu", [Input(5), Bias(6)]);
    }

    [Fact]
    public void QuickGelu_matches_ort_with_its_default_alpha()
    {
        OrtOracle.AssertMatchesOrt("QuickGelu", [Input(7)]);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.25f)]
    public void QuickGelu_matches_ort_with_an_explicit_alpha(float alpha)
    {
        OrtOracle.AssertMatchesOrt("QuickGelu", [Input(8)], [Attr.Float("alpha", alpha)]);
    }
}
