using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels;

public sealed class ConvNodeKernelTests
{
    [Theory]
    [InlineData(1, 1, 0, 1, 3)]
    [InlineData(2, 1, 1, 1, 3)]
    [InlineData(1, 2, 2, 1, 3)]
    [InlineData(2, 1, 1, 4, 3)]
    [InlineData(1, 1, 0, 2, 1)]
    public void Conv2d_matches_a_direct_convolution(int stride, int dilation, int pad, int groupCount, int kernelSize)
    {
        const int batch = 2, channels = 4, outputChannels = 8, height = 7, width = 6;
        var x = NodeRunner.Random([batch, channels, height, width], seed: 11);
        var w = NodeRunner.Random([outputChannels, channels / groupCount, kernelSize, kernelSize], seed: 12);
        var b = NodeRunner.Random([outputChannels], seed: 13);
        Attr[] attributes = [Attr.Ints("strides", [stride, stride]), Attr.Ints("dilations", [dilation, dilation]),
            Attr.Ints("pads", [pad, pad, pad, pad]), Attr.Int("group", groupCount)];

        var result = NodeRunner.Single("Conv", [x, w, b], attributes, constantInputs: true);

        // Oracle: the convolution sum written out directly, in double.
        var outputHeight = (height + 2 * pad - dilation * (kernelSize - 1) - 1) / stride + 1;
        var outputWidth = (width + 2 * pad - dilation * (kernelSize - 1) - 1) / stride + 1;
        Assert.Equal([batch, outputChannels, outputHeight, outputWidth], result.Dims);
        var xv = x.ToArray<float>();
        var wv = w.ToArray<float>();
        var bv = b.ToArray<float>();
        var expected = new float[batch * outputChannels * outputHeight * outputWidth];
        var groupChannels = channels / groupCount;
        var groupOutputs = outputChannels / groupCount;
        for (var n = 0; n < batch; n++)
            for (var m = 0; m < outputChannels; m++)
                for (var oh = 0; oh < outputHeight; oh++)
                    for (var ow = 0; ow < outputWidth; ow++)
                    {
                        double sum = bv[m];
                        var g = m / groupOutputs;
                        for (var c = 0; c < groupChannels; c++)
                            for (var kh = 0; kh < kernelSize; kh++)
                                for (var kw = 0; kw < kernelSize; kw++)
                                {
                                    var ih = oh * stride - pad + kh * dilation;
                                    var iw = ow * stride - pad + kw * dilation;
                                    if (ih < 0 || ih >= height || iw < 0 || iw >= width)
                                        continue;
                                    sum += xv[((n * channels + g * groupChannels + c) * height + ih) * width + iw]
                                        * (double)wv[((m * groupChannels + c) * kernelSize + kh) * kernelSize + kw];
                                }
                        expected[((n * outputChannels + m) * outputHeight + oh) * outputWidth + ow] = (float)sum;
                    }
        Numerics.AssertClose(expected, result.ToArray<float>(), rtol: 1e-5f, atol: 1e-5f);
    }

    [Fact]
    public void Conv1d_with_same_upper_padding_keeps_the_length()
    {
        var x = NodeRunner.Floats([1, 1, 5], 1, 2, 3, 4, 5);
        var w = NodeRunner.Floats([1, 1, 3], 1, 1, 1);

        var result = NodeRunner.Single("Conv", [x, w], [Attr.String("auto_pad", "SAME_UPPER")]);

        // Oracle: hand-computed moving sums with zero padding.
        Assert.Equal([1L, 1, 5], result.Dims);
        Assert.Equal([3f, 6f, 9f, 12f, 9f], result.ToArray<float>());
    }
}
