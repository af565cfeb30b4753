using System.Numerics.Tensors;
using OnnxFuse.Engine.Kernels.Threading;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Normalization;

/// <summary>
/// LayerNormalization (float32): for each row of the trailing dimensions from <c>axis</c> on,
/// y = (x − μ) / √(σ² + ε) · scale + bias, with optional Mean and InvStdDev outputs (shape [..., 1, …, 1]).
/// Also serves com.microsoft SkipLayerNormalization (inputs input, skip, gamma, beta, bias; see <see cref="SkipSum"/>),
/// which normalizes x = input + skip (+ bias) over the last axis and may output the mean, 1/σ and the sum x (output 3).
/// Rows are split over the intra-op threads.
/// </summary>
sealed class LayerNormalizationKernel(long axis, float epsilon, bool isSkip) : Kernel
{
    public override unsafe void Run(KernelContext context)
    {
        var x = context.Input(0);
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, x.Rank);
        var rowSize = ShapeMath.Product(x.Dims, normalizedAxis, x.Rank);
        var rowCount = rowSize == 0 ? 0 : x.ElementCount / rowSize;
        var output = context.Output(0, ElementType.Float, x.Dims);
        ReadOnlySpan<float> input = x.Read<float>();
        var scale = context.Input(isSkip ? 2 : 1).Read<float>();
        var bias = context.OptionalInput(isSkip ? 3 : 2) is { } biasTensor ? biasTensor.Read<float>() : default;
        ReadOnlySpan<float> skip = default, skipBias = default;
        Span<float> sum = default;
        if (isSkip)
        {
            // Without a reader of output 3 the sum goes to scratch (an omitted output's slot).
            sum = context.Output(3, ElementType.Float, x.Dims).Write<float>();
            var skipTensor = context.Input(1);
            skip = skipTensor.Read<float>();
            skipBias = context.OptionalInput(4) is { } b ? b.Read<float>() : default;
            SkipSum.Check(input.Length, skipTensor.Dims, skip.Length, skipBias.Length, rowSize);
        }
        Span<int> statDims = stackalloc int[x.Rank];
        x.Dims.CopyTo(statDims);
        statDims[normalizedAxis..].Fill(1);
        var meanOutput = context.HasOutput(1) ? context.Output(1, ElementType.Float, statDims).Write<float>() : default;
        var invStdOutput = context.HasOutput(2) ? context.Output(2, ElementType.Float, statDims).Write<float>() : default;
        var y = output.Write<float>();
        fixed (float* inputPointer = input, skipPointer = skip, skipBiasPointer = skipBias, sumPointer = sum, scalePointer = scale,
            biasPointer = bias, meanPointer = meanOutput, invStdPointer = invStdOutput, outputPointer = y)
        {
            var rows = new Rows(inputPointer, isSkip ? skipPointer : null, skip.Length, skipBiasPointer, skipBias.Length, sumPointer,
                scalePointer, scale.Length, biasPointer, bias.Length, epsilon, rowSize, meanPointer, invStdPointer, outputPointer);
            ParallelRows.Run(rows, rowCount, rowSize, context.ThreadCount);
        }
    }

    /// <summary>Normalizes one row; <paramref name="bias"/> may be empty. Returns the row's mean and 1/σ.</summary>
    public static (float Mean, float InvStdDev) NormalizeRow(ReadOnlySpan<float> row, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias,
        float epsilon, Span<float> output)
    {
        var mean = TensorPrimitives.Sum(row) / row.Length;
        TensorPrimitives.Subtract(row, mean, output);
        var variance = TensorPrimitives.SumOfSquares(output) / row.Length;
        var invStd = 1f / MathF.Sqrt(variance + epsilon);
        TensorPrimitives.Multiply(output, invStd, output);
        TensorPrimitives.Multiply(output, scale, output);
        if (!bias.IsEmpty)
            TensorPrimitives.Add(output, bias, output);
        return (mean, invStd);
    }

    /// <summary>
    /// Pinned operands of one call. With a skip (not null), each row's residual sum goes to <c>sum</c> first and is
    /// normalized from there; a null mean or 1/σ pointer is an output nobody reads.
    /// </summary>
    unsafe readonly struct Rows(float* input, float* skip, int skipLength, float* skipBias, int skipBiasLength, float* sum,
        float* scale, int scaleLength, float* bias, int biasLength, float epsilon, int rowSize, float* mean, float* invStd, float* output) : IRowWork
    {
        public void Run(int firstRow, int endRow)
        {
            var scaleValues = new ReadOnlySpan<float>(scale, scaleLength);
            var biasValues = new ReadOnlySpan<float>(bias, biasLength);
            for (var row = firstRow; row < endRow; row++)
            {
                var offset = (nint)row * rowSize;
                var values = new ReadOnlySpan<float>(input + offset, rowSize);
                if (skip != null)
                {
                    var sumRow = new Span<float>(sum + offset, rowSize);
                    SkipSum.Row(values, new ReadOnlySpan<float>(skip, skipLength), new ReadOnlySpan<float>(skipBias, skipBiasLength), row, sumRow);
                    values = sumRow;
                }
                var (rowMean, rowInvStd) = NormalizeRow(values, scaleValues, biasValues, epsilon, new Span<float>(output + offset, rowSize));
                if (mean != null)
                    mean[row] = rowMean;
                if (invStd != null)
                    invStd[row] = rowInvStd;
            }
        }
    }
}
