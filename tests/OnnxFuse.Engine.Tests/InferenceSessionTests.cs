using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Tests;

public sealed class InferenceSessionTests
{
    static readonly TensorType s_float4 = new(ElementType.Float, Shape.Of(4));

    static Model ModelOf(Graph graph, long opset = 17)
    {
        var model = new Model(graph);
        model.OpsetImports[""] = opset;
        return model;
    }

    [Fact]
    public void Creating_a_session_lists_every_unsupported_node_including_subgraphs_in_one_error()
    {
        var graph = new Graph("main");
        var x = graph.AddInput("x", s_float4);
        var cond = graph.AddInput("cond", new TensorType(ElementType.Bool, Shape.Scalar));
        var a = graph.AddNode("FancyOp", [x], ["a"], name: "fancy");
        var thenBranch = new Graph("then");
        thenBranch.Outputs.Add(thenBranch.AddNode("Mystery", [a.Output(0)], ["t"], name: "inner_mystery").Output(0));
        var elseBranch = new Graph("else");
        elseBranch.Outputs.Add(elseBranch.AddNode("Relu", [x], ["e"]).Output(0));
        var ifNode = graph.AddNode("If", [cond], ["y"], [Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch)]);
        graph.Outputs.Add(ifNode.Output(0));

        var error = Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(ModelOf(graph)));

        var lines = error.Message.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Contains("2 nodes", lines[0], StringComparison.Ordinal);
        Assert.Equal("operator FancyOp (domain ai.onnx, opset 17) at node 'fancy' is not supported by the managed engine", lines[1]);
        Assert.Contains("operator Mystery (domain ai.onnx, opset 17) at node 'inner_mystery'", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Attribute_combinations_a_kernel_rejects_are_listed_with_the_unknown_operators()
    {
        var graph = new Graph("main");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(1, 1, 2, 2)));
        var scales = graph.AddInitializer("scales", NodeRunner.Floats([4], 1, 1, 2, 2));
        var resized = graph.AddNode("Resize", [x, null, scales], ["r"], [Attr.String("mode", "linear"), Attr.Int("antialias", 1)], name: "antialiased_resize");
        graph.Outputs.Add(graph.AddNode("Unknown", [resized.Output(0)], ["y"], name: "unknown").Output(0));

        var error = Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(ModelOf(graph)));

        var lines = error.Message.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains("'unknown'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("'antialiased_resize'", StringComparison.Ordinal) && l.Contains("antialias", StringComparison.Ordinal));
    }

    [Fact]
    public void Inputs_and_outputs_keep_symbolic_dimensions()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, new Shape([Dim.Symbol("batch"), Dim.Of(4)])));
        graph.Outputs.Add(graph.AddNode("Relu", [x], ["y"]).Output(0));

        using var session = InferenceSession.Create(ModelOf(graph));

        var input = Assert.Single(session.Inputs);
        Assert.Equal("x", input.Name);
        Assert.Equal("batch", input.Shape![0].Param);
        Assert.Equal("y", Assert.Single(session.Outputs).Name);
    }

    [Fact]
    public void Symbolic_batch_dimension_accepts_any_size()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, new Shape([Dim.Symbol("batch"), Dim.Of(2)])));
        graph.Outputs.Add(graph.AddNode("Relu", [x], ["y"]).Output(0));
        using var session = InferenceSession.Create(ModelOf(graph));

        var small = session.Run(new Dictionary<string, TensorData> { ["x"] = NodeRunner.Floats([1, 2], -1, 2) })[0];
        var large = session.Run(new Dictionary<string, TensorData> { ["x"] = NodeRunner.Floats([3, 2], -1, 2, -3, 4, -5, 6) })[0];

        Assert.Equal([0f, 2f], small.ToArray<float>());
        Assert.Equal([0f, 2f, 0f, 4f, 0f, 6f], large.ToArray<float>());
    }

    static InferenceSession ReluSession()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", s_float4);
        graph.Outputs.Add(graph.AddNode("Relu", [x], ["y"]).Output(0));
        return InferenceSession.Create(ModelOf(graph));
    }

    [Fact]
    public void A_missing_input_is_reported_by_name()
    {
        using var session = ReluSession();
        var error = Assert.Throws<ShapeMismatchException>(() => session.Run(new Dictionary<string, TensorData>()));
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_input_name_is_reported()
    {
        using var session = ReluSession();
        var feeds = new Dictionary<string, TensorData> { ["x"] = NodeRunner.Floats([4], 1, 2, 3, 4), ["z"] = NodeRunner.Floats([1], 1) };
        var error = Assert.Throws<ShapeMismatchException>(() => session.Run(feeds));
        Assert.Contains("'z'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_element_type_names_expected_and_actual()
    {
        using var session = ReluSession();
        var feeds = new Dictionary<string, TensorData> { ["x"] = TensorData.Create<long>([4], [1, 2, 3, 4]) };
        var error = Assert.Throws<ShapeMismatchException>(() => session.Run(feeds));
        Assert.Contains("float32[4]", error.Message, StringComparison.Ordinal);
        Assert.Contains("int64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_rank_or_static_dimension_names_expected_and_actual()
    {
        using var session = ReluSession();
        var rankError = Assert.Throws<ShapeMismatchException>(() =>
            session.Run(new Dictionary<string, TensorData> { ["x"] = NodeRunner.Floats([2, 2], 1, 2, 3, 4) }));
        var dimError = Assert.Throws<ShapeMismatchException>(() =>
            session.Run(new Dictionary<string, TensorData> { ["x"] = NodeRunner.Floats([3], 1, 2, 3) }));
        Assert.Contains("rank 1", rankError.Message, StringComparison.Ordinal);
        Assert.Contains("[3]", dimError.Message, StringComparison.Ordinal);
        Assert.Contains("[4]", dimError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_still_runs_after_a_failed_run()
    {
        using var session = ReluSession();
        Assert.Throws<ShapeMismatchException>(() => session.Run(new Dictionary<string, TensorData>()));
        var result = session.Run(new Dictionary<string, TensorData> { ["x"] = NodeRunner.Floats([4], -1, 2, -3, 4) })[0];
        Assert.Equal([0f, 2f, 0f, 4f], result.ToArray<float>());
    }

    [Fact]
    public void Outputs_come_back_in_graph_order_including_inputs_and_constants()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", s_float4);
        var w = graph.AddInitializer("w", NodeRunner.Floats([4], 1, 1, 1, 1));
        var sum = graph.AddNode("Add", [x, w], ["sum"]).Output(0);
        graph.Outputs.Add(w);
        graph.Outputs.Add(sum);
        graph.Outputs.Add(x);
        using var session = InferenceSession.Create(ModelOf(graph));

        var results = session.Run(new Dictionary<string, TensorData> { ["x"] = NodeRunner.Floats([4], 1, 2, 3, 4) });

        Assert.Equal([1f, 1f, 1f, 1f], results[0].ToArray<float>());
        Assert.Equal([2f, 3f, 4f, 5f], results[1].ToArray<float>());
        Assert.Equal([1f, 2f, 3f, 4f], results[2].ToArray<float>());
    }

    [Fact]
    public void Buffers_are_reused_along_a_chain_so_the_peak_is_below_the_sum_of_intermediates()
    {
        const int length = 1024;
        const int chain = 10;
        var graph = new Graph("g");
        Value current = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(length)));
        for (var i = 0; i < chain; i++)
            current = graph.AddNode(i % 2 == 0 ? "Relu" : "Neg", [current], [$"v{i}"]).Output(0);
        graph.Outputs.Add(current);
        using var session = InferenceSession.Create(ModelOf(graph));
        var feeds = new Dictionary<string, TensorData> { ["x"] = NodeRunner.Random([length], seed: 3) };

        session.Run(feeds);
        session.Run(feeds);

        var sumOfIntermediates = chain * length * sizeof(float);
        Assert.True(session.PeakArenaBytes <= 2 * length * sizeof(float),
            $"peak {session.PeakArenaBytes} bytes; a chain needs at most two live buffers ({2 * length * sizeof(float)} bytes)");
        Assert.True(session.PeakArenaBytes < sumOfIntermediates);
    }

    [Fact]
    public void If_runs_the_chosen_branch_with_values_captured_two_levels_up()
    {
        // main: a = x + 1; If(c1) then { If(c2) then { a * x } else { a - x } } else { Neg(a) }
        var graph = new Graph("main");
        var x = graph.AddInput("x", s_float4);
        var c1 = graph.AddInput("c1", new TensorType(ElementType.Bool, Shape.Scalar));
        var c2 = graph.AddInput("c2", new TensorType(ElementType.Bool, Shape.Scalar));
        var one = graph.AddInitializer("one", NodeRunner.Floats([], 1f));
        var a = graph.AddNode("Add", [x, one], ["a"]).Output(0);

        var innerThen = new Graph("inner_then");
        innerThen.Outputs.Add(innerThen.AddNode("Mul", [a, x], ["inner_then_y"]).Output(0));
        var innerElse = new Graph("inner_else");
        innerElse.Outputs.Add(innerElse.AddNode("Sub", [a, x], ["inner_else_y"]).Output(0));
        var outerThen = new Graph("outer_then");
        var innerIf = outerThen.AddNode("If", [c2], ["outer_then_y"],
            [Attr.Graph("then_branch", innerThen), Attr.Graph("else_branch", innerElse)]);
        outerThen.Outputs.Add(innerIf.Output(0));
        var outerElse = new Graph("outer_else");
        outerElse.Outputs.Add(outerElse.AddNode("Neg", [a], ["outer_else_y"]).Output(0));
        var outerIf = graph.AddNode("If", [c1], ["y"], [Attr.Graph("then_branch", outerThen), Attr.Graph("else_branch", outerElse)]);
        graph.Outputs.Add(outerIf.Output(0));
        using var session = InferenceSession.Create(ModelOf(graph));

        float[] Run(bool first, bool second) => session.Run(new Dictionary<string, TensorData>
        {
            ["x"] = NodeRunner.Floats([4], 1, 2, 3, 4),
            ["c1"] = TensorData.Scalar(first),
            ["c2"] = TensorData.Scalar(second),
        })[0].ToArray<float>();

        Assert.Equal([2f, 6f, 12f, 20f], Run(true, true));
        Assert.Equal([1f, 1f, 1f, 1f], Run(true, false));
        Assert.Equal([-2f, -3f, -4f, -5f], Run(false, true));
        Assert.Equal([2f, 6f, 12f, 20f], Run(true, true));
    }

    [Fact]
    public void If_branches_may_yield_different_shapes()
    {
        var graph = new Graph("main");
        var cond = graph.AddInput("cond", new TensorType(ElementType.Bool, Shape.Scalar));
        var thenBranch = new Graph("then");
        thenBranch.Outputs.Add(thenBranch.AddInitializer("t", NodeRunner.Floats([2], 1, 2)));
        var elseBranch = new Graph("else");
        elseBranch.Outputs.Add(elseBranch.AddInitializer("e", NodeRunner.Floats([3], 3, 4, 5)));
        graph.Outputs.Add(graph.AddNode("If", [cond], ["y"], [Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch)]).Output(0));
        using var session = InferenceSession.Create(ModelOf(graph));

        Assert.Equal([2L], session.Run(new Dictionary<string, TensorData> { ["cond"] = TensorData.Scalar(true) })[0].Dims);
        Assert.Equal([3L], session.Run(new Dictionary<string, TensorData> { ["cond"] = TensorData.Scalar(false) })[0].Dims);
    }

    [Fact]
    public void Data_dependent_shapes_flow_through_NonZero()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(5)));
        var nz = graph.AddNode("NonZero", [x], ["nz"]).Output(0);
        graph.Outputs.Add(graph.AddNode("Shape", [nz], ["shape"]).Output(0));
        using var session = InferenceSession.Create(ModelOf(graph));

        var shape = session.Run(new Dictionary<string, TensorData> { ["x"] = NodeRunner.Floats([5], 0, 1, 0, 2, 3) })[0];

        Assert.Equal([1L, 3L], shape.ToArray<long>());
    }

    [Fact]
    public void An_input_with_an_initializer_default_may_be_left_out()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", s_float4);
        var bias = graph.AddInitializer("bias", NodeRunner.Floats([4], 1, 1, 1, 1));
        graph.AddInput("bias");
        graph.Outputs.Add(graph.AddNode("Add", [x, bias], ["y"]).Output(0));
        using var session = InferenceSession.Create(ModelOf(graph));
        var x4 = NodeRunner.Floats([4], 1, 2, 3, 4);

        var withDefault = session.Run(new Dictionary<string, TensorData> { ["x"] = x4 })[0];
        var overridden = session.Run(new Dictionary<string, TensorData> { ["x"] = x4, ["bias"] = NodeRunner.Floats([4], 0, 0, 0, 0) })[0];

        Assert.Equal([2f, 3f, 4f, 5f], withDefault.ToArray<float>());
        Assert.Equal([1f, 2f, 3f, 4f], overridden.ToArray<float>());
    }
}
