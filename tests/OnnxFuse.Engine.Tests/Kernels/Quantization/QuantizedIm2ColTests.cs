using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Quantization;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

// Oracle: the scalar reference (PackScalar), which QLinearConv's ONNX Runtime comparisons cover; the vector path's packed
// int16 pairs must equal it exactly, padding columns included.
public sealed class QuantizedIm2ColTests
{
    public static TheoryData<int, int, int, int, int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, int, int, int, int, bool>();
        foreach (var signed in new[] { false, true })
        {
            // channels, height, width, kernel, stride, pad (all sides), dilation
            data.Add(3, 224, 224, 3, 2, 1, 1, signed);
            data.Add(3, 17, 33, 3, 2, 1, 1, signed);
            data.Add(2, 9, 9, 3, 1, 1, 1, signed);
            data.Add(5, 12, 40, 5, 2, 2, 1, signed);
            data.Add(1, 7, 70, 2, 1, 0, 1, signed);
            data.Add(4, 11, 37, 3, 3, 1, 1, signed);
            data.Add(3, 15, 15, 3, 1, 2, 2, signed);
            data.Add(6, 8, 8, 1, 2, 0, 1, signed);
            data.Add(7, 5, 19, 1, 1, 0, 1, signed);
            data.Add(3, 3, 3, 4, 2, 3, 1, signed);
        }
        return data;
    }

    // Above the split threshold (depth × spatial ≥ 32K), odd widths so ranges end inside a row and inside a 16-column panel.
    public static TheoryData<int, int, int, int, int, int, int, bool> SplitShapes()
    {
        var data = new TheoryData<int, int, int, int, int, int, int, bool>();
        foreach (var signed in new[] { false, true })
        {
            data.Add(3, 225, 223, 3, 2, 1, 1, signed);
            data.Add(5, 61, 47, 3, 1, 1, 1, signed);
            data.Add(24, 57, 59, 1, 1, 0, 1, signed);
            data.Add(17, 45, 45, 1, 1, 0, 1, signed);
        }
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Vector_packing_equals_the_scalar_reference(int channels, int height, int width, int kernel, int stride, int pad, int dilation,
        bool signed) => AssertPackingMatchesReference(channels, height, width, kernel, stride, pad, dilation, signed, threadCount: 1);

    [Theory, MemberData(nameof(SplitShapes))]
    public void Packing_split_over_two_threads_equals_the_scalar_reference(int channels, int height, int width, int kernel, int stride, int pad,
        int dilation, bool signed) => AssertPackingMatchesReference(channels, height, width, kernel, stride, pad, dilation, signed, threadCount: 2);

    static void AssertPackingMatchesReference(int channels, int height, int width, int kernel, int stride, int pad, int dilation, bool signed,
        int threadCount)
    {
        if (!Int8Gemm.UsesVector256)
            return;
        var p = new ConvParameters(1, channels, height, width, 4, kernel, kernel)
        {
            ThreadCount = threadCount,
            StrideHeight = stride,
            StrideWidth = stride,
            PadTop = pad,
            PadLeft = pad,
            PadBottom = pad,
            PadRight = pad,
            DilationHeight = dilation,
            DilationWidth = dilation,
        };
        var random = new Random(channels * 1000 + width * 10 + kernel);
        var input = new byte[channels * height * width];
        random.NextBytes(input);
        var zeroPoint = signed ? -7 : 131;
        var length = Int8PackedColumns.Length(p.PatchSize, p.OutputHeight * p.OutputWidth);
        var expected = new int[length];
        var actual = Enumerable.Repeat(12345, length).ToArray();

        if (signed)
        {
            var values = input.Select(b => unchecked((sbyte)b)).ToArray();
            QuantizedIm2Col.PackScalar<sbyte>(values, zeroPoint, p, expected);
            QuantizedIm2Col.Pack<sbyte>(values, zeroPoint, p, actual, vector: true);
        }
        else
        {
            QuantizedIm2Col.PackScalar<byte>(input, zeroPoint, p, expected);
            QuantizedIm2Col.Pack<byte>(input, zeroPoint, p, actual, vector: true);
        }

        Assert.Equal(expected, actual);
    }
}
