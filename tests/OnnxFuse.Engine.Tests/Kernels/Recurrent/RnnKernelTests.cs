using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels.Recurrent;

/// <summary>ONNX RNN on the engine against ONNX Runtime 1.30 (oracle), rtol 1e-4 and atol 1e-5.</summary>
public sealed class RnnKernelTests
{
    static Attr Hidden(int size) => Attr.Int("hidden_size", size);

    [Theory]
    [InlineData("forward")]
    [InlineData("reverse")]
    [InlineData("bidirectional")]
    public void Matches_ort_in_each_direction_with_sequence_lengths_and_initial_state(string direction)
    {
        var directions = direction == "bidirectional" ? 2 : 1;
        var inputs = RecurrentInputs.Create(1, sequenceLength: 6, batchSize: 3, inputSize: 5, hiddenSize: 11, directionCount: directions,
            lengths: [6, 2, 4], initialHidden: true);

        RecurrentInputs.AssertMatchesOrt("RNN", inputs, [Hidden(11), Attr.String("direction", direction)]);
    }

    [Fact]
    public void Matches_ort_batch_major_with_relu_and_clip()
    {
        var inputs = RecurrentInputs.Create(1, sequenceLength: 5, batchSize: 2, inputSize: 3, hiddenSize: 6, directionCount: 2,
            initialHidden: true, scale: 1.5f);

        RecurrentInputs.AssertBatchMajorMatchesOrt("RNN", inputs,
            [Hidden(6), Attr.String("direction", "bidirectional"), Attr.Strings("activations", ["Relu", "Tanh"]), Attr.Float("clip", 0.9f)]);
    }

    [Fact]
    public void Matches_ort_without_bias()
    {
        var inputs = RecurrentInputs.Create(1, sequenceLength: 4, batchSize: 2, inputSize: 3, hiddenSize: 4, bias: false);

        RecurrentInputs.AssertMatchesOrt("RNN", inputs, [Hidden(4)]);
    }

    [Fact]
    public void Takes_the_hidden_size_from_r_when_the_attribute_is_absent()
    {
        // ONNX Runtime requires hidden_size, so it runs the node with the attribute and the engine without.
        var inputs = RecurrentInputs.Create(1, sequenceLength: 4, batchSize: 2, inputSize: 3, hiddenSize: 5)[..4];
        var withAttribute = OrtOracle.SingleNode("RNN", inputs, [Hidden(5)], domain: "", outputCount: 2, constantInputs: [1, 2]);
        var withoutAttribute = OrtOracle.SingleNode("RNN", inputs, [], domain: "", outputCount: 2, constantInputs: [1, 2]);

        var expected = OrtOracle.RunOrt(withAttribute, OrtOracle.Feeds(withAttribute, inputs));
        var actual = OrtOracle.RunEngine(withoutAttribute, OrtOracle.Feeds(withoutAttribute, inputs));

        for (var i = 0; i < 2; i++)
            Numerics.AssertClose(expected[i], actual[i], OrtOracle.Rtol, OrtOracle.Atol);
    }
}
