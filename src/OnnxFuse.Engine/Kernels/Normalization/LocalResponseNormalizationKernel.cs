using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Normalization;

/// <summary>
/// LRN (float32) on [N, C, spatial…]: y = x / (bias + α/size · Σ x²)^β, the sum over channels
/// [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉] clipped to [0, C).
/// </summary>
sealed class LocalResponseNormalizationKernel(int size, float alpha, float beta, float bias) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        if (input.ElementType != ElementType.Float || input.Rank < 3 || size < 1)
            Throw.ShapeMismatch($"LRN expects a float32 [N, C, …] input and a positive size, got {input} and size {size}");
        var output = context.Output(0, ElementType.Float, input.Dims);
        var (batch, channels) = (input.Dim(0), input.Dim(1));
        var spatial = batch * channels == 0 ? 0 : input.ElementCount / (batch * channels);
        var (before, after) = ((size - 1) / 2, size / 2);
        var scale = alpha / size;
        var x = input.Read<float>();
        var y = output.Write<float>();
        for (var n = 0; n < batch; n++)
        {
            for (var c = 0; c < channels; c++)
            {
                var (first, last) = (Math.Max(0, c - before), Math.Min(channels - 1, c + after));
                for (var s = 0; s < spatial; s++)
                {
                    var sum = 0f;
                    for (var k = first; k <= last; k++)
                    {
                        var value = x[(n * channels + k) * spatial + s];
                        sum += value * value;
                    }
                    var index = (n * channels + c) * spatial + s;
                    y[index] = x[index] / MathF.Pow(bias + scale * sum, beta);
                }
            }
        }
    }
}
