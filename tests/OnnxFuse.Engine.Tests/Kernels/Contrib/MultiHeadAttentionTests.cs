using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Contrib;

/// <summary>com.microsoft MultiHeadAttention against ONNX Runtime 1.30 (oracle), rtol 1e-4 and atol 1e-5.</summary>
public sealed class MultiHeadAttentionTests
{
    const int Batch = 2;
    const int QueryLength = 3;
    const int KeyLength = 5;
    const int Hidden = 8;
    const int ValueHidden = 12;
    const int Heads = 2;

    /// <summary>query [2, 3, 8], key [2, 5, 8], value [2, 5, 12], then the optional inputs from index 3 on.</summary>
    static TensorData?[] Inputs(int seed, params TensorData?[] optional) =>
    [
        OrtOracle.Floats(seed, [Batch, QueryLength, Hidden], -2, 2),
        OrtOracle.Floats(seed + 1, [Batch, KeyLength, Hidden], -2, 2),
        OrtOracle.Floats(seed + 2, [Batch, KeyLength, ValueHidden], -2, 2),
        .. optional,
    ];

    static readonly Attr[] s_heads = [Attr.Int("num_heads", Heads)];

    static TensorData Bias(int seed) => OrtOracle.Floats(seed, [2 * Hidden + ValueHidden]);

    static TensorData KeyPaddingMask() => OrtOracle.Ints([Batch, KeyLength], 1, 1, 1, 0, 0, 1, 0, 1, 1, 1);

    [Fact]
    public void Matches_ort_with_different_query_and_key_lengths()
    {
        OrtOracle.AssertMatchesOrt("MultiHeadAttention", Inputs(1), s_heads);
    }

    [Fact]
    public void Matches_ort_with_a_bias_added_to_query_key_and_value()
    {
        OrtOracle.AssertMatchesOrt("MultiHeadAttention", Inputs(2, Bias(20)), s_heads, constantInputs: [3]);
    }

    [Fact]
    public void Matches_ort_with_a_key_padding_mask()
    {
        OrtOracle.AssertMatchesOrt("MultiHeadAttention", Inputs(3, null, KeyPaddingMask()), s_heads);
    }

    [Fact]
    public void Matches_ort_with_bias_and_key_padding_mask_together()
    {
        OrtOracle.AssertMatchesOrt("MultiHeadAttention", Inputs(4, Bias(21), KeyPaddingMask()), s_heads);
    }

    [Fact]
    public void Matches_ort_with_key_lengths_per_batch_entry()
    {
        OrtOracle.AssertMatchesOrt("MultiHeadAttention", Inputs(5, null, OrtOracle.Ints([Batch], 2, 4)), s_heads);
    }

    [Fact]
    public void Matches_ort_with_a_3d_key_padding_mask()
    {
        var random = new Random(6);
        var mask = OrtOracle.Ints([Batch, QueryLength, KeyLength], [.. Enumerable.Range(0, 30).Select(i => i % 5 == 1 ? 1 : random.Next(2))]);

        OrtOracle.AssertMatchesOrt("MultiHeadAttention", Inputs(6, null, mask), s_heads);
    }

    [Theory]
    [InlineData(1, Heads)]
    [InlineData(Batch, 1)]
    [InlineData(Batch, Heads)]
    [InlineData(1, 1)]
    public void Matches_ort_with_an_attention_bias(int biasBatch, int biasHeads)
    {
        var attentionBias = OrtOracle.Floats(7, [biasBatch, biasHeads, QueryLength, KeyLength], -2, 2);

        OrtOracle.AssertMatchesOrt("MultiHeadAttention", Inputs(7, null, null, attentionBias), s_heads);
    }

    [Fact]
    public void Matches_ort_with_every_optional_input()
    {
        var attentionBias = OrtOracle.Floats(8, [1, Heads, QueryLength, KeyLength], -2, 2);

        OrtOracle.AssertMatchesOrt("MultiHeadAttention", Inputs(8, Bias(22), KeyPaddingMask(), attentionBias),
            [.. s_heads, Attr.Float("scale", 0.25f), Attr.Float("mask_filter_value", -50f)]);
    }

    [Fact]
    public void Matches_ort_when_unidirectional()
    {
        OrtOracle.AssertMatchesOrt("MultiHeadAttention", Inputs(9, null, KeyPaddingMask()), [.. s_heads, Attr.Int("unidirectional", 1)]);
    }

    [Fact]
    public void Matches_ort_when_unidirectional_with_a_single_query_token()
    {
        TensorData?[] inputs =
        [
            OrtOracle.Floats(10, [Batch, 1, Hidden]),
            OrtOracle.Floats(11, [Batch, KeyLength, Hidden]),
            OrtOracle.Floats(12, [Batch, KeyLength, ValueHidden]),
        ];

        OrtOracle.AssertMatchesOrt("MultiHeadAttention", inputs, [.. s_heads, Attr.Int("unidirectional", 1)]);
    }

    [Fact]
    public void Matches_ort_at_bert_mini_size_on_several_threads()
    {
        TensorData?[] inputs =
        [
            OrtOracle.Floats(13, [1, 128, 256]),
            OrtOracle.Floats(14, [1, 128, 256]),
            OrtOracle.Floats(15, [1, 128, 256]),
            null,
            OrtOracle.Ints([1, 128], [.. Enumerable.Range(0, 128).Select(i => i < 90 ? 1 : 0)]),
        ];

        OrtOracle.AssertMatchesOrt("MultiHeadAttention", inputs, [Attr.Int("num_heads", 4)], threadCount: 4);
    }

    [Fact]
    public void Rejects_a_4d_key_at_plan_time()
    {
        TensorData?[] inputs =
        [
            OrtOracle.Floats(16, [Batch, QueryLength, Hidden]),
            OrtOracle.Floats(17, [Batch, Heads, KeyLength, Hidden / Heads]),
            OrtOracle.Floats(18, [Batch, Heads, KeyLength, ValueHidden / Heads]),
        ];
        var model = OrtOracle.SingleNode("MultiHeadAttention", inputs, s_heads);

        var error = Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(model));

        Assert.Contains("4-D key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_packed_qkv_without_key_and_value()
    {
        var model = OrtOracle.SingleNode("MultiHeadAttention", [OrtOracle.Floats(19, [Batch, QueryLength, Heads, 3, 4])], s_heads);

        var error = Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(model));

        Assert.Contains("packed QKV", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_past_key_and_read_present_outputs()
    {
        var pastKey = OrtOracle.Floats(20, [Batch, Heads, 2, Hidden / Heads]);
        var withPast = OrtOracle.SingleNode("MultiHeadAttention", Inputs(20, null, null, null, pastKey), s_heads);
        var withPresent = OrtOracle.SingleNode("MultiHeadAttention", Inputs(21), s_heads, outputCount: 3);

        Assert.Contains("past state", Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(withPast)).Message, StringComparison.Ordinal);
        Assert.Contains("present_key", Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(withPresent)).Message,
            StringComparison.Ordinal);
    }
}
