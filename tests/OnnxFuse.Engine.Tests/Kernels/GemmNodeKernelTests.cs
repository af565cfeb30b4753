using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels;

public sealed class GemmNodeKernelTests
{
    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    [InlineData(false, true, true)]
    public void Gemm_applies_transposes_alpha_beta_and_broadcast_bias(bool transA, bool transB, bool constantWeights)
    {
        const int m = 3, k = 5, n = 4;
        var a = NodeRunner.Random(transA ? [k, m] : [m, k], seed: 1);
        var b = NodeRunner.Random(transB ? [n, k] : [k, n], seed: 2);
        var c = NodeRunner.Random([n], seed: 3);
        Attr[] attributes = [Attr.Float("alpha", 0.5f), Attr.Float("beta", 2f), Attr.Int("transA", transA ? 1 : 0), Attr.Int("transB", transB ? 1 : 0)];

        var result = NodeRunner.Single("Gemm", [a, b, c], attributes, constantInputs: constantWeights);

        // Oracle: the Gemm formula written out element by element.
        var av = a.ToArray<float>();
        var bv = b.ToArray<float>();
        var cv = c.ToArray<float>();
        var expected = new float[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = 0f;
                for (var p = 0; p < k; p++)
                    sum += (transA ? av[p * m + i] : av[i * k + p]) * (transB ? bv[j * k + p] : bv[p * n + j]);
                expected[i * n + j] = 0.5f * sum + 2f * cv[j];
            }
        Numerics.AssertClose(expected, result.ToArray<float>(), rtol: 1e-5f, atol: 1e-6f);
    }

    public static TheoryData<string, Attr[], Func<float, float>> FusedActivations => new()
    {
        { "LeakyRelu", [Attr.Float("activation_alpha", 0.2f)], x => x >= 0 ? x : 0.2f * x },
        { "LeakyRelu", [], x => x >= 0 ? x : 0.01f * x },
        { "HardSigmoid", [Attr.Float("activation_alpha", 0.3f), Attr.Float("activation_beta", 0.4f)], x => Math.Clamp((0.3f * x) + 0.4f, 0f, 1f) },
    };

    [Theory, MemberData(nameof(FusedActivations))]
    public void FusedGemm_reads_the_activation_attributes_under_onnx_runtimes_activation_prefix(string activation, Attr[] parameters, Func<float, float> apply)
    {
        const int m = 3, k = 5, n = 4;
        var a = NodeRunner.Random([m, k], seed: 1);
        var b = NodeRunner.Random([k, n], seed: 2);

        var result = NodeRunner.Single("FusedGemm", [a, b], [Attr.Float("alpha", 3f), Attr.String("activation", activation), .. parameters],
            domain: "com.microsoft");

        // Oracle: the activation applied to 3 · A · B written out element by element.
        var av = a.ToArray<float>();
        var bv = b.ToArray<float>();
        var expected = new float[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = 0f;
                for (var p = 0; p < k; p++)
                    sum += av[i * k + p] * bv[p * n + j];
                expected[i * n + j] = apply(3f * sum);
            }
        Numerics.AssertClose(expected, result.ToArray<float>(), rtol: 1e-5f, atol: 1e-6f);
    }
}
