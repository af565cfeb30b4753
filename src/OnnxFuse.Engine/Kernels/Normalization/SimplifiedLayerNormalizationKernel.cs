using System.Numerics.Tensors;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Normalization;

/// <summary>
/// RMS normalization (float32), ONNX Runtime's SimplifiedLayerNormalization: for each row of the trailing dimensions
/// from <c>axis</c> on, y = x / √(mean(x²) + ε) · scale, with the optional inv_std_var output 1/√(mean(x²) + ε) of
/// shape [..., 1, …, 1]. A scale shorter than the row repeats along it (ORT broadcasts it over the leading normalized
/// dimensions). Also serves com.microsoft SkipSimplifiedLayerNormalization (<paramref name="isSkip"/>): inputs input,
/// skip, gamma and bias (index 3); x = input + skip (+ bias) is normalized over the last axis; output 1 is zero, as
/// ONNX Runtime 1.30 leaves the mean of an RMS norm, output 2 is 1/√(mean(x²) + ε) and output 3 the sum x.
/// </summary>
sealed class SimplifiedLayerNormalizationKernel(long axis, float epsilon, bool isSkip) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        if (x.ElementType != ElementType.Float)
            Throw.ShapeMismatch($"SimplifiedLayerNormalization supports float32 only, got {x.ElementType.DisplayName()}");
        var normalizedAxis = ShapeMath.NormalizeAxis(isSkip ? -1 : axis, x.Rank);
        var rowSize = ShapeMath.Product(x.Dims, normalizedAxis, x.Rank);
        var rowCount = rowSize == 0 ? 0 : x.ElementCount / rowSize;
        var scale = context.Input(isSkip ? 2 : 1).Read<float>();
        var scaleFits = isSkip ? scale.Length == rowSize : scale.Length > 0 ? rowSize % scale.Length == 0 : rowSize == 0;
        if (!scaleFits)
            Throw.ShapeMismatch($"SimplifiedLayerNormalization scale has {scale.Length} values; rows have {rowSize}");
        var output = context.Output(0, ElementType.Float, x.Dims).Write<float>();
        ReadOnlySpan<float> input = x.Read<float>();
        if (isSkip)
        {
            var skip = context.Input(1);
            var bias = context.OptionalInput(3) is { } b ? b.Read<float>() : default;
            // Without a reader of output 3 the sum goes to scratch (an omitted output's slot).
            var sum = context.Output(3, ElementType.Float, x.Dims).Write<float>();
            SkipSum.Compute(input, skip.Dims, skip.Read<float>(), bias, rowSize, sum);
            input = sum;
        }
        Span<int> statDims = stackalloc int[x.Rank];
        x.Dims.CopyTo(statDims);
        statDims[normalizedAxis..].Fill(1);
        var invStdIndex = isSkip ? 2 : 1;
        if (isSkip && context.HasOutput(1))
            context.Output(1, ElementType.Float, statDims).Write<float>().Clear();
        var invStdOutput = context.HasOutput(invStdIndex) ? context.Output(invStdIndex, ElementType.Float, statDims).Write<float>() : default;
        for (var row = 0; row < rowCount; row++)
        {
            var invStd = NormalizeRow(input.Slice(row * rowSize, rowSize), scale, epsilon, output.Slice(row * rowSize, rowSize));
            if (!invStdOutput.IsEmpty)
                invStdOutput[row] = invStd;
        }
    }

    /// <summary>
    /// Normalizes one row: output = row / √(mean(row²) + ε) · scale, <paramref name="scale"/> repeated along the row.
    /// Returns 1/√(mean(row²) + ε).
    /// </summary>
    public static float NormalizeRow(ReadOnlySpan<float> row, ReadOnlySpan<float> scale, float epsilon, Span<float> output)
    {
        var invStd = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(row) / row.Length + epsilon);
        TensorPrimitives.Multiply(row, invStd, output);
        for (var offset = 0; offset < output.Length; offset += scale.Length)
            TensorPrimitives.Multiply(output.Slice(offset, scale.Length), scale, output.Slice(offset, scale.Length));
        return invStd;
    }
}
