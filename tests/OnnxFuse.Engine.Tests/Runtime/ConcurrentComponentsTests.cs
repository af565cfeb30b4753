using OnnxFuse.Engine.Kernels;
using OnnxFuse.Engine.Planning;
using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Tests.Runtime;

/// <summary>Independent components run concurrently at two threads; the oracle is the same model at one thread (sequential).</summary>
public sealed class ConcurrentComponentsTests
{
    const int Width = 192;

    /// <summary>
    /// Three components over a shared input x and a shared weight w:
    /// an MLP (two MatMuls large enough for the parallel GEMM path), an If whose branches capture the component's
    /// values, and y + x over a second input y of any length.
    /// </summary>
    static Model ThreeComponents()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(Width, Width)));
        var y = graph.AddInput("y", new TensorType(ElementType.Float, new Shape([Dim.Symbol("n"), Dim.Of(Width)])));
        var c = graph.AddInput("c", new TensorType(ElementType.Bool, Shape.Scalar));
        var w = graph.AddInitializer("w", NodeRunner.Random([Width, Width], seed: 1));
        var w2 = graph.AddInitializer("w2", NodeRunner.Random([Width, Width], seed: 2));

        var h = graph.AddNode("Relu", [graph.AddNode("MatMul", [x, w], ["m1"]).Output(0)], ["h"]).Output(0);
        graph.Outputs.Add(graph.AddNode("MatMul", [h, w2], ["mlp"]).Output(0));

        var s = graph.AddNode("Mul", [x, w], ["s"]).Output(0);
        var thenBranch = new Graph("then");
        thenBranch.Outputs.Add(thenBranch.AddNode("Sigmoid", [s], ["t"]).Output(0));
        var elseBranch = new Graph("else");
        elseBranch.Outputs.Add(elseBranch.AddNode("Neg", [s], ["e"]).Output(0));
        graph.Outputs.Add(graph.AddNode("If", [c], ["branch"], [Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch)]).Output(0));

        graph.Outputs.Add(graph.AddNode("Add", [y, x], ["sum"], name: "sum").Output(0));
        var model = new Model(graph);
        model.OpsetImports[""] = 17;
        return model;
    }

    static Dictionary<string, TensorData> Feeds(int seed, bool condition, long rows = Width) => new()
    {
        ["x"] = NodeRunner.Random([Width, Width], seed),
        ["y"] = NodeRunner.Random([rows, Width], seed + 100),
        ["c"] = TensorData.Scalar(condition),
    };

    [Fact]
    public void The_plan_of_side_by_side_models_holds_one_component_per_model()
    {
        var plan = Planner.Build(ThreeComponents(), KernelRegistry.Default);

        Assert.Equal(3, plan.Main.Components.Length);
        Assert.Equal(plan.Main.Steps.Length, plan.Main.Components.Sum(c => c.Length));
    }

    [Fact]
    public void Components_run_concurrently_give_bit_exact_the_sequential_results_run_after_run()
    {
        var model = ThreeComponents();
        using var sequential = InferenceSession.Create(model, new EngineOptions { ThreadCount = 1 });
        using var concurrent = InferenceSession.Create(model, new EngineOptions { ThreadCount = 2 });

        for (var run = 0; run < 40; run++)
        {
            var feeds = Feeds(seed: run, condition: run % 3 != 0);
            var expected = sequential.Run(feeds);
            var actual = concurrent.Run(feeds);

            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Dims, actual[i].Dims);
                Assert.True(expected[i].Bytes.Span.SequenceEqual(actual[i].Bytes.Span), $"run {run}, output {i} differs");
            }
        }
    }

    [Fact]
    public void Two_callers_running_one_session_at_once_each_get_their_own_results()
    {
        // The second caller finds the thread pool taken and runs its components one after another.
        var model = ThreeComponents();
        using var sequential = InferenceSession.Create(model, new EngineOptions { ThreadCount = 1 });
        using var concurrent = InferenceSession.Create(model, new EngineOptions { ThreadCount = 2 });
        var feeds = new[] { Feeds(seed: 3, condition: true), Feeds(seed: 4, condition: false) };
        var expected = feeds.Select(f => sequential.Run(f)).ToArray();

        Parallel.For(0, 2, caller =>
        {
            for (var run = 0; run < 20; run++)
            {
                var actual = concurrent.Run(feeds[caller]);
                for (var i = 0; i < actual.Count; i++)
                    Assert.True(expected[caller][i].Bytes.Span.SequenceEqual(actual[i].Bytes.Span), $"caller {caller}, run {run}, output {i} differs");
            }
        });
    }

    [Fact]
    public void A_failing_component_reports_its_node_and_the_session_runs_again()
    {
        using var session = InferenceSession.Create(ThreeComponents(), new EngineOptions { ThreadCount = 2 });
        var bad = Feeds(seed: 1, condition: true, rows: 3);

        var error = Assert.Throws<ShapeMismatchException>(() => session.Run(bad));
        Assert.Contains("'sum'", error.Message, StringComparison.Ordinal);

        var good = Feeds(seed: 1, condition: true);
        using var sequential = InferenceSession.Create(ThreeComponents(), new EngineOptions { ThreadCount = 1 });
        Assert.True(sequential.Run(good)[2].Bytes.Span.SequenceEqual(session.Run(good)[2].Bytes.Span));
    }
}
