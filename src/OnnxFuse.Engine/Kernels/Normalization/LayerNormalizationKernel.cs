using System.Numerics.Tensors;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Normalization;

/// <summary>
/// LayerNormalization (float32): for each row of the trailing dimensions from <c>axis</c> on,
/// y = (x − μ) / √(σ² + ε) · scale + bias, with optional Mean and InvStdDev outputs (shape [..., 1, …, 1]).
/// Also serves com.microsoft SkipLayerNormalization, which first forms x = input + skip (+ bias) and may output that sum.
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
            // SkipLayerNormalization: sum = input + skip (+ bias input 4), normalized; output 3 is the sum.
            var skip = context.Input(1).Read<float>();
            var sumTensor = context.HasOutput(3) ? context.Output(3, ElementType.Float, x.Dims) : context.Output(4, ElementType.Float, x.Dims);
            var sum = sumTensor.Write<float>();
            if (skip.Length == input.Length)
                TensorPrimitives.Add(input, skip, sum);
            else
            {
                for (var row = 0; row < rowCount; row++)
                    TensorPrimitives.Add(input.Slice(row * rowSize, rowSize), skip.Slice(row * rowSize % skip.Length, rowSize), sum.Slice(row * rowSize, rowSize));
            }
            if (context.OptionalInput(4) is { } addBias)
            {
                var b = addBias.Read<float>();
                for (var row = 0; row < rowCount; row++)
                    TensorPrimitives.Add(sum.Slice(row * rowSize, rowSize), b, sum.Slice(row * rowSize, rowSize));
            }
            input = sum;
        }
        Span<int> statDims = stackalloc int[x.Rank];
        x.Dims.CopyTo(statDims);
        statDims[normalizedAxis..].Fill(1);
        var meanOutput = !isSkip && context.HasOutput(1) ? context.Output(1, ElementType.Float, statDims).Write<float>() : default;
        var invStdOutput = !isSkip && context.HasOutput(2) ? context.Output(2, ElementType.Float, statDims).Write<float>() : default;
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
