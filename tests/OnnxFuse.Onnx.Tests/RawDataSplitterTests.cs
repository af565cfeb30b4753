using System.Runtime.InteropServices;
using OnnxFuse.Ir.Comparison;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx.Conversion;
using OnnxFuse.Testing;

namespace OnnxFuse.Onnx.Tests;

public sealed class RawDataSplitterTests
{
    [Fact]
    public void Large_weights_of_a_loaded_model_are_slices_of_the_file_buffer_not_copies()
    {
        var path = TestPaths.SharedModel("vollo_mlp");
        var fileLength = new FileInfo(path).Length;

        var model = ModelFile.Load(path);

        var largest = model.Graph.Initializers.Select(v => v.Initializer!).MaxBy(t => t.Bytes.Length)!;
        Assert.True(MemoryMarshal.TryGetArray(largest.Bytes, out var segment));
        Assert.Equal(fileLength, segment.Array!.Length);
    }

    [Fact]
    public void Weights_inside_subgraphs_and_constant_nodes_load_the_same_as_through_plain_protobuf()
    {
        var graph = new Graph("main");
        var cond = graph.AddInput("cond", new Ir.Types.TensorType(ElementType.Bool, Ir.Types.Shape.Scalar));
        var big = TensorData.Create<float>([512], [.. Enumerable.Range(0, 512).Select(i => i * 0.5f)]);
        var small = TensorData.Create<float>([2], [1f, 2f]);
        var thenBranch = new Graph("then");
        var inner = thenBranch.AddNode("Constant", [], ["then_value"], [Attr.Tensor("value", big)]);
        thenBranch.Outputs.Add(inner.Output(0));
        var elseBranch = new Graph("else");
        var other = elseBranch.AddNode("Constant", [], ["else_value"], [Attr.Tensor("value", small)]);
        elseBranch.Outputs.Add(other.Output(0));
        var @if = graph.AddNode("If", [cond], ["y"], [Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch)]);
        graph.AddInitializer("w", big);
        graph.Outputs.Add(@if.Output(0));
        var model = new Model(graph);
        model.OpsetImports[""] = 13;
        var bytes = ModelFile.Serialize(model);

        var split = RawDataSplitter.TrySplit(bytes);
        var viaSplitter = ModelFile.Parse(new MemoryStream(bytes), "split.onnx", null);

        Assert.NotNull(split);
        Assert.True(split.Value.Remainder.Length < bytes.Length - (2 * big.Bytes.Length) + 64);
        Assert.Null(ModelDiff.FirstDifference(model, viaSplitter));
    }

    [Fact]
    public void Malformed_bytes_are_left_for_the_protobuf_parser_to_report()
    {
        byte[] bytes = [0x3A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01];

        Assert.Null(RawDataSplitter.TrySplit(bytes));
    }
}
