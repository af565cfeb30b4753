using System.Buffers;
using System.Numerics.Tensors;
using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Simd;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Activations;

/// <summary>
/// Softmax and LogSoftmax (float32). Opset 13+: normalizes along the single axis <paramref name="axis"/> (default −1).
/// Before 13 (<paramref name="coerceTo2D"/>): the input is viewed as 2-D [∏dims[..axis], ∏dims[axis..]] (default axis 1)
/// and each row is normalized.
/// </summary>
sealed class SoftmaxKernel(long axis, bool coerceTo2D, bool isLog) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var output = context.Output(0, ElementType.Float, x.Dims);
        if (x.ElementCount == 0)
            return;
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, x.Rank);
        var input = x.Read<float>();
        var y = output.Write<float>();
        if (coerceTo2D)
        {
            var rowSize = ShapeMath.Product(x.Dims, normalizedAxis, x.Rank);
            Rows(input, rowSize, isLog, y);
            return;
        }
        var axisSize = x.Dim(normalizedAxis);
        var innerSize = ShapeMath.Product(x.Dims, normalizedAxis + 1, x.Rank);
        if (innerSize == 1)
        {
            Rows(input, axisSize, isLog, y);
            return;
        }
        // A non-trailing axis: gather each strided line into a row, normalize, scatter back.
        var outerSize = x.ElementCount / (axisSize * innerSize);
        var line = ArrayPool<float>.Shared.Rent(axisSize * 2);
        var source = line.AsSpan(0, axisSize);
        var target = line.AsSpan(axisSize, axisSize);
        for (var outer = 0; outer < outerSize; outer++)
        {
            for (var inner = 0; inner < innerSize; inner++)
            {
                var start = outer * axisSize * innerSize + inner;
                for (var i = 0; i < axisSize; i++)
                    source[i] = input[start + i * innerSize];
                Row(source, isLog, target);
                for (var i = 0; i < axisSize; i++)
                    y[start + i * innerSize] = target[i];
            }
        }
        ArrayPool<float>.Shared.Return(line);
    }

    static void Rows(ReadOnlySpan<float> input, int rowSize, bool isLog, Span<float> output)
    {
        for (var offset = 0; offset < input.Length; offset += rowSize)
            Row(input.Slice(offset, rowSize), isLog, output.Slice(offset, rowSize));
    }

    /// <summary>softmax: e^(x−max) / Σ e^(x−max); log-softmax: x − max − ln Σ e^(x−max).</summary>
    public static void Row(ReadOnlySpan<float> row, bool isLog, Span<float> output)
    {
        var max = TensorPrimitives.Max(row);
        if (!isLog)
        {
            UnaryDriver.Run(row, new ShiftedExpOp(-max), output);
            ArithmeticKernel.Multiply(output, 1f / TensorPrimitives.Sum(output), output);
            return;
        }
        TensorPrimitives.Subtract(row, max, output);
        var sum = 0f;
        foreach (var v in output)
            sum += MathF.Exp(v);
        TensorPrimitives.Subtract(output, MathF.Log(sum), output);
    }
}
