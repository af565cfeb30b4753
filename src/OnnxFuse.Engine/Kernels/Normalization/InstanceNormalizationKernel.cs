using System.Numerics.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Normalization;

/// <summary>InstanceNormalization (float32): per image and channel, y = (x − μ) / √(σ² + ε) · scale[c] + bias[c].</summary>
sealed class InstanceNormalizationKernel(float epsilon) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var output = context.Output(0, ElementType.Float, x.Dims);
        Compute(x.Read<float>(), context.Input(1).Read<float>(), context.Input(2).Read<float>(), x.Dim(0), x.Dim(1), epsilon, output.Write<float>());
    }

    public static void Compute(ReadOnlySpan<float> input, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, int batchCount, int channelCount,
        float epsilon, Span<float> output)
    {
        var planeSize = batchCount * channelCount == 0 ? 0 : input.Length / (batchCount * channelCount);
        for (var plane = 0; plane < batchCount * channelCount; plane++)
        {
            var channel = plane % channelCount;
            var source = input.Slice(plane * planeSize, planeSize);
            var target = output.Slice(plane * planeSize, planeSize);
            var mean = TensorPrimitives.Sum(source) / planeSize;
            TensorPrimitives.Subtract(source, mean, target);
            var invStd = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(target) / planeSize + epsilon);
            TensorPrimitives.Multiply(target, invStd * scale[channel], target);
            TensorPrimitives.Add(target, bias[channel], target);
        }
    }
}
