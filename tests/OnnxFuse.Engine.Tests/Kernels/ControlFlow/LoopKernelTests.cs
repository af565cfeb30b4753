using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Tests.Kernels.ControlFlow;

/// <summary>Loop models built in code, run on the engine and on ONNX Runtime (the oracle), compared within 1e-6 + 1e-5·|ort|.</summary>
public sealed class LoopKernelTests
{
    static readonly TensorData s_x = TensorData.Create<float>([3], [1f, 2f, 3f]);

    /// <summary>
    /// acc ← acc + x·w per iteration (x a main-graph input, w an initializer: both captured by the body); the body's
    /// cond is sum(acc) &lt; limit, so with the trip count M the loop stops at whichever comes first. Scan outputs are
    /// acc and iteration_num as float, stacked along a new axis 0.
    /// </summary>
    static Model AccumulatingLoop(float limit)
    {
        var b = new GraphBuilder(opset: 17);
        var x = b.Input("x", ElementType.Float, 3);
        var tripCount = b.Input("M", ElementType.Int64);
        var w = b.Initializer("w", TensorData.Create<float>([3], [0.5f, 1f, 1.5f]));
        var zero = b.Constant(TensorData.Create<float>([3], [0f, 0f, 0f]));
        var start = b.Constant(TensorData.Scalar(true));

        var body = b.Subgraph("body");
        var iteration = body.Input("i", ElementType.Int64);
        body.Input("cond_in", ElementType.Bool);
        var acc = body.Input("acc", ElementType.Float, 3);
        var next = body.Node("Add", [acc, body.Node("Mul", [x, w])]);
        var total = body.Node("ReduceSum", [next], Attr.Int("keepdims", 0));
        var keepGoing = body.Node("Less", [total, body.Constant(TensorData.Scalar(limit))]);
        var accOut = body.Node("Identity", [next]);
        var iterationOut = body.Node("Cast", [iteration], Attr.Int("to", (long)ElementType.Float));
        // Declared as exporters (and ONNX shape inference) declare them: a loop of zero trips shapes its empty scan outputs from these.
        accOut.Type = new TensorType(ElementType.Float, Shape.Of(3));
        iterationOut.Type = new TensorType(ElementType.Float, Shape.Scalar);
        body.Outputs(keepGoing, next, accOut, iterationOut);

        var loop = b.Node("Loop", [tripCount, start, zero], 3, Attr.Graph("body", body.Graph));
        b.Output(loop[0], "acc_final");
        b.Output(loop[1], "acc_per_iteration");
        b.Output(loop[2], "iterations");
        return b.Build();
    }

    static void AssertMatchesOrt(Model model, Dictionary<string, TensorData> feeds, Action<IReadOnlyList<TensorData>>? check = null)
    {
        var expected = OrtOracle.RunOrt(model, feeds);
        var actual = OrtOracle.RunEngine(model, feeds);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Numerics.AssertClose(expected[i], actual[i], rtol: 1e-5, atol: 1e-6);
        check?.Invoke(actual);
    }

    [Fact]
    public void Loop_stops_when_the_body_condition_turns_false_before_the_trip_count()
    {
        // Each iteration adds 7 to sum(acc): 7, 14, 21 → the third iteration yields cond false.
        AssertMatchesOrt(AccumulatingLoop(limit: 20f), new() { ["x"] = s_x, ["M"] = TensorData.Scalar(10L) },
            actual => Assert.Equal([3L, 3L], actual[1].Dims));
    }

    [Fact]
    public void Loop_runs_the_trip_count_when_the_condition_stays_true()
    {
        AssertMatchesOrt(AccumulatingLoop(limit: 1e6f), new() { ["x"] = s_x, ["M"] = TensorData.Scalar(5L) },
            actual => Assert.Equal([5L], actual[2].Dims));
    }

    [Fact]
    public void Loop_with_zero_trips_returns_the_initial_values_and_empty_scan_outputs()
    {
        AssertMatchesOrt(AccumulatingLoop(limit: 1e6f), new() { ["x"] = s_x, ["M"] = TensorData.Scalar(0L) },
            actual => Assert.Equal(0, actual[1].Dims[0]));
    }

    /// <summary>y = If(flag, Loop(3 trips: acc ← acc + x, where the body holds an If of its own), −x).</summary>
    static Model LoopInsideIf()
    {
        var b = new GraphBuilder(opset: 17);
        var x = b.Input("x", ElementType.Float, 3);
        var flag = b.Input("flag", ElementType.Bool);

        var then = b.Subgraph("then");
        var body = then.Subgraph("body");
        var iteration = body.Input("i", ElementType.Int64);
        var condIn = body.Input("cond_in", ElementType.Bool);
        var acc = body.Input("acc", ElementType.Float, 3);
        // Odd iterations add 2x, even ones x: a nested If reading the body's input and the main graph's x.
        var odd = body.Node("Equal", [body.Node("Mod", [iteration, body.Constant(TensorData.Scalar(2L))]), body.Constant(TensorData.Scalar(1L))]);
        var twice = body.Subgraph("twice");
        twice.Output(twice.Node("Add", [x, x]));
        var once = body.Subgraph("once");
        once.Output(once.Node("Identity", [x]));
        var step = body.Node("If", [odd], Attr.Graph("then_branch", twice.Graph), Attr.Graph("else_branch", once.Graph));
        body.Outputs(body.Node("Identity", [condIn]), body.Node("Add", [acc, step]));
        var loop = then.Node("Loop", [then.Constant(TensorData.Scalar(3L)), null, then.Constant(TensorData.Create<float>([3], [0f, 0f, 0f]))],
            Attr.Graph("body", body.Graph));
        then.Output(loop);

        var otherwise = b.Subgraph("else");
        otherwise.Output(otherwise.Node("Neg", [x]));
        b.Output(b.Node("If", [flag], Attr.Graph("then_branch", then.Graph), Attr.Graph("else_branch", otherwise.Graph)), "y");
        return b.Build();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Loop_nested_inside_if_with_an_if_in_its_body_matches_onnx_runtime(bool flag)
    {
        AssertMatchesOrt(LoopInsideIf(), new() { ["x"] = s_x, ["flag"] = TensorData.Scalar(flag) },
            actual => Assert.Equal(flag ? [4f, 8f, 12f] : [-1f, -2f, -3f], actual[0].ToArray<float>()));
    }
}
