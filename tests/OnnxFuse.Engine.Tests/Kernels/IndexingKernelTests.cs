using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels;

/// <summary>
/// The gather/scatter family, OneHot, Trilu, DepthToSpace and Mod against ONNX Runtime 1.30 (oracle; exact, these move
/// or combine values without rounding differences) in the cases the backend node tests leave out: negative indices,
/// duplicate scatter targets with reductions, batch_dims, non-default axes.
/// </summary>
public sealed class IndexingKernelTests
{
    static TensorData Longs(long[] dims, params long[] values) => TensorData.Create<long>(dims, values);

    static void AssertExact(string opType, TensorData?[] inputs, params Attr[] attributes) =>
        OrtOracle.AssertMatchesOrt(opType, inputs, attributes, domain: "", rtol: 0, atol: 0);

    [Fact]
    public void GatherElements_matches_ort_with_negative_indices_on_a_negative_axis() =>
        AssertExact("GatherElements", [OrtOracle.Floats(1, [3, 4]), Longs([3, 2], 0, -1, 2, -4, 3, 1)], Attr.Int("axis", -1));

    [Theory]
    [InlineData("add")]
    [InlineData("mul")]
    [InlineData("none")]
    public void ScatterElements_matches_ort_with_each_reduction(string reduction)
    {
        var indices = reduction == "none" ? Longs([2, 2], 1, -3, 0, 2) : Longs([2, 2], 1, 1, 0, -3);

        AssertExact("ScatterElements", [OrtOracle.Floats(1, [3, 3]), indices, OrtOracle.Floats(2, [2, 2])], Attr.Int("axis", 1),
            Attr.String("reduction", reduction));
    }

    [Fact]
    public void GatherND_matches_ort_with_batch_dims() =>
        AssertExact("GatherND", [OrtOracle.Floats(1, [2, 3, 4]), Longs([2, 2, 1], 2, -1, 0, 1)], Attr.Int("batch_dims", 1));

    [Theory]
    [InlineData("add")]
    [InlineData("mul")]
    public void ScatterND_matches_ort_with_duplicate_targets(string reduction) =>
        AssertExact("ScatterND", [OrtOracle.Floats(1, [4, 3]), Longs([3, 1], 1, -3, 3), OrtOracle.Floats(2, [3, 3])],
            Attr.String("reduction", reduction));

    [Fact]
    public void OneHot_matches_ort_on_axis_0_with_negative_and_out_of_range_indices() =>
        AssertExact("OneHot", [Longs([2, 3], 0, -1, 2, 7, -5, 1), Longs([], 4), OrtOracle.Floats(3, [2])], Attr.Int("axis", 0));

    [Theory]
    [InlineData(1, -1)]
    [InlineData(0, 2)]
    public void Trilu_matches_ort_on_a_batch_of_matrices(int upper, long k) =>
        AssertExact("Trilu", [OrtOracle.Floats(1, [2, 3, 5]), Longs([], k)], Attr.Int("upper", upper));

    [Fact]
    public void DepthToSpace_matches_ort_in_crd_mode() =>
        AssertExact("DepthToSpace", [OrtOracle.Floats(1, [2, 8, 2, 3])], Attr.Int("blocksize", 2), Attr.String("mode", "CRD"));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void ReverseSequence_matches_ort_with_either_axis_order(int batchAxis, int timeAxis) =>
        AssertExact("ReverseSequence", [OrtOracle.Floats(1, batchAxis == 0 ? [3, 5, 2] : [5, 3, 2]), Longs([3], 5, 0, 2)],
            Attr.Int("batch_axis", batchAxis), Attr.Int("time_axis", timeAxis));

    [Fact]
    public void Compress_matches_ort_with_a_condition_shorter_than_the_axis() =>
        AssertExact("Compress", [OrtOracle.Floats(1, [3, 5]), TensorData.Create<bool>([3], [true, false, true])], Attr.Int("axis", 1));

    [Fact]
    public void Mod_matches_ort_on_mixed_sign_integers_both_ways()
    {
        TensorData?[] inputs = [OrtOracle.Ints([6], -7, 7, -7, 7, 0, 5), OrtOracle.Ints([6], 3, -3, -3, 3, 4, -2)];

        AssertExact("Mod", inputs, Attr.Int("fmod", 0));
        AssertExact("Mod", inputs, Attr.Int("fmod", 1));
    }

    [Fact]
    public void Mod_by_an_integer_zero_is_a_clear_error()
    {
        TensorData?[] inputs = [OrtOracle.Ints([2], 4, 5), OrtOracle.Ints([2], 2, 0)];
        var model = OrtOracle.SingleNode("Mod", inputs, [], domain: "");
        using var session = InferenceSession.Create(model);

        var error = Assert.Throws<ShapeMismatchException>(() => session.Run(OrtOracle.Feeds(model, inputs)));

        Assert.Contains("zero", error.Message, StringComparison.Ordinal);
    }
}
