using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels;

public sealed class SoftmaxKernelTests
{
    static readonly float[] s_values = [1, 2, 3, 4, 0, 0, 0, 0];

    static float[] Softmax(params float[] row)
    {
        var max = row.Max();
        var exps = row.Select(v => MathF.Exp(v - max)).ToArray();
        return [.. exps.Select(e => e / exps.Sum())];
    }

    [Fact]
    public void Opset_13_normalizes_along_the_single_axis()
    {
        var x = NodeRunner.Floats([2, 2, 2], s_values);

        var result = NodeRunner.Single("Softmax", [x], [Attr.Int("axis", 1)], opset: 13).ToArray<float>();

        // Oracle: softmax of each (i, :, k) line by hand.
        var a = Softmax(1, 3);
        var b = Softmax(2, 4);
        Numerics.AssertClose([a[0], b[0], a[1], b[1], 0.5f, 0.5f, 0.5f, 0.5f], result, rtol: 1e-6f, atol: 1e-7f);
    }

    [Fact]
    public void Opset_11_coerces_to_2d_at_the_axis()
    {
        var x = NodeRunner.Floats([2, 2, 2], s_values);

        var result = NodeRunner.Single("Softmax", [x], [Attr.Int("axis", 1)], opset: 11).ToArray<float>();

        // Oracle: rows of the [2, 4] view.
        Numerics.AssertClose([.. Softmax(1, 2, 3, 4), .. Softmax(0, 0, 0, 0)], result, rtol: 1e-6f, atol: 1e-7f);
    }

    [Fact]
    public void LogSoftmax_is_the_log_of_softmax()
    {
        var result = NodeRunner.Single("LogSoftmax", [NodeRunner.Floats([1, 3], 1, 2, 3)], opset: 13).ToArray<float>();
        Numerics.AssertClose([.. Softmax(1, 2, 3).Select(v => MathF.Log(v))], result, rtol: 1e-5f, atol: 1e-6f);
    }
}
