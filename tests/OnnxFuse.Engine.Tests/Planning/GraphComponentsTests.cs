using OnnxFuse.Engine.Planning;
using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Tests.Planning;

public sealed class GraphComponentsTests
{
    static readonly TensorType s_float4 = new(ElementType.Float, Shape.Of(4));

    [Fact]
    public void Chains_sharing_only_an_input_and_a_weight_are_separate_components()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", s_float4);
        var w = graph.AddInitializer("w", NodeRunner.Floats([4], 1, 2, 3, 4));
        var a = graph.AddNode("Add", [x, w], ["a"]).Output(0);
        var b = graph.AddNode("Mul", [x, w], ["b"]).Output(0);
        var a2 = graph.AddNode("Relu", [a], ["a2"]).Output(0);
        var b2 = graph.AddNode("Neg", [b], ["b2"]).Output(0);
        graph.Outputs.Add(a2);
        graph.Outputs.Add(b2);

        var components = GraphComponents.Find(graph.Nodes);

        Assert.Equal([[0, 2], [1, 3]], components);
    }

    [Fact]
    public void A_value_captured_by_a_subgraph_joins_the_if_node_to_its_producer()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", s_float4);
        var c = graph.AddInput("c", new TensorType(ElementType.Bool, Shape.Scalar));
        var a = graph.AddNode("Relu", [x], ["a"]).Output(0);
        var thenBranch = new Graph("then");
        thenBranch.Outputs.Add(thenBranch.AddNode("Neg", [a], ["t"]).Output(0));
        var elseBranch = new Graph("else");
        elseBranch.Outputs.Add(elseBranch.AddNode("Abs", [x], ["e"]).Output(0));
        graph.Outputs.Add(graph.AddNode("If", [c], ["y"], [Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch)]).Output(0));

        Assert.Single(GraphComponents.Find(graph.Nodes));
    }
}
