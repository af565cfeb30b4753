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
        Check(input.Length, skipDims, skip.Length, bias.Length, hidden);
        for (var offset = 0; offset < input.Length; offset += skip.Length)
            ArithmeticKernel.Add(input.Slice(offset, skip.Length), skip, sum.Slice(offset, skip.Length));
        if (bias.IsEmpty)
            return;
        for (var offset = 0; offset < input.Length; offset += hidden)
            ArithmeticKernel.Add(sum.Slice(offset, hidden), bias, sum.Slice(offset, hidden));
    }

    /// <summary>Checks the shapes <see cref="Compute"/> and <see cref="Row"/> rely on.</summary>
    public static void Check(int inputLength, ReadOnlySpan<int> skipDims, int skipLength, int biasLength, int hidden)
    {
        if (skipLength == 0 ? inputLength != 0 : skipDims[^1] != hidden || skipLength % hidden != 0 || inputLength % skipLength != 0)
            Throw.ShapeMismatch($"skip {ShapeMath.Format(skipDims)} does not repeat over an input of {inputLength} values in rows of {hidden}");
        if (biasLength != 0 && biasLength != hidden)
            Throw.ShapeMismatch($"bias has {biasLength} values; the hidden size is {hidden}");
    }

    /// <summary>Row <paramref name="row"/> of the sum (shapes checked by <see cref="Check"/>): sumRow = inputRow + skip row (row mod skip rows) (+ bias).</summary>
    public static void Row(ReadOnlySpan<float> inputRow, ReadOnlySpan<float> skip, ReadOnlySpan<float> bias, int row, Span<float> sumRow)
    {
        var hidden = inputRow.Length;
        ArithmeticKernel.Add(inputRow, skip.Slice(row % (skip.Length / hidden) * hidden, hidden), sumRow);
        if (!bias.IsEmpty)
            ArithmeticKernel.Add(sumRow, bias, sumRow);
    }
}
