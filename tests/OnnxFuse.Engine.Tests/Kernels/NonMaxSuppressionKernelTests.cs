using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels;

/// <summary>NonMaxSuppression against ONNX Runtime 1.30 (oracle; the selected indices must be identical) on many random boxes.</summary>
public sealed class NonMaxSuppressionKernelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Matches_ort_on_random_overlapping_boxes(int centerPointBox)
    {
        var random = new Random(5 + centerPointBox);
        var boxes = new float[2 * 60 * 4];
        for (var i = 0; i < boxes.Length; i += 4)
        {
            var (a, b) = ((float)random.NextDouble() * 10, (float)random.NextDouble() * 10);
            (boxes[i], boxes[i + 1], boxes[i + 2], boxes[i + 3]) = centerPointBox == 1
                ? (a, b, 1 + (float)random.NextDouble() * 3, 1 + (float)random.NextDouble() * 3)
                : (a, b, a + 1 + (float)random.NextDouble() * 3, b - 1 - (float)random.NextDouble() * 3);
        }
        TensorData?[] inputs =
        [
            TensorData.Create<float>([2, 60, 4], boxes),
            OrtOracle.Floats(3, [2, 3, 60], 0f, 1f),
            TensorData.Create<long>([1], [7]),
            TensorData.Create<float>([1], [0.3f]),
            TensorData.Create<float>([1], [0.2f]),
        ];

        OrtOracle.AssertMatchesOrt("NonMaxSuppression", inputs, [Attr.Int("center_point_box", centerPointBox)], domain: "", rtol: 0, atol: 0);
    }
}
