using OnnxFuse.Engine.Kernels.Quantization;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

// Oracle for every test: the defining sum Σₖ (A − za)(B − zb) in long arithmetic, then the requantization formula
// evaluated element by element; integers must match exactly.
public sealed class Int8GemmTests
{
    static readonly int[] s_sizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129];

    public static TheoryData<bool, int> VariantsAndSizes()
    {
        var data = new TheoryData<bool, int>();
        foreach (var vector in new[] { false, true })
        {
            foreach (var size in s_sizes)
                data.Add(vector, size);
        }
        return data;
    }

    [Theory, MemberData(nameof(VariantsAndSizes))]
    public void Int32_products_match_reference_for_odd_and_edge_sizes(bool vector, int size)
    {
        var random = new Random(size);
        Check(vector, size, size, size, aSigned: false, bSigned: true, seed: size, threadCount: 1);
        Check(vector, size, s_sizes[random.Next(s_sizes.Length)], s_sizes[random.Next(s_sizes.Length)], aSigned: true, bSigned: true,
            seed: size + 100, threadCount: 1);
        Check(vector, s_sizes[random.Next(s_sizes.Length)], size, s_sizes[random.Next(s_sizes.Length)], aSigned: false, bSigned: false,
            seed: size + 200, threadCount: 1);
        Check(vector, 1, size, size, aSigned: true, bSigned: false, seed: size + 300, threadCount: 1);
    }

    // Rows whose last panel holds 1–4 rows (the two- and four-row kernels) or all 6, columns whose last tile holds 1–4 columns
    // (1–3: the column kernel, reading the last pair through a mask), depths 1, odd and long; zero points random on both sides.
    public static TheoryData<int, int, int> PartialTiles()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var rows in new[] { 1, 2, 3, 4, 6, 10, 12 })
        {
            foreach (var columns in new[] { 1, 2, 3, 4, 19, 49 })
                data.Add(rows, columns, rows * columns % 3 == 0 ? 1 : rows % 2 == 0 ? 27 : 160);
        }
        return data;
    }

    [Theory, MemberData(nameof(PartialTiles))]
    public void Partial_panels_and_narrow_tiles_match_reference(int rows, int columns, int depth)
    {
        foreach (var vector in new[] { false, true })
        {
            Check(vector, rows, columns, depth, aSigned: true, bSigned: false, seed: rows * 100 + columns, threadCount: 1);
            Check(vector, rows, columns, depth, aSigned: false, bSigned: true, seed: rows * 100 + columns + 1, threadCount: 2);
            CheckRequantized(vector, rows, columns, depth, perChannel: rows % 2 == 0, signedOutput: columns % 2 == 0, withBias: true, threadCount: 1);
        }
    }

    // Per-column multipliers and bias (QGemm's and QLinearMatMul's), per column or one multiplier, columns past the eight-wide
    // step's tails, one row (the two-row kernel) and more; the bias reaches past ±2²⁴, where the float conversion rounds.
    [Theory]
    [InlineData(1, 1000, 64, true)]
    [InlineData(1, 13, 5, false)]
    [InlineData(7, 37, 45, true)]
    [InlineData(12, 71, 160, false)]
    public void Per_column_requantization_matches_reference_formula(int rows, int columns, int depth, bool perColumnMultipliers)
    {
        var random = new Random(rows * 7 + columns);
        var a = Int8ProductReference.RandomBytes(random, rows * depth);
        var b = Int8ProductReference.RandomBytes(random, depth * columns);
        var reference = Int8ProductReference.Multiply(a, false, [119], b, true, [], rows, columns, depth);
        var multipliers = perColumnMultipliers ? [.. Enumerable.Range(0, columns).Select(_ => 2e-5f + 2e-4f * random.NextSingle())] : new[] { 1.1e-4f };
        var bias = Enumerable.Range(0, columns).Select(_ => random.Next(-40_000_000, 40_000_000) / (random.Next(2) == 0 ? 1 : 1000)).ToArray();
        var packedA = Int8Operands.PackRows(a, false, rows, depth, depth, 1, [119], new int[Int8PackedRows.Length(rows, depth)]);
        var packedB = Int8Operands.PackColumns(b, true, depth, columns, columns, 1, [], new int[Int8PackedColumns.Length(depth, columns)]);
        foreach (var vector in new[] { false, true })
        {
            var actual = new byte[rows * columns];
            Int8Gemm.MultiplyRequantized<byte>(packedA, packedB, multipliers, bias, perRow: false, 126, actual, 1, vector);
            for (var i = 0; i < actual.Length; i++)
            {
                var column = i % columns;
                var expected = ExpectedQuantized(reference[i] + bias[column], multipliers[perColumnMultipliers ? column : 0], 126, 0, 255);
                Assert.Equal(expected, actual[i]);
            }
        }
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Extreme_values_do_not_saturate(bool vector)
    {
        // (0 − 255) · (−128 − 127) = 65025 per term, and a pair sums two of them: far past int16, within vpmaddwd's int32.
        const int depth = 66;
        var a = Enumerable.Repeat((byte)0, 5 * depth).ToArray();
        var b = Enumerable.Repeat(unchecked((byte)(sbyte)-128), depth * 19).ToArray();
        var actual = Multiply(vector, a, false, [255], b, true, [127], 5, 19, depth, 1);
        Assert.All(actual, value => Assert.Equal(65025 * depth, value));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Threaded_run_matches_reference_on_a_large_odd_shape(bool vector) =>
        Check(vector, 131, 257, 99, aSigned: false, bSigned: true, seed: 5, threadCount: 4);

    // Rows around the 6-row panel (1, 5, 6, 7, 13), columns around the 16-column tile and the 64-column chunk (1, 8, 9, 15, 16,
    // 17, 49, 64, 196), odd and even depths, per-row and per-tensor multipliers, with and without bias, 1 and 2 threads (the
    // 2-thread shapes are past the GEMM's threading threshold).
    [Theory]
    [InlineData(1, 16, 1, true, 1)]
    [InlineData(5, 17, 16, false, 1)]
    [InlineData(6, 16, 24, true, 1)]
    [InlineData(7, 37, 45, true, 1)]
    [InlineData(13, 49, 96, false, 1)]
    [InlineData(12, 64, 33, true, 1)]
    [InlineData(11, 8, 7, true, 1)]
    [InlineData(6, 9, 160, false, 1)]
    [InlineData(19, 196, 63, true, 2)]
    [InlineData(96, 200, 16, false, 2)]
    [InlineData(37, 131, 64, true, 2)]
    public void Requantized_output_matches_reference_formula_at_tile_edges(int rows, int columns, int depth, bool perChannel, int threadCount)
    {
        foreach (var vector in new[] { false, true })
        {
            foreach (var signedOutput in new[] { false, true })
            {
                foreach (var withBias in new[] { false, true })
                    CheckRequantized(vector, rows, columns, depth, perChannel, signedOutput, withBias, threadCount);
            }
        }
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Requantization_saturates_far_out_of_range_values_to_the_type_bounds(bool vector)
    {
        // Multipliers large enough that (acc + bias) · m passes ±2³¹, where cvtps2dq would return int.MinValue unclamped.
        const int rows = 6, columns = 32, depth = 64;
        var random = new Random(11);
        var a = Int8ProductReference.RandomBytes(random, rows * depth);
        var b = Int8ProductReference.RandomBytes(random, depth * columns);
        float[] multipliers = [1e6f, 3e4f, 1f, 1e-7f, 7e5f, 40f];
        var reference = Int8ProductReference.Multiply(a, false, [128], b, true, [], rows, columns, depth);
        var packedA = Int8Operands.PackRows(a, false, rows, depth, depth, 1, [128], new int[Int8PackedRows.Length(rows, depth)]);
        var packedB = Int8Operands.PackColumns(b, true, depth, columns, columns, 1, [], new int[Int8PackedColumns.Length(depth, columns)]);
        var actual = new byte[rows * columns];
        Int8Gemm.MultiplyRequantized<byte>(packedA, packedB, multipliers, [], perRow: true, 3, actual, 1, vector);
        for (var i = 0; i < actual.Length; i++)
            Assert.Equal((byte)ExpectedQuantized(reference[i], multipliers[i / columns], 3, 0, 255), actual[i]);
        Assert.Contains(actual, value => value == 0);
        Assert.Contains(actual, value => value == 255);
    }

    static void CheckRequantized(bool vector, int rows, int columns, int depth, bool perChannel, bool signedOutput, bool withBias, int threadCount)
    {
        var random = new Random(rows * 1000 + columns * 10 + depth);
        var a = Int8ProductReference.RandomBytes(random, rows * depth);
        var b = Int8ProductReference.RandomBytes(random, depth * columns);
        var reference = Int8ProductReference.Multiply(a, true, [], b, false, [117], rows, columns, depth);
        var multipliers = perChannel ? [.. Enumerable.Range(0, rows).Select(_ => 2e-5f + 2e-4f * random.NextSingle())] : new[] { 1.3e-4f };
        var bias = withBias ? [.. Enumerable.Range(0, rows).Select(_ => random.Next(-40000, 40000))] : Array.Empty<int>();
        var zeroPoint = signedOutput ? -7 : 121;
        var packedA = Int8Operands.PackRows(a, true, rows, depth, depth, 1, [], new int[Int8PackedRows.Length(rows, depth)]);
        var packedB = Int8Operands.PackColumns(b, false, depth, columns, columns, 1, [117], new int[Int8PackedColumns.Length(depth, columns)]);
        var (min, max) = signedOutput ? (-128, 127) : (0, 255);
        int[] actual;
        if (signedOutput)
        {
            var values = new sbyte[rows * columns];
            Int8Gemm.MultiplyRequantized<sbyte>(packedA, packedB, multipliers, bias, perRow: true, zeroPoint, values, threadCount, vector);
            actual = [.. values.Select(v => (int)v)];
        }
        else
        {
            var values = new byte[rows * columns];
            Int8Gemm.MultiplyRequantized<byte>(packedA, packedB, multipliers, bias, perRow: true, zeroPoint, values, threadCount, vector);
            actual = [.. values.Select(v => (int)v)];
        }
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var accumulator = reference[r * columns + c] + (withBias ? bias[r] : 0);
                Assert.Equal(ExpectedQuantized(accumulator, multipliers[perChannel ? r : 0], zeroPoint, min, max), actual[r * columns + c]);
            }
        }
    }

    static int ExpectedQuantized(int accumulator, float multiplier, int zeroPoint, int min, int max) =>
        (int)Math.Clamp(MathF.Round(accumulator * multiplier, MidpointRounding.ToEven) + zeroPoint, min, max);

    [Theory, InlineData(false), InlineData(true)]
    public void Requantized_output_matches_reference_formula(bool vector)
    {
        const int rows = 7, columns = 37, depth = 45;
        var random = new Random(3);
        var a = Int8ProductReference.RandomBytes(random, rows * depth);
        var b = Int8ProductReference.RandomBytes(random, depth * columns);
        var reference = Int8ProductReference.Multiply(a, false, [131], b, true, [3], rows, columns, depth);
        var multipliers = Enumerable.Range(0, rows).Select(r => 0.0007f * (r + 1)).ToArray();
        var bias = Enumerable.Range(0, rows).Select(r => r * 997 - 3000).ToArray();
        var packedA = Int8Operands.PackRows(a, false, rows, depth, depth, 1, [131], new int[Int8PackedRows.Length(rows, depth)]);
        var packedB = Int8Operands.PackColumns(b, true, depth, columns, columns, 1, [3], new int[Int8PackedColumns.Length(depth, columns)]);
        var actual = new sbyte[rows * columns];
        Int8Gemm.MultiplyRequantized<sbyte>(packedA, packedB, multipliers, bias, perRow: true, -5, actual, 1, vector);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var expected = Math.Clamp(MathF.Round((float)(reference[r * columns + c] + bias[r]) * multipliers[r], MidpointRounding.ToEven) - 5,
                    -128, 127);
                Assert.Equal((sbyte)expected, actual[r * columns + c]);
            }
        }
    }

    static void Check(bool vector, int rows, int columns, int depth, bool aSigned, bool bSigned, int seed, int threadCount)
    {
        var random = new Random(seed);
        var a = Int8ProductReference.RandomBytes(random, rows * depth);
        var b = Int8ProductReference.RandomBytes(random, depth * columns);
        int[] aZeros = random.Next(2) == 0 ? [random.Next(-128, 128) & (aSigned ? -1 : 255)] : [.. Enumerable.Range(0, rows).Select(_ => random.Next(0, 128))];
        int[] bZeros = random.Next(2) == 0 ? [] : [.. Enumerable.Range(0, columns).Select(_ => random.Next(0, 128))];
        if (aSigned && aZeros.Length == 1)
            aZeros[0] = (sbyte)(byte)aZeros[0];
        var expected = Int8ProductReference.Multiply(a, aSigned, aZeros, b, bSigned, bZeros, rows, columns, depth);
        var actual = Multiply(vector, a, aSigned, aZeros, b, bSigned, bZeros, rows, columns, depth, threadCount);
        Assert.Equal(expected, actual);
    }

    static int[] Multiply(bool vector, byte[] a, bool aSigned, int[] aZeros, byte[] b, bool bSigned, int[] bZeros, int rows, int columns,
        int depth, int threadCount)
    {
        var packedA = Int8Operands.PackRows(a, aSigned, rows, depth, depth, 1, aZeros, new int[Int8PackedRows.Length(rows, depth)]);
        var packedB = Int8Operands.PackColumns(b, bSigned, depth, columns, columns, 1, bZeros, new int[Int8PackedColumns.Length(depth, columns)]);
        var result = new int[rows * columns];
        Int8Gemm.MultiplyToInt32(packedA, packedB, result, threadCount, vector);
        return result;
    }
}
