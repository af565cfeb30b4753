using OnnxFuse.Engine.Simd;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Normalization;

/// <summary>
/// BatchNormalization at inference (float32): y = (x − mean) / √(var + ε) · scale + bias per channel (axis 1),
/// folded into y = x · a + b with a, b per channel; computed once at plan time when the statistics are constant.
/// </summary>
sealed class BatchNormalizationKernel : Kernel
{
    readonly float _epsilon;
    readonly float[]? _scale;
    readonly float[]? _shift;

    public BatchNormalizationKernel(float epsilon, TensorData? scale, TensorData? bias, TensorData? mean, TensorData? variance)
    {
        _epsilon = epsilon;
        if (scale is { ElementType: ElementType.Float } && bias is { ElementType: ElementType.Float }
            && mean is { ElementType: ElementType.Float } && variance is { ElementType: ElementType.Float })
        {
            var count = (int)scale.ElementCount;
            _scale = new float[count];
            _shift = new float[count];
            Fold(scale.AsSpan<float>(), bias.AsSpan<float>(), mean.AsSpan<float>(), variance.AsSpan<float>(), epsilon, _scale, _shift);
        }
    }

    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var output = context.Output(0, ElementType.Float, x.Dims);
        var channelCount = x.Rank > 1 ? x.Dim(1) : 1;
        if (_scale is not null && _shift is not null)
        {
            Compute(x.Read<float>(), _scale, _shift, x.Dim(0), channelCount, output.Write<float>());
            return;
        }
        var scaleArray = new float[channelCount];
        var shiftArray = new float[channelCount];
        Fold(context.Input(1).Read<float>(), context.Input(2).Read<float>(), context.Input(3).Read<float>(), context.Input(4).Read<float>(),
            _epsilon, scaleArray, shiftArray);
        Compute(x.Read<float>(), scaleArray, shiftArray, x.Dim(0), channelCount, output.Write<float>());
    }

    /// <summary>a = scale / √(var + ε); b = bias − mean · a.</summary>
    public static void Fold(ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance,
        float epsilon, Span<float> channelScale, Span<float> channelShift)
    {
        for (var c = 0; c < channelScale.Length; c++)
        {
            channelScale[c] = scale[c] / MathF.Sqrt(variance[c] + epsilon);
            channelShift[c] = bias[c] - mean[c] * channelScale[c];
        }
    }

    /// <summary>y = x · a[c] + b[c] over X [batchCount, channelCount, spatial…].</summary>
    public static void Compute(ReadOnlySpan<float> input, ReadOnlySpan<float> channelScale, ReadOnlySpan<float> channelShift,
        int batchCount, int channelCount, Span<float> output)
    {
        var planeSize = batchCount * channelCount == 0 ? 0 : input.Length / (batchCount * channelCount);
        for (var n = 0; n < batchCount; n++)
        {
            for (var c = 0; c < channelCount; c++)
            {
                var offset = (n * channelCount + c) * planeSize;
                var target = output.Slice(offset, planeSize);
                UnaryDriver.Run(input.Slice(offset, planeSize), new ScaleShiftOp(channelScale[c], channelShift[c]), target);
            }
        }
    }
}
