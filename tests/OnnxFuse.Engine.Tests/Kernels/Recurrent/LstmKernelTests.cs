using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels.Recurrent;

/// <summary>
/// ONNX LSTM on the engine against ONNX Runtime 1.30 (oracle), rtol 1e-4 and atol 1e-5, over every attribute and optional
/// input; hidden sizes are deliberately not multiples of the vector width.
/// </summary>
public sealed class LstmKernelTests
{
    static Attr Hidden(int size) => Attr.Int("hidden_size", size);

    [Fact]
    public void Matches_ort_forward_with_all_three_outputs()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 6, batchSize: 3, inputSize: 4, hiddenSize: 5);

        RecurrentInputs.AssertMatchesOrt("LSTM", inputs, [Hidden(5)]);
    }

    [Fact]
    public void Matches_ort_bidirectional_with_sequences_shorter_than_the_input_and_initial_states()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 7, batchSize: 4, inputSize: 6, hiddenSize: 13, directionCount: 2,
            lengths: [7, 3, 1, 5], initialHidden: true, initialCell: true);

        RecurrentInputs.AssertMatchesOrt("LSTM", inputs, [Hidden(13), Attr.String("direction", "bidirectional")]);
    }

    [Fact]
    public void Matches_ort_in_reverse_with_sequence_lengths()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 5, batchSize: 3, inputSize: 3, hiddenSize: 9, lengths: [2, 5, 4],
            initialHidden: true);

        RecurrentInputs.AssertMatchesOrt("LSTM", inputs, [Hidden(9), Attr.String("direction", "reverse")]);
    }

    [Fact]
    public void Matches_ort_batch_major_layout_bidirectional_with_sequence_lengths()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 6, batchSize: 3, inputSize: 5, hiddenSize: 7, directionCount: 2,
            lengths: [4, 6, 2], initialHidden: true, initialCell: true);

        RecurrentInputs.AssertBatchMajorMatchesOrt("LSTM", inputs, [Hidden(7), Attr.String("direction", "bidirectional")]);
    }

    [Fact]
    public void Matches_ort_with_peepholes()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 5, batchSize: 2, inputSize: 4, hiddenSize: 11, directionCount: 2,
            initialHidden: true, initialCell: true, peepholes: true);

        RecurrentInputs.AssertMatchesOrt("LSTM", inputs, [Hidden(11), Attr.String("direction", "bidirectional")]);
    }

    [Fact]
    public void Matches_ort_with_clip_bounding_the_gate_inputs()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 5, batchSize: 3, inputSize: 4, hiddenSize: 6, initialCell: true,
            peepholes: true, scale: 2f);

        RecurrentInputs.AssertMatchesOrt("LSTM", inputs, [Hidden(6), Attr.Float("clip", 0.7f)]);
    }

    [Fact]
    public void Matches_ort_with_input_forget_coupling_the_forget_gate()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 4, batchSize: 2, inputSize: 3, hiddenSize: 5, initialCell: true);

        RecurrentInputs.AssertMatchesOrt("LSTM", inputs, [Hidden(5), Attr.Int("input_forget", 1)]);
    }

    [Fact]
    public void Matches_ort_with_non_default_activations_and_their_alpha_beta()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 4, batchSize: 2, inputSize: 3, hiddenSize: 10, directionCount: 2);
        Attr[] attributes =
        [
            Hidden(10),
            Attr.String("direction", "bidirectional"),
            Attr.Strings("activations", ["HardSigmoid", "LeakyRelu", "Softsign", "sigmoid", "ScaledTanh", "Affine"]),
            Attr.Floats("activation_alpha", [0.3f, 0.05f, 0.8f, 0.9f]),
            Attr.Floats("activation_beta", [0.45f, 1.2f, 0.1f]),
        ];

        RecurrentInputs.AssertMatchesOrt("LSTM", inputs, attributes);
    }

    [Fact]
    public void Matches_ort_with_weights_as_run_time_inputs()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 3, batchSize: 2, inputSize: 4, hiddenSize: 6, lengths: [3, 2]);

        RecurrentInputs.AssertMatchesOrt("LSTM", inputs, [Hidden(6)], weightsAsInputs: true);
    }

    [Fact]
    public void Matches_ort_when_only_the_final_states_are_read()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 5, batchSize: 2, inputSize: 4, hiddenSize: 6, directionCount: 2,
            lengths: [5, 2]);

        RecurrentInputs.AssertMatchesOrt("LSTM", inputs, [Hidden(6), Attr.String("direction", "bidirectional")], graphOutputs: [1, 2]);
    }

    [Fact]
    public void Matches_ort_at_a_larger_size_on_two_threads()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 9, batchSize: 5, inputSize: 33, hiddenSize: 37, directionCount: 2,
            lengths: [9, 8, 1, 9, 4], initialHidden: true, initialCell: true, scale: 0.2f);

        RecurrentInputs.AssertMatchesOrt("LSTM", inputs, [Hidden(37), Attr.String("direction", "bidirectional")], threadCount: 2);
    }

    [Fact]
    public void Rejects_an_unknown_activation_at_plan_time()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 2, batchSize: 1, inputSize: 2, hiddenSize: 3);
        var model = OrtOracle.SingleNode("LSTM", inputs[..3], [Hidden(3), Attr.Strings("activations", ["Sigmoid", "Swish", "Tanh"])],
            domain: "", outputCount: 3);

        var error = Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(model));

        Assert.Contains("Swish", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_hidden_size_that_disagrees_with_r()
    {
        var inputs = RecurrentInputs.Create(4, sequenceLength: 2, batchSize: 1, inputSize: 2, hiddenSize: 3);
        var model = OrtOracle.SingleNode("LSTM", inputs[..3], [Hidden(4)], domain: "", outputCount: 3);
        using var session = InferenceSession.Create(model);

        var error = Assert.Throws<ShapeMismatchException>(() => session.Run(OrtOracle.Feeds(model, inputs[..3])));

        Assert.Contains("hidden_size", error.Message, StringComparison.Ordinal);
    }
}
