using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Tests.Inference;

/// <summary>Transpose, Concat, Split, Gather, Expand, Tile and Pad.</summary>
public sealed class ShapeManipulationRuleTests
{
    [Fact]
    public void Transpose_permutes_and_reverses_by_default()
    {
        var g = new InferenceGraph();
        var x = g.Input("x", 2, "s", 4);
        var permuted = g.Node("Transpose", [x], Attr.Ints("perm", [0, 2, 1]));
        var reversed = g.Node("Transpose", [x]);

        g.Infer();

        Assert.Equal("[2,4,s]", permuted.Shape!.ToString());
        Assert.Equal("[4,s,2]", reversed.Shape!.ToString());
    }

    [Fact]
    public void Concat_sums_the_axis_and_fills_known_dims_from_any_input()
    {
        var g = new InferenceGraph();
        var y = g.Node("Concat", [g.Input("a", null, 2), g.Input("b", 3, 5)], Attr.Int("axis", -1));

        g.Infer();

        Assert.Equal("[3,7]", y.Shape!.ToString());
    }

    [Theory]
    [InlineData(13, "[2,4]", "[5,4]")]
    [InlineData(11, "[2,4]", "[5,4]")]
    public void Split_sizes_come_from_attribute_or_input_by_opset(long opset, string first, string second)
    {
        var g = new InferenceGraph(opset);
        Value[] inputs = opset >= 13 ? [g.Input("x", 7, 4), g.Ints("split", 2, 5)] : [g.Input("x", 7, 4)];
        Attr[] attrs = opset >= 13 ? [] : [Attr.Ints("split", [2, 5])];
        var split = g.NodeWithOutputs("Split", inputs, 2, attrs);

        g.Infer();

        Assert.Equal(first, split.Output(0).Shape!.ToString());
        Assert.Equal(second, split.Output(1).Shape!.ToString());
    }

    [Fact]
    public void Split_into_equal_parts_rounds_up_from_opset_18()
    {
        var g = new InferenceGraph(opset: 18);
        var split = g.NodeWithOutputs("Split", [g.Input("x", 7)], 3, Attr.Int("num_outputs", 3));

        g.Infer();

        Assert.Equal(["[3]", "[3]", "[1]"], split.Outputs.Select(o => o!.Shape!.ToString()));
    }

    [Fact]
    public void Gather_replaces_the_axis_by_the_indices_shape()
    {
        var g = new InferenceGraph();
        var y = g.Node("Gather", [g.Input("embeddings", 30522, 256), g.Input("ids", ElementType.Int64, 1, 128)]);
        var elements = g.Node("GatherElements", [g.Input("d", 3, 3), g.Input("i", ElementType.Int64, 2, 3)]);
        var nd = g.Node("GatherND", [g.Input("nd", 2, 3, 4), g.Input("ndi", ElementType.Int64, 5, 2)]);

        g.Infer();

        Assert.Equal("[1,128,256]", y.Shape!.ToString());
        Assert.Equal("[2,3]", elements.Shape!.ToString());
        Assert.Equal("[5,4]", nd.Shape!.ToString());
    }

    [Fact]
    public void Expand_broadcasts_and_tile_multiplies()
    {
        var g = new InferenceGraph();
        var expanded = g.Node("Expand", [g.Input("x", 3, 1), g.Ints("shape", 2, 1, 6)]);
        var tiled = g.Node("Tile", [g.Input("t", 2, "n"), g.Ints("repeats", 3, 1)]);

        g.Infer();

        Assert.Equal("[2,3,6]", expanded.Shape!.ToString());
        Assert.Equal("[6,n]", tiled.Shape!.ToString());
    }

    [Fact]
    public void Pad_reads_pads_from_attribute_before_opset_11_and_input_after()
    {
        var old = new InferenceGraph(opset: 10);
        var oldY = old.Node("Pad", [old.Input("x", 1, 3, 4)], Attr.Ints("pads", [0, 1, 2, 0, 1, 3]));
        var current = new InferenceGraph(opset: 13);
        var newY = current.Node("Pad", [current.Input("x", 1, 3, 4), current.Ints("pads", 0, 1, 2, 0, 1, 3)]);

        old.Infer();
        current.Infer();

        Assert.Equal("[1,5,9]", oldY.Shape!.ToString());
        Assert.Equal("[1,5,9]", newY.Shape!.ToString());
    }

    [Fact]
    public void DepthToSpace_and_SpaceToDepth_move_channels_to_pixels()
    {
        var g = new InferenceGraph();
        var d2s = g.Node("DepthToSpace", [g.Input("x", 1, 8, 2, 3)], Attr.Int("blocksize", 2));
        var s2d = g.Node("SpaceToDepth", [g.Input("z", 1, 2, 4, 6)], Attr.Int("blocksize", 2));

        g.Infer();

        Assert.Equal("[1,2,4,6]", d2s.Shape!.ToString());
        Assert.Equal("[1,8,2,3]", s2d.Shape!.ToString());
    }
}
