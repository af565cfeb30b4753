using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Passes.Cleanup;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime.Optimization;

namespace OnnxFuse.Passes.Tests.Cleanup;

public sealed class ShapeSimplificationTests
{
    static readonly OptimizerOptions s_withEngine = new() { ConstantEvaluator = EngineConstantEvaluator.Instance };

    static Value Ints(GraphBuilder b, params long[] values) => b.Constant(TensorData.Create<long>([values.Length], values));

    /// <summary>
    /// The exporters' chain for <c>x.view(x.size(0), x.size(1), 2, 4)</c> on x [batch, 16, 8]:
    /// Shape → Gather(0) → Unsqueeze, Shape → Gather(1) → Unsqueeze, Concat with [2, 4], Reshape.
    /// </summary>
    static Model ExportedReshape(Dim batch)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, batch, 16, 8);
        var shape = b.Node("Shape", [x]);
        var dims = new[] { 0L, 1L }.Select(axis =>
            b.Node("Unsqueeze", [b.Node("Gather", [shape, b.Constant(TensorData.Scalar(axis))], Attr.Int("axis", 0)), Ints(b, 0)]));
        var target = b.Node("Concat", [.. dims, Ints(b, 2, 4)], Attr.Int("axis", 0));
        b.Output(b.Node("Reshape", [b.Node("Relu", [x]), target]), "y");
        return b.Build();
    }

    static Dictionary<string, TensorData> BatchOf(int batch, int seed)
    {
        var random = new Random(seed);
        var values = new float[batch * 16 * 8];
        for (var i = 0; i < values.Length; i++)
            values[i] = random.NextSingle() - 0.5f;
        return new() { ["x"] = TensorData.Create<float>([batch, 16, 8], values) };
    }

    [Fact]
    public void Folds_the_exported_reshape_chain_of_a_static_shape_down_to_the_reshape()
    {
        var original = ExportedReshape(batch: 3);

        var (simplified, report) = PassTester.Run(original, s_withEngine, new ConstantFolding(), new ShapeSimplification());

        Assert.Contains(report.Applied, r => r.Pattern == "shape-simplification");
        Assert.Equal(["Relu", "Reshape"], PassTester.OpTypes(simplified));
        Assert.Equal([3L, 16L, 2L, 4L], simplified.Graph.Nodes[1].Input(1).ConstantData!.ToArray<long>());
        PassTester.AssertSameOutputs(original, simplified, rtol: 0, atol: 0, inputs: BatchOf(3, seed: 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_symbolic_batch_stays_dynamic_and_the_model_works_for_any_batch(int batch)
    {
        var original = ExportedReshape(Dim.Symbol("batch"));

        var (simplified, _) = PassTester.Run(original, s_withEngine, new ConstantFolding(), new ShapeSimplification());

        // The batch dim's Shape → Gather → Unsqueeze stays; the fixed dim 16 folded into a constant.
        Assert.Equal(["Concat", "Constant", "Constant", "Constant", "Gather", "Relu", "Reshape", "Shape", "Unsqueeze"], PassTester.OpTypes(simplified).Order());
        var concat = simplified.Graph.Nodes.Single(n => n.OpType == "Concat");
        Assert.Equal([16L], concat.Input(1).ConstantData!.ToArray<long>());
        PassTester.AssertSameOutputs(original, simplified, rtol: 0, atol: 0, inputs: BatchOf(batch, seed: batch));
    }

    [Theory]
    [InlineData(1L, null, new long[] { 16, 8 })]   // Shape-15 start = 1: the fixed dims only
    [InlineData(-2L, -1L, new long[] { 16 })]      // negative start and end count from the back
    [InlineData(2L, 1L, new long[0])]              // end before start: an empty shape
    public void Folds_a_shape_slice_that_skips_the_symbolic_dims(long start, long? end, long[] expected)
    {
        var b = new GraphBuilder(opset: 15);
        var x = b.Input("x", ElementType.Float, Dim.Symbol("batch"), 16, 8);
        Attr[] slice = end is { } e ? [Attr.Int("start", start), Attr.Int("end", e)] : [Attr.Int("start", start)];
        var shape = b.Node("Shape", [x], slice);
        b.Output(b.Node("Concat", [Ints(b, 1), shape], Attr.Int("axis", 0)), "dims");
        var original = b.Build();

        var (simplified, report) = PassTester.Run(original, new ShapeSimplification());

        Assert.Single(report.Applied);
        Assert.Equal(["Constant", "Concat"], PassTester.OpTypes(simplified));
        Assert.Equal(expected, simplified.Graph.Nodes[1].Input(1).ConstantData!.ToArray<long>());
        PassTester.AssertSameOutputs(original, simplified, rtol: 0, atol: 0, inputs: BatchOf(2, seed: 5));
    }

    [Fact]
    public void Leaves_a_shape_that_includes_a_symbolic_dim()
    {
        var b = new GraphBuilder(opset: 15);
        var x = b.Input("x", ElementType.Float, Dim.Symbol("batch"), 16, 8);
        b.Output(b.Node("Shape", [x], Attr.Int("end", 2)), "dims");

        var (simplified, report) = PassTester.Run(b.Build(), new ShapeSimplification());

        Assert.Empty(report.Applied);
        Assert.Equal(["Shape"], PassTester.OpTypes(simplified));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Folds_size_only_when_every_dim_is_fixed(bool symbolicBatch, bool folds)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, symbolicBatch ? Dim.Symbol("batch") : 2, 16, 8);
        b.Output(b.Node("Add", [b.Node("Size", [x]), b.Constant(TensorData.Scalar(1L))]), "count");
        var original = b.Build();

        var (simplified, _) = PassTester.Run(original, new ShapeSimplification());

        Assert.Equal(folds ? ["Constant", "Add"] : ["Size", "Constant", "Add"], PassTester.OpTypes(simplified));
        PassTester.AssertSameOutputs(original, simplified, rtol: 0, atol: 0, inputs: BatchOf(2, seed: 6));
    }

    [Fact]
    public void Leaves_a_gather_whose_indices_are_computed()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2, 16, 8);
        var index = b.Input("index", ElementType.Int64);
        var shape = b.Node("Shape", [b.Node("Relu", [x])]);
        b.Output(b.Node("Gather", [shape, index]), "dim");
        b.Output(b.Node("Relu", [x]), "y");

        var (simplified, report) = PassTester.Run(b.Build(), new ShapeSimplification());

        // Shape itself folds (every dim is fixed); the Gather it feeds needs a computed index and stays.
        Assert.Equal(["Shape"], Assert.Single(report.Applied).Replaced.Select(n => n.OpType));
        Assert.Equal(["Gather", "Relu"], PassTester.OpTypes(simplified));
    }
}
