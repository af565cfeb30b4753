using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Tests.Planning;

public sealed class PlannerTests
{
    [Fact]
    public void Steady_state_runs_allocate_only_the_returned_outputs()
    {
        // The vollo_mlp shape: 784 → 128 → 128 (+ residual) → 10 with MatMul, Add, Relu.
        var graph = new Graph("mlp");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(784)));
        var w1 = graph.AddInitializer("w1", NodeRunner.Random([784, 128], seed: 1));
        var w2 = graph.AddInitializer("w2", NodeRunner.Random([128, 128], seed: 2));
        var w3 = graph.AddInitializer("w3", NodeRunner.Random([128, 10], seed: 3));
        var b = graph.AddInitializer("b", NodeRunner.Random([128], seed: 4));
        var h1 = graph.AddNode("Relu", [graph.AddNode("Add", [graph.AddNode("MatMul", [x, w1], ["m1"]).Output(0), b], ["a1"]).Output(0)], ["h1"]).Output(0);
        var h2 = graph.AddNode("Relu", [graph.AddNode("MatMul", [h1, w2], ["m2"]).Output(0)], ["h2"]).Output(0);
        var residual = graph.AddNode("Add", [h1, h2], ["res"]).Output(0);
        graph.Outputs.Add(graph.AddNode("MatMul", [residual, w3], ["y"]).Output(0));
        var model = new Model(graph);
        model.OpsetImports[""] = 13;
        using var session = InferenceSession.Create(model, new EngineOptions { ThreadCount = 1 });
        var feeds = new Dictionary<string, TensorData> { ["x"] = NodeRunner.Random([784], seed: 5) };
        for (var i = 0; i < 3; i++)
            session.Run(feeds);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            session.Run(feeds);
        var perRun = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        // One output of 10 floats: the result list, the TensorData, its dims and its 40-byte copy.
        Assert.True(perRun < 512, $"{perRun} bytes allocated per run");
    }
}
