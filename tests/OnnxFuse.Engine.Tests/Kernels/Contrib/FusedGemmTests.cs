using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Contrib;

/// <summary>
/// com.microsoft FusedGemm (Gemm + activation, parameters in activation_alpha/activation_beta) against ONNX Runtime 1.30
/// (oracle), rtol 1e-4 and atol 1e-5.
/// </summary>
public sealed class FusedGemmTests
{
    public static TheoryData<string, float[]> Activations => new()
    {
        { "Relu", [] },
        { "Tanh", [] },
        { "Sigmoid", [] },
        { "LeakyRelu", [0.2f] },
        { "HardSigmoid", [0.3f, 0.45f] },
    };

    static Attr[] Attributes(string activation, float[] parameters, params Attr[] more)
    {
        List<Attr> attributes = [Attr.String("activation", activation), .. more];
        if (parameters.Length > 0)
            attributes.Add(Attr.Float("activation_alpha", parameters[0]));
        if (parameters.Length > 1)
            attributes.Add(Attr.Float("activation_beta", parameters[1]));
        return [.. attributes];
    }

    [Theory, MemberData(nameof(Activations))]
    public void Matches_ort_with_each_activation_and_a_row_bias(string activation, float[] parameters)
    {
        TensorData?[] inputs = [OrtOracle.Floats(1, [7, 13]), OrtOracle.Floats(2, [13, 19]), OrtOracle.Floats(3, [19])];

        OrtOracle.AssertMatchesOrt("FusedGemm", inputs, Attributes(activation, parameters), constantInputs: [1, 2]);
    }

    [Theory, MemberData(nameof(Activations))]
    public void Matches_ort_transposed_with_alpha_beta_and_a_full_c(string activation, float[] parameters)
    {
        TensorData?[] inputs = [OrtOracle.Floats(4, [13, 7]), OrtOracle.Floats(5, [19, 13]), OrtOracle.Floats(6, [7, 19])];

        OrtOracle.AssertMatchesOrt("FusedGemm", inputs, Attributes(activation, parameters, Attr.Int("transA", 1), Attr.Int("transB", 1),
            Attr.Float("alpha", 0.7f), Attr.Float("beta", 1.5f)));
    }

    [Fact]
    public void Rejects_clip_which_ort_fused_gemm_does_not_have()
    {
        var model = OrtOracle.SingleNode("FusedGemm", [OrtOracle.Floats(7, [2, 3]), OrtOracle.Floats(8, [3, 4])], [Attr.String("activation", "Clip")]);

        Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(model));
    }
}
