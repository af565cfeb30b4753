using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Normalization;

/// <summary>
/// The residual sum of com.microsoft SkipLayerNormalization and SkipSimplifiedLayerNormalization:
/// sum = input + skip (+ bias), input [.., hidden]. As in ONNX Runtime, skip may be [B, S, hidden], [1, S, hidden] or
/// [S, hidden]: it repeats over the input (row r reads skip row r mod skip rows), and bias [hidden] repeats on every row.
/// </summary>
static class SkipSum
{
    public static void Compute(ReadOnlySpan<float> input, ReadOnlySpan<int> skipDims, ReadOnlySpan<float> skip, ReadOnlySpan<float> bias,
        int hidden, Span<float> sum)
    {
        if (skip.IsEmpty ? !input.IsEmpty : skipDims[^1] != hidden || skip.Length % hidden != 0 || input.Length % skip.Length != 0)
            Throw.ShapeMismatch($"skip {ShapeMath.Format(skipDims)} does not repeat over an input of {input.Length} values in rows of {hidden}");
        if (!bias.IsEmpty && bias.Length != hidden)
            Throw.ShapeMismatch($"bias has {bias.Length} values; the hidden size is {hidden}");
        for (var offset = 0; offset < input.Length; offset += skip.Length)
            ArithmeticKernel.Add(input.Slice(offset, skip.Length), skip, sum.Slice(offset, skip.Length));
        if (bias.IsEmpty)
            return;
        for (var offset = 0; offset < input.Length; offset += hidden)
            ArithmeticKernel.Add(sum.Slice(offset, hidden), bias, sum.Slice(offset, hidden));
    }
}
