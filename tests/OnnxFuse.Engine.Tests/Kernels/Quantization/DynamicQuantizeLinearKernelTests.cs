using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

/// <summary>DynamicQuantizeLinear against ONNX Runtime (exact for y and the zero point, 1e-7 relative for the scale).</summary>
public sealed class DynamicQuantizeLinearKernelTests
{
    [Theory]
    [InlineData(-3f, 5f)]
    [InlineData(0.5f, 4f)]
    [InlineData(-6f, -1f)]
    public void Quantizes_over_the_range_widened_to_zero_as_onnx_runtime_does(float min, float max)
    {
        var x = OrtOracle.Floats(seed: 21, [4, 33], min, max);

        OrtOracle.AssertMatchesOrt("DynamicQuantizeLinear", [x], domain: "", outputCount: 3, rtol: 1e-7, atol: 0);
    }

    [Fact]
    public void All_zero_input_gets_zero_codes_as_onnx_runtime_gives_them()
    {
        var x = TensorData.Create<float>([5], new float[5]);

        OrtOracle.AssertMatchesOrt("DynamicQuantizeLinear", [x], domain: "", outputCount: 3, rtol: 0, atol: 0);
    }
}
