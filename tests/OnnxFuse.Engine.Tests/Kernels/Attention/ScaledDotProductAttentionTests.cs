using OnnxFuse.Engine.Kernels.Attention;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Tests.Kernels.Attention;

/// <summary>
/// The attention core against its scalar definition (<see cref="AttentionReference"/>, double precision), rtol 1e-4
/// and atol 1e-5: query and key lengths and head sizes around the vector and GEMM tile sizes, masks, biases, causal
/// rows, packed layouts and several threads.
/// </summary>
public sealed class ScaledDotProductAttentionTests
{
    static readonly int[] s_sizes = [1, 7, 33, 64, 65];

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var queryLength in s_sizes)
            foreach (var keyLength in s_sizes)
                foreach (var headSize in s_sizes)
                    if (queryLength * keyLength * headSize <= 65 * 65 * 7 || queryLength == keyLength && keyLength == headSize)
                        data.Add(queryLength, keyLength, headSize);
        return data;
    }

    /// <summary>B = 2, N = 2, the value head size one more than the query head size; contiguous [B, T, N·H] operands.</summary>
    static AttentionParameters Contiguous(int queryLength, int keyLength, int headSize) =>
        new(2, 2, queryLength, keyLength, headSize, headSize + 1)
        {
            Scale = 1f / MathF.Sqrt(headSize),
            Query = TokenLayout.Contiguous(queryLength, 2 * headSize),
            Key = TokenLayout.Contiguous(keyLength, 2 * headSize),
            Value = TokenLayout.Contiguous(keyLength, 2 * (headSize + 1)),
            Output = TokenLayout.Contiguous(queryLength, 2 * (headSize + 1)),
        };

    static void AssertMatchesReference(AttentionParameters p, bool withMask, bool withBias, int seed, SimdWidth? width = null)
    {
        var query = TestData.Uniform((int)p.Query.RequiredLength(p.BatchCount, p.QueryLength, p.HeadCount * p.HeadSize), -2, 2, seed);
        var key = TestData.Uniform((int)p.Key.RequiredLength(p.BatchCount, p.KeyLength, p.HeadCount * p.HeadSize), -2, 2, seed + 1);
        var value = TestData.Uniform((int)p.Value.RequiredLength(p.BatchCount, p.KeyLength, p.HeadCount * p.ValueHeadSize), -2, 2, seed + 2);
        var outputLength = (int)p.Output.RequiredLength(p.BatchCount, p.QueryLength, p.HeadCount * p.ValueHeadSize);
        var mask = withMask ? KeyPaddingMask(p, seed + 3) : [];
        var bias = withBias ? TestData.Uniform(p.BatchCount * p.HeadCount * p.QueryLength * p.KeyLength, -1, 1, seed + 4) : [];
        if (withMask)
            p = p with { MaskBatchStride = p.KeyLength, MaskRowStride = 0 };
        if (withBias)
            p = p with { BiasBatchStride = p.HeadCount * p.QueryLength * p.KeyLength, BiasHeadStride = p.QueryLength * p.KeyLength };
        var output = new float[outputLength];

        ScaledDotProductAttention.Run(query, key, value, mask, bias, p, width ?? SimdCapability.Width, output);

        Numerics.AssertClose(AttentionReference.Compute(query, key, value, mask, bias, p, outputLength), output, rtol: 1e-4f, atol: 1e-5f);
    }

    /// <summary>
    /// Both paths, each case on two threads: Vector256 selects the tile path (six query rows per tile, 16 keys per
    /// strip), Scalar the GemmKernel path. Query lengths off the six-row tile, S = 1, keys off the 16-key strip and
    /// past several strips, head sizes off the 8×8 transpose, value heads one wider than a 16-column strip allows.
    /// </summary>
    public static TheoryData<SimdWidth, int, int, int, bool> PathCases()
    {
        var data = new TheoryData<SimdWidth, int, int, int, bool>();
        foreach (var width in new[] { SimdWidth.Vector256, SimdWidth.Scalar })
        {
            foreach (var (queryLength, keyLength, headSize) in new[] { (1, 1, 64), (1, 300, 64), (7, 13, 24), (37, 130, 64), (130, 37, 40), (64, 300, 17) })
            {
                data.Add(width, queryLength, keyLength, headSize, false);
                data.Add(width, queryLength, keyLength, headSize, true);
            }
        }
        return data;
    }

    [Theory, MemberData(nameof(PathCases))]
    public void Each_path_matches_the_scalar_reference_with_mask_bias_and_two_threads(SimdWidth width, int queryLength, int keyLength, int headSize,
        bool causal)
    {
        var p = Contiguous(queryLength, keyLength, headSize) with { Causal = causal, ThreadCount = 2 };

        AssertMatchesReference(p, withMask: true, withBias: true, seed: queryLength + 5 * keyLength + headSize, width);
    }

    /// <summary>Additive key-padding rows [B, L]: about a quarter of the keys at −10000, key 0 always attended.</summary>
    static float[] KeyPaddingMask(AttentionParameters p, int seed)
    {
        var random = new Random(seed);
        var mask = new float[p.BatchCount * p.KeyLength];
        for (var i = 0; i < mask.Length; i++)
            mask[i] = i % p.KeyLength != 0 && random.Next(4) == 0 ? -10000f : 0f;
        return mask;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Matches_the_scalar_reference(int queryLength, int keyLength, int headSize)
    {
        AssertMatchesReference(Contiguous(queryLength, keyLength, headSize), withMask: false, withBias: false, seed: queryLength + keyLength + headSize);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Matches_the_scalar_reference_with_mask_bias_and_causal_rows(int queryLength, int keyLength, int headSize)
    {
        var p = Contiguous(queryLength, keyLength, headSize) with { Causal = true };

        AssertMatchesReference(p, withMask: true, withBias: true, seed: 3 * queryLength + keyLength);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(65, 3)]
    [InlineData(128, 4)]
    [InlineData(33, 8)]
    public void Matches_the_scalar_reference_on_a_packed_projection_with_several_threads(int tokenCount, int threadCount)
    {
        // Attention's layout: Q, K and V are column ranges of one [B, S, 3·N·H] projection (H = 64, N = 4).
        const int Heads = 4, HeadSize = 64, Width = 3 * Heads * HeadSize;
        var p = new AttentionParameters(2, Heads, tokenCount, tokenCount, HeadSize, HeadSize)
        {
            Scale = 0.125f,
            Query = new TokenLayout(0, Width, tokenCount * Width),
            Key = new TokenLayout(Heads * HeadSize, Width, tokenCount * Width),
            Value = new TokenLayout(2 * Heads * HeadSize, Width, tokenCount * Width),
            Output = TokenLayout.Contiguous(tokenCount, Heads * HeadSize),
            ThreadCount = threadCount,
        };
        var projection = TestData.Uniform(2 * tokenCount * Width, -2, 2, tokenCount);
        var output = new float[2 * tokenCount * Heads * HeadSize];

        ScaledDotProductAttention.Run(projection, projection, projection, [], [], p, output);

        Numerics.AssertClose(AttentionReference.Compute(projection, projection, projection, [], [], p, output.Length), output, rtol: 1e-4f, atol: 1e-5f);
    }

    [Fact]
    public void Matches_the_scalar_reference_with_a_3d_mask_and_broadcast_bias_on_several_threads()
    {
        var p = Contiguous(40, 50, 16) with { ThreadCount = 3, Causal = true };
        var query = TestData.Uniform(2 * 40 * 32, -2, 2, 1);
        var key = TestData.Uniform(2 * 50 * 32, -2, 2, 2);
        var value = TestData.Uniform(2 * 50 * 34, -2, 2, 3);
        var random = new Random(4);
        var mask = Enumerable.Range(0, 2 * 40 * 50).Select(i => i % 50 != 0 && random.Next(3) == 0 ? -10000f : 0f).ToArray();
        var bias = TestData.Uniform(40 * 50, -1, 1, 5);
        p = p with { MaskBatchStride = 40 * 50, MaskRowStride = 50, BiasBatchStride = 0, BiasHeadStride = 0 };
        var output = new float[2 * 40 * 34];

        ScaledDotProductAttention.Run(query, key, value, mask, bias, p, output);

        Numerics.AssertClose(AttentionReference.Compute(query, key, value, mask, bias, p, output.Length), output, rtol: 1e-4f, atol: 1e-5f);
    }

    [Theory]
    [InlineData(96, 96, 2)]
    [InlineData(40, 2000, 1)]
    [InlineData(40, 2000, 2)]
    public void Matches_the_scalar_reference_when_query_rows_are_split_into_blocks(int queryLength, int keyLength, int threadCount)
    {
        // One head: with two threads its rows split to feed both; with 2000 keys a block holds only 32 rows of scores.
        var p = new AttentionParameters(1, 1, queryLength, keyLength, 16, 16)
        {
            Scale = 0.25f,
            Causal = true,
            Query = TokenLayout.Contiguous(queryLength, 16),
            Key = TokenLayout.Contiguous(keyLength, 16),
            Value = TokenLayout.Contiguous(keyLength, 16),
            Output = TokenLayout.Contiguous(queryLength, 16),
            ThreadCount = threadCount,
        };

        AssertMatchesReference(p, withMask: true, withBias: true, seed: keyLength + threadCount);
    }

    [Fact]
    public void Leaves_rows_beyond_the_output_layout_untouched()
    {
        // The output's rows are wider than the heads write: columns past N·H_v belong to someone else.
        var p = Contiguous(5, 6, 8) with { Output = new TokenLayout(3, 25, 5 * 25) };
        var output = Enumerable.Repeat(42f, 3 + 2 * 5 * 25).ToArray();

        ScaledDotProductAttention.Run(TestData.Uniform(2 * 5 * 16, -1, 1, 1), TestData.Uniform(2 * 6 * 16, -1, 1, 2),
            TestData.Uniform(2 * 6 * 18, -1, 1, 3), [], [], p, output);

        for (var i = 0; i < output.Length; i++)
        {
            var column = (i - 3) % 25;
            if (i < 3 || column >= 18)
                Assert.Equal(42f, output[i]);
        }
    }

    [Fact]
    public void Allocates_nothing_once_warm_on_one_thread()
    {
        var p = Contiguous(64, 64, 32) with { Causal = true, MaskBatchStride = 64 };
        var query = TestData.Uniform(2 * 64 * 64, -1, 1, 1);
        var value = TestData.Uniform(2 * 64 * 66, -1, 1, 2);
        var mask = new float[2 * 64];
        var output = new float[2 * 64 * 66];
        ScaledDotProductAttention.Run(query, query, value, mask, [], p, output);

        var before = GC.GetAllocatedBytesForCurrentThread();
        ScaledDotProductAttention.Run(query, query, value, mask, [], p, output);

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Rejects_buffers_shorter_than_the_layout_needs()
    {
        var p = Contiguous(4, 4, 8);

        Assert.Throws<Ir.Errors.ShapeMismatchException>(() =>
            ScaledDotProductAttention.Run(new float[2 * 4 * 16 - 1], new float[2 * 4 * 16], new float[2 * 4 * 18], [], [], p, new float[2 * 4 * 18]));
    }
}
