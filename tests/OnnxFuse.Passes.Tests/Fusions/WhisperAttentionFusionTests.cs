using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>
/// AttentionFusion on the self-attention of a Whisper-like audio encoder (<see cref="WhisperAttentionBlock"/>): the
/// batched-heads form of HuggingFace's eager export and the SDPA form. Oracle: the unfused block on the same target
/// (managed engine and ONNX Runtime, its optimizations disabled); tolerance 1e-4 relative + 1e-5 absolute.
/// </summary>
public sealed class WhisperAttentionFusionTests
{
    static Node FusedAttention(Model model) => Assert.Single(model.Graph.Nodes, n => n.OpType == "Attention");

    [Theory]
    [InlineData(64L, 4L, 7L, false)]
    [InlineData(96L, 6L, 13L, true)]
    [InlineData(384L, 6L, 11L, false)]
    public void Fuses_the_batched_heads_of_an_eager_export_into_one_attention(long hidden, long heads, long sequence, bool constantNodes)
    {
        var block = new WhisperAttentionBlock { Hidden = hidden, HeadCount = heads, Sequence = sequence, ConstantNodes = constantNodes };
        var original = block.Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["com.microsoft.Attention"], PassTester.OpTypes(fused));
        var attention = FusedAttention(fused);
        Assert.Equal(heads, attention.GetInt("num_heads", 0));
        // q_proj · 1/√H is Attention's default scale.
        Assert.False(attention.HasAttr("scale"));
        // k_proj has no bias: its third of the packed bias is zeros.
        var bias = attention.Input(2).ConstantData!.ToArray<float>();
        Assert.All(bias[(int)hidden..(int)(2 * hidden)], b => Assert.Equal(0f, b));
        Assert.Contains(bias[..(int)hidden], b => b != 0f);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Theory]
    [InlineData(new long[] { -1, 7, 16 })]
    [InlineData(new long[] { 8, 7, 16 })]
    [InlineData(new long[] { 8, 0, 16 })]
    public void Accepts_every_flattening_shape_that_provably_merges_batch_and_heads(long[] flatShape)
    {
        // 0 copies the input's dim 1, which is N (4), not S: [B·N, 0, H] is a merge only when S = N.
        var block = new WhisperAttentionBlock { FlatShape = flatShape, Sequence = flatShape[1] == 0 ? 4 : 7 };
        var original = block.Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.Single(report.Applied);
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_the_batched_heads_from_inferred_shapes_when_the_export_computes_the_reshape_targets(bool sdpa)
    {
        var original = new WhisperAttentionBlock { DynamicShapes = true, Sdpa = sdpa }.Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["com.microsoft.Attention"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 6);
    }

    [Fact]
    public void Fuses_the_sdpa_export_with_the_root_of_the_scale_on_query_and_key()
    {
        var original = new WhisperAttentionBlock { Sdpa = true, Hidden = 96, HeadCount = 6, Sequence = 9 }.Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["com.microsoft.Attention"], PassTester.OpTypes(fused));
        Assert.False(FusedAttention(fused).HasAttr("scale"));
        PassTester.AssertSameOutputs(original, fused, seed: 5);
    }

    static readonly Dictionary<string, WhisperAttentionBlock> s_nearMisses = new()
    {
        { "flattening merges heads and sequence", new WhisperAttentionBlock { FlatShape = [2, -1, 16] } },
        { "flattening to [N, 2·S, H]", new WhisperAttentionBlock { FlatShape = [4, -1, 16] } },
        { "padding mask on batched scores", new WhisperAttentionBlock { Batch = 1, Mask = true } },
        { "key projection read outside the block", new WhisperAttentionBlock { KeyIsAlsoOutput = true } },
        { "sdpa key projection read outside the block", new WhisperAttentionBlock { Sdpa = true, KeyIsAlsoOutput = true } },
    };

    public static TheoryData<string> NearMisses => [.. s_nearMisses.Keys];

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void Leaves_near_misses_alone(string nearMiss)
    {
        var original = s_nearMisses[nearMiss].Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.True(report.Applied.Count == 0, nearMiss);
        Assert.Equal(PassTester.OpTypes(original), PassTester.OpTypes(fused));
    }
}
