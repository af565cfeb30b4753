using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on the managed engine and on ONNX Runtime; tolerance 1e-4 relative, 1e-5 absolute.</summary>
public sealed class QkvPackingFusionTests
{
    /// <summary>
    /// x[2, 5, 8] → one MatMul per width (weights [8, width]), each followed by Add(bias, ·) when <paramref name="biased"/>
    /// says so, then by a Relu (or straight to a graph output when <paramref name="toOutputs"/>).
    /// </summary>
    static Model Projections(long[] widths, bool[] biased, long opset = 13, bool constantNodes = false, bool toOutputs = false)
    {
        var b = new GraphBuilder(opset);
        var x = b.Input("x", ElementType.Float, 2, 5, 8);
        for (var i = 0; i < widths.Length; i++)
        {
            var w = constantNodes ? b.Constant(Random(10 + i, 8, widths[i])) : b.RandomInitializer($"w{i}", 10 + i, 8, widths[i]);
            var y = b.Node("MatMul", [x, w]);
            if (biased[i])
                y = b.Node("Add", [b.RandomInitializer($"b{i}", 20 + i, widths[i]), y]);
            b.Output(toOutputs ? y : b.Node("Relu", [y]), $"y{i}");
        }
        return b.Build();
    }

    static TensorData Random(int seed, params long[] dims)
    {
        var random = new Random(seed);
        var values = new float[dims.Aggregate(1L, (n, d) => n * d)];
        for (var i = 0; i < values.Length; i++)
            values[i] = (random.NextSingle() * 2) - 1;
        return TensorData.Create<float>(dims, values);
    }

    [Fact]
    public void Packs_three_biased_projections_into_one_matmul_add_and_split()
    {
        var original = Projections([8, 8, 8], [true, true, true]);

        var (fused, report) = PassTester.Run(original, new QkvPackingFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["MatMul", "Add", "Split", "Relu", "Relu", "Relu"], PassTester.OpTypes(fused));
        var split = fused.Graph.Nodes.Single(n => n.OpType == "Split");
        Assert.Equal([8L, 8, 8], split.Input(1).ConstantData!.ToArray<long>());
        Assert.Equal(2, split.GetInt("axis", 0));
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Packs_projections_of_different_widths_without_bias()
    {
        var original = Projections([8, 4], [false, false]);

        var (fused, _) = PassTester.Run(original, new QkvPackingFusion());

        Assert.Equal(["MatMul", "Split", "Relu", "Relu"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Gives_zeros_to_the_projections_that_have_no_bias()
    {
        var original = Projections([8, 4, 6], [true, false, true]);

        var (fused, _) = PassTester.Run(original, new QkvPackingFusion());

        Assert.Equal(["MatMul", "Add", "Split", "Relu", "Relu", "Relu"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 5);
    }

    [Fact]
    public void Puts_the_split_sizes_in_an_attribute_before_opset_13()
    {
        var original = Projections([8, 8, 8], [true, true, true], opset: 11);

        var (fused, _) = PassTester.Run(original, new QkvPackingFusion());

        var split = fused.Graph.Nodes.Single(n => n.OpType == "Split");
        Assert.Single(split.Inputs);
        Assert.Equal([8L, 8, 8], split.GetInts("split"));
        PassTester.AssertSameOutputs(original, fused, seed: 6);
    }

    [Fact]
    public void Packs_weights_held_in_constant_nodes_and_keeps_graph_output_names()
    {
        var original = Projections([8, 8, 8], [true, false, true], constantNodes: true, toOutputs: true);

        var (fused, report) = PassTester.Run(original, new QkvPackingFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["y0", "y1", "y2"], fused.Graph.Outputs.Select(o => o.Name));
        Assert.All(fused.Graph.Outputs, o => Assert.Equal("Split", o.Producer!.OpType));
        PassTester.AssertSameOutputs(original, fused, seed: 7);
    }

    [Fact]
    public void Leaves_the_bias_add_in_place_when_the_product_has_a_second_reader()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2, 5, 8);
        var q = b.Node("MatMul", [x, b.RandomInitializer("wq", 1, 8, 8)]);
        var k = b.Node("MatMul", [x, b.RandomInitializer("wk", 2, 8, 8)]);
        b.Output(b.Node("Add", [q, b.RandomInitializer("bq", 3, 8)]), "q");
        b.Output(b.Node("Relu", [q]), "q_side");
        b.Output(b.Node("Add", [k, b.RandomInitializer("bk", 4, 8)]), "k");
        var original = b.Build();

        var (fused, _) = PassTester.Run(original, new QkvPackingFusion());

        Assert.Equal(["MatMul", "Add", "Split", "Add", "Relu"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 8);
    }

    [Fact]
    public void Packs_only_the_projections_whose_weights_are_constant()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2, 5, 8);
        b.Output(b.Node("MatMul", [x, b.RandomInitializer("wq", 1, 8, 8)]), "q");
        b.Output(b.Node("MatMul", [x, b.RandomInitializer("wk", 2, 8, 8)]), "k");
        b.Output(b.Node("MatMul", [x, b.Input("wv", ElementType.Float, 8, 8)]), "v");
        var original = b.Build();

        var (fused, _) = PassTester.Run(original, new QkvPackingFusion());

        Assert.Equal(["MatMul", "Split", "MatMul"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 9);
    }

    [Fact]
    public void Leaves_a_single_projection_and_products_that_read_x_as_b_alone()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 8, 8);
        b.Output(b.Node("MatMul", [x, b.RandomInitializer("wq", 1, 8, 8)]), "q");
        b.Output(b.Node("MatMul", [b.RandomInitializer("wk", 2, 8, 8), x]), "k");

        var (_, report) = PassTester.Run(b.Build(), new QkvPackingFusion());

        Assert.Empty(report.Applied);
    }
}
