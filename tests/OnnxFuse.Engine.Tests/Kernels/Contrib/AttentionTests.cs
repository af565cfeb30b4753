using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Contrib;

/// <summary>com.microsoft Attention against ONNX Runtime 1.30 (oracle), rtol 1e-4 and atol 1e-5 unless stated.</summary>
public sealed class AttentionTests
{
    /// <summary>input [B, S, hidden], weights [hidden, width] scaled by 1/√hidden as trained weights are, bias [width].</summary>
    static TensorData?[] Inputs(int batchCount, int tokenCount, int hidden, int seed, int width = 0)
    {
        width = width == 0 ? 3 * hidden : width;
        var limit = 1f / MathF.Sqrt(hidden);
        return
        [
            OrtOracle.Floats(seed, [batchCount, tokenCount, hidden]),
            OrtOracle.Floats(seed + 1, [hidden, width], -limit, limit),
            OrtOracle.Floats(seed + 2, [width]),
        ];
    }

    static void AssertMatchesOrt(TensorData?[] inputs, Attr[] attributes, bool constantWeights = true, int threadCount = 1) =>
        OrtOracle.AssertMatchesOrt("Attention", inputs, attributes, constantInputs: constantWeights ? [1, 2] : null, threadCount: threadCount);

    static TensorData?[] With(TensorData?[] inputs, int index, TensorData value)
    {
        var all = new TensorData?[Math.Max(inputs.Length, index + 1)];
        inputs.CopyTo(all, 0);
        all[index] = value;
        return all;
    }

    [Fact]
    public void Matches_ort_without_a_mask()
    {
        AssertMatchesOrt(Inputs(2, 5, 16, seed: 1), [Attr.Int("num_heads", 4)]);
    }

    [Fact]
    public void Matches_ort_when_weights_and_bias_are_graph_inputs()
    {
        AssertMatchesOrt(Inputs(2, 5, 16, seed: 2), [Attr.Int("num_heads", 2)], constantWeights: false);
    }

    [Fact]
    public void Matches_ort_with_a_2d_key_padding_mask_holding_zeros()
    {
        var mask = OrtOracle.Ints([2, 6], 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0);

        AssertMatchesOrt(With(Inputs(2, 6, 16, seed: 3), 3, mask), [Attr.Int("num_heads", 4)]);
    }

    [Fact]
    public void Matches_ort_with_right_padding_end_positions()
    {
        AssertMatchesOrt(With(Inputs(3, 5, 8, seed: 4), 3, OrtOracle.Ints([3], 5, 2, 1)), [Attr.Int("num_heads", 2)]);
    }

    [Fact]
    public void Matches_ort_with_end_and_start_positions()
    {
        AssertMatchesOrt(With(Inputs(2, 5, 8, seed: 5), 3, OrtOracle.Ints([4], 4, 5, 1, 2)), [Attr.Int("num_heads", 2)]);
    }

    [Fact]
    public void Matches_ort_with_a_3d_mask_per_query_token()
    {
        var random = new Random(6);
        var mask = OrtOracle.Ints([2, 4, 4], [.. Enumerable.Range(0, 32).Select(i => i % 4 == 0 ? 1 : random.Next(2))]);

        AssertMatchesOrt(With(Inputs(2, 4, 8, seed: 6), 3, mask), [Attr.Int("num_heads", 2)]);
    }

    [Fact]
    public void Ignores_a_mask_of_one_value_per_batch_entry_as_ort_does()
    {
        AssertMatchesOrt(With(Inputs(2, 4, 8, seed: 7), 3, OrtOracle.Ints([2, 1], 0, 1)), [Attr.Int("num_heads", 2)]);
    }

    [Fact]
    public void Matches_ort_when_unidirectional()
    {
        AssertMatchesOrt(Inputs(2, 7, 16, seed: 8), [Attr.Int("num_heads", 4), Attr.Int("unidirectional", 1)]);
    }

    [Fact]
    public void Matches_ort_when_unidirectional_and_masked_so_that_early_rows_see_only_masked_keys()
    {
        // Row 0 may attend only key 0, which padding masks: the causal and padding filter values then meet.
        var mask = OrtOracle.Ints([2, 5], 0, 1, 1, 1, 1, 0, 0, 1, 1, 0);

        AssertMatchesOrt(With(Inputs(2, 5, 8, seed: 9), 3, mask), [Attr.Int("num_heads", 2), Attr.Int("unidirectional", 1)]);
    }

    [Fact]
    public void Matches_ort_with_custom_scale_and_mask_filter_value()
    {
        var mask = OrtOracle.Ints([2, 5], 1, 1, 0, 1, 1, 1, 0, 1, 1, 1);

        AssertMatchesOrt(With(Inputs(2, 5, 8, seed: 10), 3, mask),
            [Attr.Int("num_heads", 2), Attr.Float("scale", 0.3f), Attr.Float("mask_filter_value", -3f)]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 4)]
    [InlineData(1, 4)]
    public void Matches_ort_with_an_attention_bias_broadcast_over_batch_or_heads(int biasBatch, int biasHeads)
    {
        var bias = OrtOracle.Floats(11, [biasBatch, biasHeads, 5, 5], -2, 2);

        AssertMatchesOrt(With(Inputs(2, 5, 16, seed: 11), 5, bias), [Attr.Int("num_heads", 4)]);
    }

    [Fact]
    public void Matches_ort_with_a_value_hidden_size_different_from_query_and_key()
    {
        AssertMatchesOrt(Inputs(2, 3, 8, seed: 12, width: 20), [Attr.Int("num_heads", 2), Attr.Ints("qkv_hidden_sizes", [8, 8, 4])]);
    }

    [Fact]
    public void Matches_ort_at_bert_mini_size_on_several_threads()
    {
        var mask = OrtOracle.Ints([1, 128], [.. Enumerable.Range(0, 128).Select(i => i < 100 ? 1 : 0)]);

        AssertMatchesOrt(With(Inputs(1, 128, 256, seed: 13), 3, mask), [Attr.Int("num_heads", 4)], threadCount: 4);
    }

    [Fact]
    public void Matches_ort_past_several_row_tiles_and_key_strips_when_unidirectional_masked_and_on_two_threads()
    {
        // 131 tokens: 21 six-row tiles and a partial one, 8 sixteen-key strips and a partial one; value heads of 36
        // columns end in a partial 16-column strip.
        var mask = OrtOracle.Ints([1, 131], [.. Enumerable.Range(0, 131).Select(i => i % 7 == 3 || i > 120 ? 0 : 1)]);

        AssertMatchesOrt(With(Inputs(1, 131, 96, seed: 15, width: 264), 3, mask),
            [Attr.Int("num_heads", 2), Attr.Int("unidirectional", 1), Attr.Ints("qkv_hidden_sizes", [96, 96, 72])], threadCount: 2);
    }

    [Fact]
    public void Matches_ort_for_a_single_token()
    {
        AssertMatchesOrt(Inputs(2, 1, 8, seed: 14), [Attr.Int("num_heads", 2), Attr.Int("unidirectional", 1)]);
    }

    [Fact]
    public void Rejects_past_state_at_plan_time()
    {
        var past = OrtOracle.Floats(15, [2, 1, 2, 3, 4]);
        var model = OrtOracle.SingleNode("Attention", With(Inputs(1, 2, 8, seed: 15), 4, past), [Attr.Int("num_heads", 2)]);

        var error = Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(model));

        Assert.Contains("past input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_read_present_output_at_plan_time()
    {
        var model = OrtOracle.SingleNode("Attention", Inputs(1, 2, 8, seed: 16), [Attr.Int("num_heads", 2)], outputCount: 2);

        var error = Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(model));

        Assert.Contains("present output", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_when_the_present_output_is_declared_but_unread()
    {
        var inputs = Inputs(1, 3, 8, seed: 17);

        OrtOracle.AssertMatchesOrt("Attention", inputs, [Attr.Int("num_heads", 2)], outputCount: 2, graphOutputs: [0], constantInputs: [1, 2]);
    }

    [Fact]
    public void Rejects_rotary_embedding_and_different_query_and_key_sizes()
    {
        var rotary = OrtOracle.SingleNode("Attention", Inputs(1, 2, 8, seed: 18), [Attr.Int("num_heads", 2), Attr.Int("do_rotary", 1)]);
        var sizes = OrtOracle.SingleNode("Attention", Inputs(1, 2, 8, seed: 18, width: 20),
            [Attr.Int("num_heads", 2), Attr.Ints("qkv_hidden_sizes", [8, 4, 8])]);

        Assert.Contains("do_rotary", Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(rotary)).Message, StringComparison.Ordinal);
        Assert.Contains("qkv_hidden_sizes", Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(sizes)).Message, StringComparison.Ordinal);
    }
}
