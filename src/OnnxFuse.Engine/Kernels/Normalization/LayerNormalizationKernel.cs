using System.Numerics.Tensors;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Normalization;

/// <summary>
/// LayerNormalization (float32): for each row of the trailing dimensions from <c>axis</c> on,
/// y = (x − μ) / √(σ² + ε) · scale + bias, with optional Mean and InvStdDev outputs (shape [..., 1, …, 1]).
/// Also serves com.microsoft SkipLayerNormalization (inputs input, skip, gamma, beta, bias; see <see cref="SkipSum"/>),
/// which normalizes x = input + skip (+ bias) over the last axis and may output the mean, 1/σ and the sum x (output 3).
/// </summary>
sealed class LayerNormalizationKernel(long axis, float epsilon, bool isSkip) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, x.Rank);
        var rowSize = ShapeMath.Product(x.Dims, normalizedAxis, x.Rank);
        var rowCount = rowSize == 0 ? 0 : x.ElementCount / rowSize;
        var output = context.Output(0, ElementType.Float, x.Dims);
        ReadOnlySpan<float> input = x.Read<float>();
        var scaleInput = isSkip ? 2 : 1;
        var biasInput = isSkip ? 3 : 2;
        var scale = context.Input(scaleInput).Read<float>();
        var bias = context.OptionalInput(biasInput) is { } biasTensor ? biasTensor.Read<float>() : default;
        if (isSkip)
        {
            // Without a reader of output 3 the sum goes to scratch (an omitted output's slot).
            var sum = context.Output(3, ElementType.Float, x.Dims).Write<float>();
            var skip = context.Input(1);
            SkipSum.Compute(input, skip.Dims, skip.Read<float>(), context.OptionalInput(4) is { } b ? b.Read<float>() : default, rowSize, sum);
            input = sum;
        }
        Span<int> statDims = stackalloc int[x.Rank];
        x.Dims.CopyTo(statDims);
        statDims[normalizedAxis..].Fill(1);
        var meanOutput = context.HasOutput(1) ? context.Output(1, ElementType.Float, statDims).Write<float>() : default;
        var invStdOutput = context.HasOutput(2) ? context.Output(2, ElementType.Float, statDims).Write<float>() : default;
        var y = output.Write<float>();
        for (var row = 0; row < rowCount; row++)
        {
            var (mean, invStd) = NormalizeRow(input.Slice(row * rowSize, rowSize), scale, bias, epsilon, y.Slice(row * rowSize, rowSize));
            if (!meanOutput.IsEmpty)
                meanOutput[row] = mean;
            if (!invStdOutput.IsEmpty)
                invStdOutput[row] = invStd;
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
}
