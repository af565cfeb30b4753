using System.Runtime.InteropServices;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Quantization;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

// Oracle: the defining sum Σₖ (A − za)(B − zb) in long arithmetic (and, for requantized output and convolutions, Int8Gemm's
// scalar reference, itself checked against that sum and ONNX Runtime); integers must match exactly. Tests named
// "..._scalar_..." run everywhere and check the quad packing and the zero point correction; the [AvxVnni...] ones execute
// vpdpbusd and are skipped on CPUs without AVX-VNNI.
public sealed class Int8GemmQuadsTests
{
    // rows, columns, depth: around the 6-row panel, the 8- and 16-column tiles, the 64-column chunk and depth mod 4.
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 1, 16, 4 }, { 5, 17, 3 }, { 6, 16, 8 }, { 7, 37, 45 }, { 13, 49, 98 }, { 12, 64, 33 }, { 11, 8, 7 },
        { 6, 9, 161 }, { 2, 200, 2 }, { 19, 65, 63 }, { 3, 127, 130 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Scalar_quad_product_matches_reference_with_zero_points(int rows, int columns, int depth) =>
        CheckAllOperandKinds(vector: false, rows, columns, depth, threadCount: 1);

    [AvxVnniTheory, MemberData(nameof(Shapes))]
    public void Avx_vnni_quad_product_matches_reference_with_zero_points(int rows, int columns, int depth) =>
        CheckAllOperandKinds(vector: true, rows, columns, depth, threadCount: 1);

    [Fact]
    public void Scalar_quad_product_on_two_threads_matches_reference() =>
        CheckAllOperandKinds(vector: false, 37, 131, 99, threadCount: 2);

    [AvxVnniFact]
    public void Avx_vnni_quad_product_on_two_threads_matches_reference() =>
        CheckAllOperandKinds(vector: true, 131, 257, 99, threadCount: 2);

    [AvxVnniFact]
    public void Avx_vnni_extreme_values_wrap_back_to_the_exact_result()
    {
        // 255 · (−128) summed over 4099 k is −1.3·10⁸ in the accumulators; the correction −3 · Σ(−128) must land on the exact value.
        const int rows = 7, columns = 33, depth = 4099;
        var a = Enumerable.Repeat(unchecked((byte)(sbyte)-128), rows * depth).ToArray();
        var b = Enumerable.Repeat((byte)255, depth * columns).ToArray();
        var expected = Int8ProductReference.Multiply(a, true, [], b, false, [3], rows, columns, depth);
        Assert.Equal(expected, MultiplyQuads(vector: true, a, true, [], b, false, 3, rows, columns, depth, 1));
    }

    [Fact]
    public void Quad_rows_are_refused_when_a_weight_minus_its_zero_point_does_not_fit_int8()
    {
        byte[] fits = [0, 128, 255];
        byte[] tooLow = [0, 3, 200];

        Assert.NotNull(Int8QuadRows.TryPack<byte>(fits, 1, 3, 3, 1, [128]));
        Assert.Null(Int8QuadRows.TryPack<byte>(tooLow, 1, 3, 3, 1, [3]));
        Assert.Null(Int8QuadRows.TryPack<byte>(fits, 3, 1, 1, 1, [0, 0, 127]));
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(3, 16, false)]
    [InlineData(4, 17, true)]
    [InlineData(5, 31, true)]
    [InlineData(9, 64, false)]
    [InlineData(10, 100, true)]
    [InlineData(33, 1025, false)]
    [InlineData(70, 1000, true)]
    public void Vector_column_packing_equals_the_scalar_reference(int depth, int columns, bool signed)
    {
        var random = new Random(depth * 1000 + columns);
        var rows = new byte[depth * columns];
        random.NextBytes(rows);
        var length = Int8QuadColumns.Length(depth, columns);
        var expected = new int[length];
        var actual = Enumerable.Repeat(12345, length).ToArray();

        var reference = Int8QuadColumns.PackScalar(rows, signed, 5, depth, columns, expected);
        var packed = Int8QuadColumns.Pack(rows, signed, 5, depth, columns, actual, vector: true, threadCount: 2);

        Assert.Equal(expected, actual);
        Assert.Equal(reference.ZeroPoint, packed.ZeroPoint);
        Assert.Equal(signed ? 133 : 5, packed.ZeroPoint);
    }

    public static TheoryData<int, int, int, bool, bool> RequantizedShapes() => new()
    {
        { 7, 37, 45, true, false }, { 13, 49, 96, false, true }, { 6, 9, 160, true, true }, { 19, 196, 63, true, false },
        { 96, 200, 16, false, false }, { 1, 16, 1, true, true },
    };

    [Theory, MemberData(nameof(RequantizedShapes))]
    public void Scalar_quad_requantized_output_equals_the_int16_reference(int rows, int columns, int depth, bool perChannel, bool withBias) =>
        CheckRequantized(vector: false, rows, columns, depth, perChannel, withBias);

    [AvxVnniTheory, MemberData(nameof(RequantizedShapes))]
    public void Avx_vnni_quad_requantized_output_equals_the_int16_reference(int rows, int columns, int depth, bool perChannel, bool withBias) =>
        CheckRequantized(vector: true, rows, columns, depth, perChannel, withBias);

    public static TheoryData<int, int, int, int, int, int, bool> ConvShapes() => new()
    {
        // channels, height, width, kernel, stride, pad (all sides), signed input
        { 3, 17, 33, 3, 2, 1, false }, { 3, 17, 33, 3, 2, 1, true }, { 5, 12, 40, 5, 2, 2, false }, { 4, 11, 37, 3, 3, 1, true },
        { 7, 5, 19, 1, 1, 0, false }, { 24, 57, 59, 1, 1, 0, true }, { 3, 3, 3, 4, 2, 3, false }, { 5, 61, 47, 3, 1, 1, false },
    };

    [Theory, MemberData(nameof(ConvShapes))]
    public void Scalar_quad_im2col_product_equals_the_int16_route(int channels, int height, int width, int kernel, int stride, int pad, bool signed) =>
        CheckConvolution(vector: false, channels, height, width, kernel, stride, pad, signed);

    [AvxVnniTheory, MemberData(nameof(ConvShapes))]
    public void Avx_vnni_quad_im2col_product_equals_the_int16_route(int channels, int height, int width, int kernel, int stride, int pad,
        bool signed) => CheckConvolution(vector: true, channels, height, width, kernel, stride, pad, signed);

    [AvxVnniFact]
    public void Avx_vnni_is_in_use_unless_switched_off()
    {
        var switchedOff = Environment.GetEnvironmentVariable(AvxVnniSwitch.EnvironmentVariable)?.ToUpperInvariant() is "OFF" or "0" or "FALSE";
        Assert.Equal(!switchedOff && SimdCapability.Width >= SimdWidth.Vector256, Int8Gemm.UsesAvxVnni);
    }

    // Signed weights (zero point 0, or per-row zero points), uint8 weights around 128, uint8 and int8 activations.
    static void CheckAllOperandKinds(bool vector, int rows, int columns, int depth, int threadCount)
    {
        var random = new Random(rows * 10000 + columns * 100 + depth);
        Check(vector, random, rows, columns, depth, aSigned: true, [], bSigned: false, zeroPoint: 131, threadCount);
        Check(vector, random, rows, columns, depth, aSigned: true, [.. Enumerable.Range(0, rows).Select(r => r % 3 - 1)], bSigned: true,
            zeroPoint: -7, threadCount);
        Check(vector, random, rows, columns, depth, aSigned: false, [128], bSigned: false, zeroPoint: 255, threadCount);
        Check(vector, random, rows, columns, depth, aSigned: false, [.. Enumerable.Range(0, rows).Select(r => 127 + r % 2)], bSigned: true,
            zeroPoint: 0, threadCount);
    }

    static void Check(bool vector, Random random, int rows, int columns, int depth, bool aSigned, int[] aZeros, bool bSigned, int zeroPoint,
        int threadCount)
    {
        var a = WeightBytes(random, rows * depth, aSigned, aZeros, depth);
        var b = Int8ProductReference.RandomBytes(random, depth * columns);
        var expected = Int8ProductReference.Multiply(a, aSigned, aZeros, b, bSigned, [zeroPoint], rows, columns, depth);
        Assert.Equal(expected, MultiplyQuads(vector, a, aSigned, aZeros, b, bSigned, zeroPoint, rows, columns, depth, threadCount));
    }

    static int[] MultiplyQuads(bool vector, byte[] a, bool aSigned, int[] aZeros, byte[] b, bool bSigned, int zeroPoint, int rows, int columns,
        int depth, int threadCount)
    {
        var packedA = PackWeights(a, aSigned, aZeros, rows, depth);
        var packedB = Int8QuadColumns.Pack(b, bSigned, zeroPoint, depth, columns, new int[Int8QuadColumns.Length(depth, columns)], vector, threadCount);
        var result = new int[rows * columns];
        Int8GemmQuads.MultiplyToInt32(packedA, packedB, result, threadCount, vector);
        return result;
    }

    static Int8QuadRows PackWeights(byte[] a, bool signed, int[] zeros, int rows, int depth)
    {
        var packed = signed
            ? Int8QuadRows.TryPack<sbyte>(MemoryMarshal.Cast<byte, sbyte>(a), rows, depth, depth, 1, zeros)
            : Int8QuadRows.TryPack<byte>(a, rows, depth, depth, 1, zeros);
        Assert.NotNull(packed);
        return packed;
    }

    static void CheckRequantized(bool vector, int rows, int columns, int depth, bool perChannel, bool withBias)
    {
        var random = new Random(rows + columns + depth);
        var a = WeightBytes(random, rows * depth, true, [], depth);
        var b = Int8ProductReference.RandomBytes(random, depth * columns);
        var multipliers = perChannel ? Enumerable.Range(0, rows).Select(_ => 0.0005f + 0.002f * random.NextSingle()).ToArray() : [0.0011f];
        var bias = withBias ? Enumerable.Range(0, rows).Select(_ => random.Next(-20000, 20000)).ToArray() : [];
        var packedA = Int8Operands.PackRows(a, true, rows, depth, depth, 1, [], new int[Int8PackedRows.Length(rows, depth)]);
        var packedB = Int8Operands.PackColumns(b, false, depth, columns, columns, 1, [119], new int[Int8PackedColumns.Length(depth, columns)]);
        var expected = new byte[rows * columns];
        Int8Gemm.MultiplyRequantized<byte>(packedA, packedB, multipliers, bias, perRow: true, 9, expected, 1, vector: false);

        var quadsA = PackWeights(a, true, [], rows, depth);
        var quadsB = Int8QuadColumns.Pack(b, false, 119, depth, columns, new int[Int8QuadColumns.Length(depth, columns)], vector, 1);
        var actual = new byte[rows * columns];
        Int8GemmQuads.MultiplyRequantized<byte>(quadsA, quadsB, multipliers, bias, 9, actual, threadCount: 2, vector);

        Assert.Equal(expected, actual);
    }

    static void CheckConvolution(bool vector, int channels, int height, int width, int kernel, int stride, int pad, bool signed)
    {
        const int outputChannels = 13;
        var p = new ConvParameters(1, channels, height, width, outputChannels, kernel, kernel)
        {
            ThreadCount = 2,
            StrideHeight = stride,
            StrideWidth = stride,
            PadTop = pad,
            PadLeft = pad,
            PadBottom = pad,
            PadRight = pad,
        };
        var random = new Random(channels * 1000 + width * 10 + kernel);
        var input = Int8ProductReference.RandomBytes(random, channels * height * width);
        var weights = Int8ProductReference.RandomBytes(random, outputChannels * p.PatchSize);
        var zeroPoint = signed ? -7 : 131;
        var spatial = p.OutputHeight * p.OutputWidth;
        var expected = new int[outputChannels * spatial];
        var pairsA = Int8Operands.PackRows(weights, true, outputChannels, p.PatchSize, p.PatchSize, 1, [], new int[Int8PackedRows.Length(outputChannels, p.PatchSize)]);
        var pairsB = signed
            ? QuantizedIm2Col.PackScalar<sbyte>(MemoryMarshal.Cast<byte, sbyte>(input), zeroPoint, p, new int[Int8PackedColumns.Length(p.PatchSize, spatial)])
            : QuantizedIm2Col.PackScalar<byte>(input, zeroPoint, p, new int[Int8PackedColumns.Length(p.PatchSize, spatial)]);
        Int8Gemm.MultiplyToInt32(pairsA, pairsB, expected, 1, vector: false);

        var quadsA = PackWeights(weights, true, [], outputChannels, p.PatchSize);
        var quadsB = QuantizedIm2ColQuads.Pack(input, signed, zeroPoint, p, new int[Int8QuadColumns.Length(p.PatchSize, spatial)], vector);
        var actual = new int[outputChannels * spatial];
        Int8GemmQuads.MultiplyToInt32(quadsA, quadsB, actual, 2, vector);

        Assert.Equal(expected, actual);
    }

    /// <summary>Random weights whose value minus the row's zero point fits int8 (uint8 weights: within 128 of it).</summary>
    static byte[] WeightBytes(Random random, int count, bool signed, int[] zeros, int depth)
    {
        var bytes = Int8ProductReference.RandomBytes(random, count);
        if (signed)
        {
            for (var i = 0; i < count; i++)
            {
                var zero = zeros.Length == 0 ? 0 : zeros[zeros.Length == 1 ? 0 : i / depth];
                bytes[i] = unchecked((byte)(sbyte)Math.Clamp((sbyte)bytes[i], -128 + Math.Max(zero, 0), 127 + Math.Min(zero, 0)));
            }
            return bytes;
        }
        for (var i = 0; i < count; i++)
        {
            var zero = zeros[zeros.Length == 1 ? 0 : i / depth];
            bytes[i] = (byte)Math.Clamp(bytes[i], zero - 128, zero + 127);
        }
        return bytes;
    }
}
