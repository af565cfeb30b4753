using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Tests.Profiling;

public sealed class NodeProfileTests
{
    static InferenceSession ReluThenNeg(bool profile)
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(2, 3)));
        var relu = graph.AddNode("Relu", [x], ["r"], name: "relu").Output(0);
        graph.Outputs.Add(graph.AddNode("Neg", [relu], ["y"], name: "neg").Output(0));
        var model = new Model(graph);
        model.OpsetImports[""] = 17;
        return InferenceSession.Create(model, new EngineOptions { ProfileNodes = profile });
    }

    static Dictionary<string, TensorData> Feeds => new() { ["x"] = NodeRunner.Floats([2, 3], -1, 2, -3, 4, -5, 6) };

    [Fact]
    public void Each_node_is_listed_in_plan_order_with_its_calls_and_shapes()
    {
        using var session = ReluThenNeg(profile: true);

        session.Run(Feeds);
        session.Run(Feeds);

        var nodes = session.NodeProfile!.Snapshot();
        Assert.Equal(["Relu", "Neg"], nodes.Select(n => n.OpType));
        Assert.All(nodes, n => Assert.Equal(2, n.Calls));
        Assert.All(nodes, n => Assert.True(n.Fastest <= n.Mean && n.Mean <= n.Total));
        Assert.Contains("relu", nodes[0].Node, StringComparison.Ordinal);
        Assert.Equal("float32[2,3] → float32[2,3]", nodes[0].Shapes);
        Assert.All(nodes, n => Assert.False(n.ContainsSubgraphs));
    }

    [Fact]
    public void Profiling_leaves_the_outputs_unchanged_and_reset_clears_the_totals()
    {
        // Oracle: the same model run without profiling.
        using var plain = ReluThenNeg(profile: false);
        using var profiled = ReluThenNeg(profile: true);

        var expected = plain.Run(Feeds)[0].ToArray<float>();
        var actual = profiled.Run(Feeds)[0].ToArray<float>();
        profiled.NodeProfile!.Reset();

        Assert.Null(plain.NodeProfile);
        Assert.Equal(expected, actual);
        Assert.All(profiled.NodeProfile.Snapshot(), n => Assert.Equal((0L, TimeSpan.Zero), (n.Calls, n.Total)));
    }
}
