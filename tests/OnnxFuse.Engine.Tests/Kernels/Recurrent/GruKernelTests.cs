using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels.Recurrent;

/// <summary>
/// ONNX GRU on the engine against ONNX Runtime 1.30 (oracle), rtol 1e-4 and atol 1e-5, for both linear_before_reset
/// forms (R packed in two blocks or one) and every direction, layout and optional input.
/// </summary>
public sealed class GruKernelTests
{
    static Attr Hidden(int size) => Attr.Int("hidden_size", size);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Matches_ort_forward_with_initial_state(int linearBeforeReset)
    {
        var inputs = RecurrentInputs.Create(3, sequenceLength: 6, batchSize: 3, inputSize: 4, hiddenSize: 5, initialHidden: true);

        RecurrentInputs.AssertMatchesOrt("GRU", inputs, [Hidden(5), Attr.Int("linear_before_reset", linearBeforeReset)]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Matches_ort_bidirectional_with_sequences_shorter_than_the_input(int linearBeforeReset)
    {
        var inputs = RecurrentInputs.Create(3, sequenceLength: 7, batchSize: 4, inputSize: 5, hiddenSize: 13, directionCount: 2,
            lengths: [3, 7, 1, 6], initialHidden: true);

        RecurrentInputs.AssertMatchesOrt("GRU", inputs,
            [Hidden(13), Attr.String("direction", "bidirectional"), Attr.Int("linear_before_reset", linearBeforeReset)]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Matches_ort_in_reverse_batch_major_with_sequence_lengths(int linearBeforeReset)
    {
        var inputs = RecurrentInputs.Create(3, sequenceLength: 5, batchSize: 3, inputSize: 3, hiddenSize: 9, lengths: [5, 2, 4],
            initialHidden: true);

        RecurrentInputs.AssertBatchMajorMatchesOrt("GRU", inputs,
            [Hidden(9), Attr.String("direction", "reverse"), Attr.Int("linear_before_reset", linearBeforeReset)]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Matches_ort_with_clip_and_without_bias(int linearBeforeReset)
    {
        var inputs = RecurrentInputs.Create(3, sequenceLength: 4, batchSize: 2, inputSize: 4, hiddenSize: 6, bias: false, scale: 2f);

        RecurrentInputs.AssertMatchesOrt("GRU", inputs,
            [Hidden(6), Attr.Float("clip", 0.6f), Attr.Int("linear_before_reset", linearBeforeReset)]);
    }

    [Fact]
    public void Matches_ort_with_non_default_activations()
    {
        var inputs = RecurrentInputs.Create(3, sequenceLength: 4, batchSize: 2, inputSize: 3, hiddenSize: 7, directionCount: 2);
        Attr[] attributes =
        [
            Hidden(7),
            Attr.String("direction", "bidirectional"),
            Attr.Strings("activations", ["HardSigmoid", "Softsign", "Sigmoid", "Elu"]),
            Attr.Floats("activation_alpha", [0.25f, 0.7f]),
            Attr.Floats("activation_beta", [0.4f]),
        ];

        RecurrentInputs.AssertMatchesOrt("GRU", inputs, attributes);
    }

    [Fact]
    public void Matches_ort_with_weights_as_run_time_inputs_reading_only_y_h()
    {
        var inputs = RecurrentInputs.Create(3, sequenceLength: 5, batchSize: 3, inputSize: 4, hiddenSize: 17, lengths: [5, 1, 3]);

        RecurrentInputs.AssertMatchesOrt("GRU", inputs, [Hidden(17)], graphOutputs: [1], weightsAsInputs: true);
    }
}
