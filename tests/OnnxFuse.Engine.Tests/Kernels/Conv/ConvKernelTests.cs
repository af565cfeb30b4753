using OnnxFuse.Engine.Kernels;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Gemm;

namespace OnnxFuse.Engine.Tests.Kernels.Conv;

// Oracle: ConvKernelScalar (direct loops). Inputs and weights are U(−1, 1), so every output's Σ|x·w| is at most the
// patch size P; tolerance |Δ| ≤ 1e-5·(1 + P) + 2e-6 (float summation order differs between im2col/GEMM and direct).
public sealed class ConvKernelTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var kernel in new[] { 1, 3, 5 })
        {
            foreach (var groups in new[] { 1, 2 })
            {
                foreach (var stride in new[] { 1, 2 })
                {
                    foreach (var dilation in new[] { 1, 2 })
                    {
                        foreach (var pad in new[] { 0, 1, 2 })
                            data.Add($"{kernel},{groups},{stride},{dilation},{pad}");
                    }
                }
            }
        }
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Matches_scalar_reference_over_groups_strides_dilations_pads_and_kernel_sizes(string shape)
    {
        var v = shape.Split(',').Select(int.Parse).ToArray();
        var (kernel, groups, stride, dilation, pad) = (v[0], v[1], v[2], v[3], v[4]);
        var p = new ConvParameters(2, 4, 11, 13, 6, kernel, kernel)
        {
            GroupCount = groups,
            StrideHeight = stride,
            StrideWidth = stride,
            DilationHeight = dilation,
            DilationWidth = dilation,
            PadTop = pad,
            PadLeft = pad,
            PadBottom = pad + 1,
            PadRight = pad,
            Activation = Activation.Relu,
        };
        if (p.OutputHeight <= 0 || p.OutputWidth <= 0)
            return;
        Check(p, withBias: true);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void One_dimensional_conv_is_height_one(int kernel)
    {
        Check(new ConvParameters(1, 3, 1, 50, 5, 1, kernel) { PadLeft = kernel / 2, PadRight = kernel / 2, StrideWidth = 2 }, withBias: true);
        Check(new ConvParameters(2, 4, 1, 33, 4, 1, kernel) { GroupCount = 2, DilationWidth = 2, Activation = Activation.Gelu }, withBias: false);
    }

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(5, 1, 2)]
    [InlineData(3, 2, 0)]
    public void Depthwise_matches_scalar_reference(int kernel, int stride, int pad)
    {
        // MobileNetV2 style: 3×3 depthwise with Relu6, odd widths to exercise vector tails.
        var p = new ConvParameters(2, 24, 19, 37, 24, kernel, kernel)
        {
            GroupCount = 24,
            StrideHeight = stride,
            StrideWidth = stride,
            PadTop = pad,
            PadLeft = pad,
            PadBottom = pad,
            PadRight = pad,
            Activation = Activation.Relu6,
        };
        Check(p, withBias: true);
        Check(p with { DilationHeight = 2, DilationWidth = 2, PadBottom = pad + 2, PadRight = pad + 2, Activation = Activation.None }, withBias: false);
    }

    [Fact]
    public void Depthwise_stride_2_on_two_threads_matches_scalar_reference()
    {
        // Wide rows so the de-interleaving vector path runs several times per row; enough work to fork.
        var p = new ConvParameters(1, 32, 30, 66, 32, 3, 3)
        {
            GroupCount = 32,
            StrideHeight = 2,
            StrideWidth = 2,
            PadTop = 1,
            PadLeft = 1,
            PadBottom = 1,
            PadRight = 1,
            Activation = Activation.Relu6,
            ThreadCount = 2,
        };
        Check(p, withBias: true);
        Check(p with { PadLeft = 0, PadRight = 0, InputWidth = 67 }, withBias: false);
    }

    [Theory]
    [InlineData(7, 7, 3, 1, 1)]
    [InlineData(14, 13, 3, 1, 1)]
    [InlineData(9, 11, 5, 2, 0)]
    [InlineData(4, 15, 3, 2, 2)]
    public void Depthwise_small_planes_match_scalar_reference(int height, int width, int kernel, int dilation, int pad)
    {
        // MobileNet's 7×7 and 14×14 stages run whole padded planes; asymmetric pads and dilation shift the taps.
        var p = new ConvParameters(2, 40, height, width, 40, kernel, kernel)
        {
            GroupCount = 40,
            DilationHeight = dilation,
            DilationWidth = dilation,
            PadTop = pad,
            PadLeft = pad,
            PadBottom = pad + 1,
            PadRight = pad + 1,
            Activation = Activation.Relu6,
        };
        Check(p, withBias: true);
        Check(p with { ThreadCount = 2, Activation = Activation.None }, withBias: false);
    }

    [Theory]
    [InlineData(45, 1)]
    [InlineData(46, 0)]
    [InlineData(64, 1)]
    public void Stride_2_conv_through_im2col_matches_scalar_reference(int width, int pad)
    {
        // MobileNet's stem: rows wide enough for the de-interleaving vector gather, with its scalar tail.
        Check(new ConvParameters(1, 3, 20, width, 8, 3, 3)
        {
            StrideHeight = 2,
            StrideWidth = 2,
            PadTop = pad,
            PadLeft = pad,
            PadBottom = pad,
            PadRight = pad,
            Activation = Activation.Relu6,
        }, withBias: true);
    }

    [Fact]
    public void Im2col_bands_on_two_threads_match_scalar_reference()
    {
        // MobileNet's stem (many bands, split across the threads), then a grouped conv whose bands do not divide its rows.
        Check(new ConvParameters(1, 3, 224, 224, 32, 3, 3)
        {
            StrideHeight = 2,
            StrideWidth = 2,
            PadTop = 1,
            PadLeft = 1,
            PadBottom = 1,
            PadRight = 1,
            Activation = Activation.Relu6,
            ThreadCount = 2,
        }, withBias: true);
        Check(new ConvParameters(2, 64, 23, 19, 32, 3, 3) { GroupCount = 2, PadTop = 1, PadBottom = 1, ThreadCount = 2 }, withBias: true);
    }

    public static TheoryData<int> RowWidths() => [.. Enumerable.Range(1, 40), 63, 64, 65, 113];

    [Theory, MemberData(nameof(RowWidths))]
    public void Depthwise_3x3_matches_scalar_reference_at_every_row_width(int width)
    {
        // The padded-plane 3×3 kernel: rows of two vectors, one vector and a partial last vector, stride 2's even and
        // odd columns swapping halves with the left pad's parity, and the three ways the activation is applied.
        foreach (var stride in new[] { 1, 2 })
        {
            foreach (var (padLeft, padRight) in new[] { (0, 0), (1, 1), (1, 0), (2, 1) })
            {
                var p = new ConvParameters(1, 3, 5, width, 3, 3, 3)
                {
                    GroupCount = 3,
                    StrideHeight = stride,
                    StrideWidth = stride,
                    PadTop = padLeft,
                    PadLeft = padLeft,
                    PadBottom = padRight,
                    PadRight = padRight,
                };
                if (p.OutputWidth <= 0 || p.OutputHeight <= 0)
                    continue;
                Check(p with { Activation = Activation.Relu6 }, withBias: true);
                Check(p with { Activation = Activation.Relu }, withBias: false);
                Check(p with { Activation = Activation.Sigmoid }, withBias: true);
                Check(p, withBias: true);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Depthwise_3x3_stride_2_rows_match_scalar_reference_at_odd_and_even_sizes_and_every_pad(int channels)
    {
        // Stride-2 rows wider than one vector run through a ring of three de-interleaved rows and a shared zero row: odd and
        // even heights and widths (vector tails in the de-interleaving and in the outputs), each pad 0 or 1 on its own.
        foreach (var (height, width) in new[] { (17, 17), (18, 18), (23, 40), (57, 56), (28, 29), (112, 112) })
        {
            for (var pads = 0; pads < 16; pads++)
            {
                var p = new ConvParameters(1, channels, height, width, channels, 3, 3)
                {
                    GroupCount = channels,
                    StrideHeight = 2,
                    StrideWidth = 2,
                    PadTop = pads & 1,
                    PadLeft = (pads >> 1) & 1,
                    PadBottom = (pads >> 2) & 1,
                    PadRight = (pads >> 3) & 1,
                };
                Check(p with { Activation = Activation.Relu6 }, withBias: true);
                Check(p, withBias: false);
            }
        }
    }

    [Fact]
    public void Pointwise_conv_runs_as_one_gemm_with_bias_and_activation()
    {
        var p = new ConvParameters(2, 32, 14, 14, 48, 1, 1) { Activation = Activation.Sigmoid, ThreadCount = 2 };
        Check(p, withBias: true);
        Check(p with { GroupCount = 4, Activation = Activation.LeakyRelu(0.1f) }, withBias: true);
    }

    [Fact]
    public void Rejects_weights_packed_for_another_shape()
    {
        var p = new ConvParameters(1, 4, 8, 8, 4, 3, 3);
        var packed = ConvKernel.PackWeights(new float[4 * 4 * 9], p);
        Assert.Throws<OnnxFuse.Ir.Errors.ShapeMismatchException>(() =>
            ConvKernel.Run(new float[4 * 64], packed, default, p with { PadTop = 1 }, new float[4 * 7 * 6]));
    }

    [Theory]
    [InlineData(2, 0, 2)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 0, 3)]
    public void A_kernel_wider_than_the_padded_input_is_refused_as_onnx_floors_it(int width, int pad, int stride)
    {
        // ⌊(width + 2·pad − 3) / stride⌋ + 1 ≤ 0 for a 3-wide kernel: no output column, not one.
        var p = new ConvParameters(1, 1, 5, width, 1, 3, 3) { PadLeft = pad, PadRight = pad, StrideWidth = stride };

        Assert.True(p.OutputWidth <= 0);
        var error = Assert.Throws<OnnxFuse.Ir.Errors.ShapeMismatchException>(() => ConvKernel.PackWeights(new float[9], p));
        Assert.Contains("the kernel is larger than the padded input", error.Message, StringComparison.Ordinal);
    }

    static void Check(ConvParameters p, bool withBias)
    {
        var input = TestData.Uniform((int)(p.BatchCount * p.InputChannelCount * p.InputHeight * p.InputWidth), -1, 1, seed: 1);
        var weights = TestData.Uniform(p.OutputChannelCount * (p.InputChannelCount / p.GroupCount) * p.KernelHeight * p.KernelWidth, -1, 1, seed: 2);
        var bias = withBias ? TestData.Uniform(p.OutputChannelCount, -1, 1, seed: 3) : [];
        var outputLength = p.BatchCount * p.OutputChannelCount * p.OutputHeight * p.OutputWidth;
        var expected = new float[outputLength];
        ConvKernelScalar.Run(input, weights, bias, p, expected);
        var tolerance = 1e-5f * (1 + p.InputChannelCount / p.GroupCount * p.KernelHeight * p.KernelWidth) + 2e-6f;

        foreach (var variant in new[] { GemmVariant.Scalar, GemmVariant.Vector256, GemmVariant.Vector512 })
        {
            var actual = new float[outputLength];
            ConvKernel.Run(input, ConvKernel.PackWeights(weights, p, variant), bias, p, actual);
            for (var i = 0; i < outputLength; i++)
            {
                if (!(MathF.Abs(expected[i] - actual[i]) <= tolerance))
                    Assert.Fail($"{variant} {p}: output[{i}] = {actual[i]}, expected {expected[i]} (tolerance {tolerance:E2})");
            }
        }
    }
}
