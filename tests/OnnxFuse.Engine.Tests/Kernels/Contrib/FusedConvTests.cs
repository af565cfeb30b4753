using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Contrib;

/// <summary>com.microsoft FusedConv (Conv + activation with activation_params) against ONNX Runtime 1.30 (oracle), rtol 1e-4 and atol 1e-5.</summary>
public sealed class FusedConvTests
{
    public static TheoryData<string, float[]> Activations => new()
    {
        { "Relu", [] },
        { "Tanh", [] },
        { "Sigmoid", [] },
        { "LeakyRelu", [0.3f] },
        { "Clip", [-0.5f, 0.75f] },
        { "HardSigmoid", [0.4f, 0.3f] },
    };

    static Attr[] Attributes(string activation, float[] parameters, params Attr[] more) =>
        parameters.Length == 0
            ? [Attr.String("activation", activation), .. more]
            : [Attr.String("activation", activation), Attr.Floats("activation_params", parameters), .. more];

    [Theory, MemberData(nameof(Activations))]
    public void Matches_ort_with_each_activation(string activation, float[] parameters)
    {
        TensorData?[] inputs = [OrtOracle.Floats(1, [2, 3, 9, 7]), OrtOracle.Floats(2, [4, 3, 3, 3]), OrtOracle.Floats(3, [4])];

        OrtOracle.AssertMatchesOrt("FusedConv", inputs, Attributes(activation, parameters, Attr.Ints("pads", [1, 1, 1, 1])), constantInputs: [1, 2]);
    }

    [Theory, MemberData(nameof(Activations))]
    public void Matches_ort_grouped_and_strided_with_weights_as_inputs(string activation, float[] parameters)
    {
        TensorData?[] inputs = [OrtOracle.Floats(4, [1, 4, 8, 8]), OrtOracle.Floats(5, [4, 2, 3, 3])];

        OrtOracle.AssertMatchesOrt("FusedConv", inputs,
            Attributes(activation, parameters, Attr.Int("group", 2), Attr.Ints("strides", [2, 2]), Attr.Ints("pads", [0, 1, 1, 0])));
    }

    [Fact]
    public void Matches_ort_depthwise_with_relu()
    {
        TensorData?[] inputs = [OrtOracle.Floats(6, [1, 6, 12, 20]), OrtOracle.Floats(7, [6, 1, 3, 3]), OrtOracle.Floats(8, [6])];

        OrtOracle.AssertMatchesOrt("FusedConv", inputs, Attributes("Relu", [], Attr.Int("group", 6), Attr.Ints("pads", [1, 1, 1, 1])),
            constantInputs: [1, 2]);
    }
}
