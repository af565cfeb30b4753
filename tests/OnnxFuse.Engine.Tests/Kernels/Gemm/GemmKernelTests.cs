using OnnxFuse.Engine.Kernels;
using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Tests.Kernels.Gemm;

// Oracle for every test: double-precision evaluation, tolerance in GemmOracle (rtol 1e-5 of Σ|terms|).
public sealed class GemmKernelTests
{
    static readonly GemmVariant[] s_variants = [GemmVariant.Scalar, GemmVariant.Vector256, GemmVariant.Vector512];

    public static TheoryData<GemmVariant> Variants() => new(s_variants);

    public static TheoryData<GemmVariant, int> VariantsAndSizes()
    {
        var data = new TheoryData<GemmVariant, int>();
        foreach (var variant in s_variants)
        {
            foreach (var size in Enumerable.Range(1, 70))
                data.Add(variant, size);
        }
        return data;
    }

    [Theory, MemberData(nameof(VariantsAndSizes))]
    public void Matches_oracle_for_square_and_skewed_sizes_1_to_70(GemmVariant variant, int size)
    {
        GemmOracle.Check(variant, new GemmParameters(size, size, size), seed: size);
        var random = new Random(size);
        var rows = random.Next(1, 71);
        var columns = random.Next(1, 71);
        GemmOracle.Check(variant, new GemmParameters(rows, columns, size), seed: size + 100);
        GemmOracle.Check(variant, new GemmParameters(size, 1, random.Next(1, 71)), seed: size + 200);
        GemmOracle.Check(variant, new GemmParameters(1, size, random.Next(1, 71)), seed: size + 300);
    }

    [Theory, MemberData(nameof(Variants))]
    public void Matches_oracle_for_large_odd_sizes_across_block_edges(GemmVariant variant)
    {
        GemmOracle.Check(variant, new GemmParameters(255, 257, 513));
        GemmOracle.Check(variant, new GemmParameters(257, 255, 129) { ThreadCount = 2 });
        GemmOracle.Check(variant, new GemmParameters(513, 33, 257) { ThreadCount = 2 }, prepackB: true);
    }

    [Theory, MemberData(nameof(Variants))]
    public void Handles_transposes_leading_dimensions_alpha_and_beta(GemmVariant variant)
    {
        foreach (var transposeA in new[] { false, true })
        {
            foreach (var transposeB in new[] { false, true })
            {
                var p = new GemmParameters(37, 45, 29) { TransposeA = transposeA, TransposeB = transposeB };
                GemmOracle.Check(variant, p);
                GemmOracle.Check(variant, p with { LeadingA = 70, LeadingB = 71, LeadingC = 50, Alpha = -0.5f, Beta = 0.75f });
                GemmOracle.Check(variant, p with { Alpha = 2f, Beta = 1f }, prepackB: true);
                GemmOracle.Check(variant, p with { Beta = -1f, LeadingA = 64 }, prepackA: true);
            }
        }
    }

    [Theory, MemberData(nameof(Variants))]
    public void Transposed_b_matches_oracle_around_the_8x8_packing_transposes(GemmVariant variant)
    {
        // B packing transposes whole groups of 8 columns × 8 depths in registers and the rest element by element.
        foreach (var columns in new[] { 7, 8, 9, 16, 17, 40 })
        {
            foreach (var depth in new[] { 1, 7, 8, 9, 17, 64 })
            {
                var p = new GemmParameters(7, columns, depth) { TransposeB = true };
                GemmOracle.Check(variant, p, seed: columns + depth);
                GemmOracle.Check(variant, p with { LeadingB = depth + 3 }, prepackB: true, seed: columns * depth);
            }
        }
    }

    [Theory, MemberData(nameof(Variants))]
    public void Prepacked_operands_match_for_sizes_around_tiles_and_depth_blocks(GemmVariant variant)
    {
        foreach (var (rows, columns, depth) in new[] { (1, 1, 1), (5, 17, 3), (6, 16, 256), (7, 33, 257), (13, 31, 300), (64, 65, 520) })
        {
            GemmOracle.Check(variant, new GemmParameters(rows, columns, depth), prepackB: true, seed: depth);
            GemmOracle.Check(variant, new GemmParameters(rows, columns, depth) { BiasKind = BiasKind.PerRow }, prepackA: true, seed: depth);
        }
    }

    [Theory, MemberData(nameof(Variants))]
    public void A_read_in_place_matches_oracle_at_every_row_tail_and_on_the_bert_shapes(GemmVariant variant)
    {
        // A is broadcast from its own rows: full tiles end in one or two narrow tiles (7 or 8 rows left), also at the
        // row-block edge (144) and across depth blocks (520 > 512), with a leading dimension, alpha and beta.
        foreach (var rows in Enumerable.Range(121, 14).Concat([143, 144, 145, 150, 152]))
            GemmOracle.Check(variant, new GemmParameters(rows, 35, 520) { LeadingA = 523, Alpha = 0.5f, Beta = 0.25f }, prepackB: true, seed: rows);
        GemmOracle.Check(variant, new GemmParameters(152, 33, 70) { ThreadCount = 2 }, seed: 5);
        GemmOracle.Check(variant, new GemmParameters(260, 40, 600) { ThreadCount = 2, Beta = 1f }, prepackB: true, seed: 6);
        // bert_mini's MatMuls: QKV (with the attention bias), attention output, FFN in, FFN out.
        foreach (var (columns, depth) in new[] { (768, 256), (256, 256), (1024, 256), (256, 1024) })
            GemmOracle.Check(variant, new GemmParameters(128, columns, depth) { BiasKind = BiasKind.PerColumn }, prepackB: true, seed: depth);
    }

    [Theory, MemberData(nameof(Variants))]
    public void Per_column_bias_added_in_registers_matches_oracle_across_depth_blocks_and_column_edges(GemmVariant variant)
    {
        // With alpha = 1 the microkernel adds the bias on the last depth block (a zero-padded copy for the partial
        // strip); beta and an activation still apply; alpha ≠ 1 keeps the separate pass.
        GemmOracle.Check(variant, new GemmParameters(20, 200, 700) { BiasKind = BiasKind.PerColumn, Beta = 0.5f, ThreadCount = 2 }, seed: 7);
        GemmOracle.Check(variant, new GemmParameters(13, 47, 530) { BiasKind = BiasKind.PerColumn, Activation = Activation.Relu }, prepackB: true, seed: 8);
        GemmOracle.Check(variant, new GemmParameters(13, 47, 530) { BiasKind = BiasKind.PerColumn, Alpha = 2f, Beta = 1f }, prepackB: true, seed: 9);
        GemmOracle.Check(variant, new GemmParameters(9, 5000, 20) { BiasKind = BiasKind.PerColumn }, prepackB: true, seed: 10);
    }

    [Theory, MemberData(nameof(Variants))]
    public void One_row_against_prepacked_b_matches_oracle_with_every_epilogue_part(GemmVariant variant)
    {
        // The one-row path: partial strips, depth tails of 1 to 3, several depth blocks, beta, transposed A, bias.
        foreach (var (columns, depth) in new[] { (1, 1), (10, 3), (16, 256), (33, 258), (128, 784), (70, 521) })
        {
            GemmOracle.Check(variant, new GemmParameters(1, columns, depth), prepackB: true, seed: depth);
            GemmOracle.Check(variant, new GemmParameters(1, columns, depth) { Alpha = 0.5f, Beta = 2f, TransposeA = true }, prepackB: true, seed: depth);
            GemmOracle.Check(variant, new GemmParameters(1, columns, depth) { BiasKind = BiasKind.PerColumn, Activation = Activation.Relu }, prepackB: true);
        }
    }

    [Theory, MemberData(nameof(Variants))]
    public void Two_threads_match_for_row_and_column_splits(GemmVariant variant)
    {
        GemmOracle.Check(variant, new GemmParameters(300, 70, 90) { ThreadCount = 2 });
        GemmOracle.Check(variant, new GemmParameters(70, 300, 90) { ThreadCount = 2, Beta = 0.5f });
        GemmOracle.Check(variant, new GemmParameters(130, 130, 70) { ThreadCount = 2, BiasKind = BiasKind.PerColumn, Activation = Activation.Relu }, prepackB: true);
        GemmOracle.Check(variant, new GemmParameters(1, 4096, 300) { ThreadCount = 2 });
        // One row against a prepacked B, split by strips: an odd strip count and a partial last strip, with the epilogue.
        GemmOracle.Check(variant, new GemmParameters(1, 133, 784) { ThreadCount = 2, BiasKind = BiasKind.PerColumn, Activation = Activation.Relu }, prepackB: true);
        GemmOracle.Check(variant, new GemmParameters(1, 128, 784) { ThreadCount = 3, Alpha = 0.5f, Beta = 2f }, prepackB: true);
        GemmOracle.Check(variant, new GemmParameters(1, 1000, 1280) { ThreadCount = 2, BiasKind = BiasKind.PerColumn, Activation = Activation.Relu6 }, prepackB: true);
    }

    public static TheoryData<GemmVariant, string> VariantsAndEpilogues()
    {
        var data = new TheoryData<GemmVariant, string>();
        foreach (var variant in s_variants)
        {
            foreach (var epilogue in s_epilogues.Keys)
                data.Add(variant, epilogue);
        }
        return data;
    }

    static readonly Dictionary<string, Activation> s_epilogues = new()
    {
        ["None"] = Activation.None,
        ["Relu"] = Activation.Relu,
        ["Relu6"] = Activation.Relu6,
        ["Clip"] = Activation.Clip(-0.5f, 0.25f),
        ["LeakyRelu"] = Activation.LeakyRelu(0.2f),
        ["Sigmoid"] = Activation.Sigmoid,
        ["Tanh"] = Activation.Tanh,
        ["Gelu"] = Activation.Gelu,
    };

    [Theory, MemberData(nameof(VariantsAndEpilogues))]
    public void Fused_bias_and_activation_match_oracle(GemmVariant variant, string epilogue)
    {
        var activation = s_epilogues[epilogue];
        foreach (var bias in new[] { BiasKind.None, BiasKind.PerColumn, BiasKind.PerRow })
        {
            GemmOracle.Check(variant, new GemmParameters(23, 41, 19) { BiasKind = bias, Activation = activation, Beta = 0.5f });
            GemmOracle.Check(variant, new GemmParameters(70, 67, 300) { BiasKind = bias, Activation = activation }, prepackB: true);
            // A 1×1 conv's shape (prepacked weights, shallow depth, edge tiles in both directions) split over two threads.
            GemmOracle.Check(variant, new GemmParameters(98, 1001, 16) { BiasKind = bias, Activation = activation, ThreadCount = 2 }, prepackA: true);
        }
    }

    [Theory, MemberData(nameof(Variants))]
    public void Zero_depth_scales_c_by_beta_then_applies_the_epilogue(GemmVariant variant)
    {
        GemmOracle.Check(variant, new GemmParameters(5, 7, 0) { Beta = 0.5f, BiasKind = BiasKind.PerColumn, Activation = Activation.Relu });
        GemmOracle.Check(variant, new GemmParameters(5, 7, 0));
    }

    [Theory, MemberData(nameof(Variants))]
    public void Strided_batch_matches_one_call_per_entry_with_broadcast_b(GemmVariant variant)
    {
        const int Batch = 3;
        var p = new GemmParameters(9, 21, 13) { BiasKind = BiasKind.PerColumn, Activation = Activation.Tanh, ThreadCount = 2 };
        var a = TestData.Uniform(Batch * 9 * 13, -1, 1, seed: 1);
        var b = TestData.Uniform(13 * 21, -1, 1, seed: 2);
        var bias = TestData.Uniform(21, -1, 1, seed: 3);
        var batched = new float[Batch * 9 * 21];
        var single = new float[Batch * 9 * 21];

        var packed = variant == GemmVariant.Scalar ? null : PackedMatrix.PackB(b, 13, 21, false, 0, variant);
        var batch = new GemmBatch(Batch, 9 * 13, 0, 9 * 21);
        switch (variant)
        {
            case GemmVariant.Scalar: GemmKernelScalar.RunStridedBatch(a, b, null, bias, p, batch, batched); break;
            case GemmVariant.Vector256: GemmKernelVector256.RunStridedBatch(a, b, packed, bias, p, batch, batched); break;
            default: GemmKernelVector512.RunStridedBatch(a, b, packed, bias, p, batch, batched); break;
        }
        for (var i = 0; i < Batch; i++)
            GemmKernelScalar.Run(a.AsSpan(i * 9 * 13), b, bias, p, single.AsSpan(i * 9 * 21));

        for (var i = 0; i < single.Length; i++)
            Assert.Equal(single[i], batched[i], 1e-5f);
    }

    [Fact]
    public void Dispatcher_runs_the_default_variant_and_prepacked_b()
    {
        var p = new GemmParameters(33, 35, 37) { ThreadCount = 2 };
        var a = TestData.Uniform(33 * 37, -1, 1, seed: 4);
        var b = TestData.Uniform(37 * 35, -1, 1, seed: 5);
        var expected = new float[33 * 35];
        var actual = new float[33 * 35];
        var prepacked = new float[33 * 35];

        GemmKernelScalar.Run(a, b, default, p, expected);
        GemmKernel.Run(a, b, default, p, actual);
        GemmKernel.Run(a, GemmKernel.PackB(b, 37, 35), default, p, prepacked);

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
            Assert.Equal(expected[i], prepacked[i], 1e-5f);
        }
    }

    [Fact]
    public void Rejects_buffers_that_are_too_small_and_mismatched_packs()
    {
        var p = new GemmParameters(4, 4, 4);
        Assert.Throws<ShapeMismatchException>(() => GemmKernelVector256.Run(new float[15], new float[16], default, p, new float[16]));
        Assert.Throws<ShapeMismatchException>(() => GemmKernelVector256.Run(new float[16], new float[16], default, p, new float[15]));
        Assert.Throws<ShapeMismatchException>(() => GemmKernelVector256.Run(new float[16], new float[16], default, p with { BiasKind = BiasKind.PerRow }, new float[16]));
        var packedFor512 = PackedMatrix.PackB(new float[16], 4, 4, false, 0, GemmVariant.Vector512);
        Assert.Throws<ShapeMismatchException>(() => GemmKernelVector256.Run(new float[16], packedFor512, default, p, new float[16]));
    }
}
