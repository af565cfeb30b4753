namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// The scalar reference convolution (direct loops, shapes in <see cref="ConvParameters"/>):
/// y[n, m, oy, ox] = act(bias[m] + Σ_{c, kh, kw} x[n, g·C/G + c, oy·sh − pt + kh·dh, ox·sw − pl + kw·dw] · w[m, c, kh, kw]),
/// with zero padding and g = m / (M/G). Weights are unpacked [M × C/G × kh × kw].
/// </summary>
public static class ConvKernelScalar
{
    public static void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, in ConvParameters p, Span<float> output)
    {
        p.Validate(input.Length, bias.Length, output.Length);
        if (weights.Length < p.WeightLength)
            Ir.Errors.Throw.ShapeMismatch($"Conv weights hold {weights.Length} values; {p.WeightLength} needed.");
        var (outputHeight, outputWidth) = (p.OutputHeight, p.OutputWidth);
        var groupInputs = p.GroupInputChannels;
        var groupOutputs = p.GroupOutputChannels;
        for (var n = 0; n < p.BatchCount; n++)
        {
            for (var m = 0; m < p.OutputChannelCount; m++)
            {
                var group = m / groupOutputs;
                for (var oy = 0; oy < outputHeight; oy++)
                {
                    for (var ox = 0; ox < outputWidth; ox++)
                    {
                        var sum = bias.IsEmpty ? 0f : bias[m];
                        for (var c = 0; c < groupInputs; c++)
                        {
                            var channel = group * groupInputs + c;
                            for (var kh = 0; kh < p.KernelHeight; kh++)
                            {
                                var iy = oy * p.StrideHeight - p.PadTop + kh * p.DilationHeight;
                                if ((uint)iy >= (uint)p.InputHeight)
                                    continue;
                                for (var kw = 0; kw < p.KernelWidth; kw++)
                                {
                                    var ix = ox * p.StrideWidth - p.PadLeft + kw * p.DilationWidth;
                                    if ((uint)ix >= (uint)p.InputWidth)
                                        continue;
                                    var x = input[((n * p.InputChannelCount + channel) * p.InputHeight + iy) * p.InputWidth + ix];
                                    var w = weights[((m * groupInputs + c) * p.KernelHeight + kh) * p.KernelWidth + kw];
                                    sum += x * w;
                                }
                            }
                        }
                        output[((n * p.OutputChannelCount + m) * outputHeight + oy) * outputWidth + ox] = p.Activation.Apply(sum);
                    }
                }
            }
        }
    }
}
